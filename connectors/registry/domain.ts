import type { CompanyStatus, EmployeeBand, EmployeeFigureBasis } from '../../src/generated/graphql.js';

export type { CompanyStatus, EmployeeBand, EmployeeFigureBasis };

/** An address as CVR registers it (beliggenhedsadresse). */
export interface AddressRecord {
  streetName: string | null;
  houseNumber: string | null;
  floor: string | null;
  door: string | null;
  locality: string | null;
  postcode: string | null;
  city: string | null;
}

/** Employment figures for one period: the newest of the figures CVR carries, and which one it is. */
export interface EmployeesRecord {
  band: EmployeeBand | null;
  count: number | null;
  year: number | null;
  quarter: number | null;
  month: number | null;
  basis: EmployeeFigureBasis | null;
}

export interface IndustryRecord {
  code: string;
  title: string | null;
  version: string | null;
}

/** A company as the registry connector knows it (domain type, not the table row). */
export interface CompanyRecord {
  cvr: string;
  name: string;
  legalForm: { code: string | null; short: string | null; long: string | null } | null;
  status: CompanyStatus;
  statusText: string | null;
  founded: string | null;
  address: AddressRecord | null;
  municipalityCode: string | null;
  industry: IndustryRecord | null;
  employees: EmployeesRecord | null;
  /** P-numbers the company's own record lists (penheder). */
  productionUnits: string[];
}

/** A production unit (VrproduktionsEnhed) as the registry connector knows it. */
export interface ProductionUnitRecord {
  pNumber: string;
  /** The company the unit belongs to (its current virksomhedsrelation); null when the record names none. */
  cvr: string | null;
  name: string | null;
  statusText: string | null;
  address: AddressRecord | null;
  municipalityCode: string | null;
  industry: IndustryRecord | null;
  employees: EmployeesRecord | null;
}

export type { CompanyKey } from '../../src/graphql/keys.js';

/** CVR's sammensatStatus texts, grouped into the statuses a user filters on. */
export function statusFromText(text: string | null | undefined): CompanyStatus {
  const t = (text ?? '').trim().toLowerCase();
  if (t === 'aktiv' || t === 'normal' || t === '') return 'ACTIVE';
  if (t.includes('under konkurs')) return 'UNDER_BANKRUPTCY';
  if (t.includes('under frivillig likvidation') || t.includes('under tvangsopløsning') || t.includes('under likvidation'))
    return 'UNDER_DISSOLUTION';
  if (t.includes('rekonstruktion') || t.includes('reassumering')) return 'UNDER_RECONSTRUCTION';
  if (t.startsWith('ophørt') || t.startsWith('opløst') || t === 'tvangsopløst' || t === 'slettet') return 'CEASED';
  return 'OTHER';
}

/** Lower bounds of CVR's employee bands, in order. */
const BANDS: [number, EmployeeBand][] = [
  [1000, 'FROM_1000'],
  [500, 'FROM_500_TO_999'],
  [200, 'FROM_200_TO_499'],
  [100, 'FROM_100_TO_199'],
  [50, 'FROM_50_TO_99'],
  [20, 'FROM_20_TO_49'],
  [10, 'FROM_10_TO_19'],
  [5, 'FROM_5_TO_9'],
  [2, 'FROM_2_TO_4'],
  [1, 'ONE'],
  [0, 'NONE'],
];

export function bandForCount(count: number): EmployeeBand {
  return BANDS.find(([low]) => count >= low)![1];
}

/**
 * "ANTAL_50_99" → FROM_50_TO_99; "ANTAL_1000_999999" and "ANTAL_1000_" → FROM_1000. Null when the code
 * is not one of CVR's interval codes (both bounds must be a band's).
 */
export function bandFromIntervalCode(code: string): EmployeeBand | null {
  const m = /^ANTAL_(\d+)_(\d*)$/.exec(code.trim().toUpperCase());
  if (!m) return null;
  const low = Number(m[1]);
  const i = BANDS.findIndex(([l]) => l === low);
  if (i < 0) return null;
  const band = BANDS[i]![1];
  if (i === 0) return m[2] === '' || Number(m[2]) >= low ? band : null;
  return m[2] !== '' && Number(m[2]) === BANDS[i - 1]![0] - 1 ? band : null;
}

/** The band as CVR writes it for people, e.g. "50-99". */
export function bandLabel(band: EmployeeBand): string {
  const i = BANDS.findIndex(([, b]) => b === band);
  const low = BANDS[i]![0];
  if (band === 'FROM_1000') return '1000+';
  const high = BANDS[i - 1]![0] - 1;
  return low === high ? String(low) : `${low}-${high}`;
}

/** The CVR interval code for a band, as the distribution API writes it. */
export function intervalCodeForBand(band: EmployeeBand): string {
  const label = bandLabel(band);
  if (label === '1000+') return 'ANTAL_1000_999999';
  const [low, high] = label.includes('-') ? label.split('-') : [label, label];
  return `ANTAL_${low}_${high}`;
}
