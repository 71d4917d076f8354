import { sql, type Selectable } from 'kysely';
import { cvrProblem, pNumberProblem } from '../../../src/codes/cvr.js';
import { municipalityByCode, normaliseMunicipalityCode } from '../../../src/codes/lists.js';
import { isObj, jsonRecords, type JsonShape } from '../../../src/ingest/json.js';
import type { IngestSource, Validation } from '../../../src/ingest/types.js';
import { upsertRows } from '../../../src/ingest/upsert.js';
import { bandForCount, bandFromIntervalCode, statusFromText } from '../domain.js';
import type { CompanyTable } from '../tables.js';

/** A validated CVR record, shaped as a registry.company row (without the run's stamps). */
export type CvrRow = Omit<Selectable<CompanyTable>, 'run_id' | 'changed_at' | 'source_updated_at'> & { source_updated_at: string | null };

const COLUMNS: Record<keyof CvrRow, string> = {
  cvr: 'text',
  name: 'text',
  legal_form_code: 'text',
  legal_form_short: 'text',
  legal_form_long: 'text',
  status: 'text',
  status_text: 'text',
  founded: 'date',
  street_name: 'text',
  house_number: 'text',
  postcode: 'text',
  city: 'text',
  municipality_code: 'text',
  industry_code: 'text',
  industry_title: 'text',
  industry_version: 'text',
  employees_band: 'text',
  employees_count: 'integer',
  employees_year: 'integer',
  employees_quarter: 'integer',
  production_units: 'text[]',
  source_updated_at: 'timestamptz',
};

type Obj = Record<string, any>;
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' ? String(v) : null);
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Accepts a bare Vrvirksomhed, `{Vrvirksomhed}` or an Elasticsearch hit `{_source: {Vrvirksomhed}}`. */
export function unwrapVrvirksomhed(value: unknown): Obj | null {
  if (!isObj(value)) return null;
  if (isObj(value._source)) return unwrapVrvirksomhed(value._source);
  if (isObj(value.Vrvirksomhed)) return value.Vrvirksomhed;
  return 'cvrNummer' in value ? value : null;
}

const SHAPE: JsonShape = {
  arrays: ['hits.hits'],
  isRecord: (v) => unwrapVrvirksomhed(v) !== null,
  expected: 'Vrvirksomhed objects: NDJSON of bare objects, {"Vrvirksomhed": …} or Elasticsearch hits {"_source": …}, or a _search answer {"hits": {"hits": [ … ]}}',
};

export function validateCvr(value: unknown): Validation<CvrRow> {
  const v = unwrapVrvirksomhed(value);
  if (!v) return { reject: 'not a Vrvirksomhed object (no cvrNummer)' };
  const cvr = typeof v.cvrNummer === 'number' ? String(v.cvrNummer).padStart(8, '0') : str(v.cvrNummer);
  if (!cvr) return { reject: 'cvrNummer is missing' };
  const problem = cvrProblem(cvr);
  if (problem) return { reject: `cvrNummer ${cvr}: ${problem}` };
  const meta: Obj = isObj(v.virksomhedMetadata) ? v.virksomhedMetadata : {};
  const name = str(meta.nyesteNavn?.navn);
  if (!name) return { reject: 'virksomhedMetadata.nyesteNavn.navn (the name) is missing' };

  const addr: Obj | null = isObj(meta.nyesteBeliggenhedsadresse) ? meta.nyesteBeliggenhedsadresse : null;
  let municipalityCode: string | null = null;
  if (addr && addr.kommune != null) {
    municipalityCode = normaliseMunicipalityCode(addr.kommune?.kommuneKode);
    if (!municipalityCode || !municipalityByCode(municipalityCode)) {
      return { reject: `unknown municipality code ${JSON.stringify(addr.kommune?.kommuneKode)}` };
    }
  }
  const postcode = addr ? str(addr.postnummer) : null;
  if (postcode && !/^\d{4}$/.test(postcode)) return { reject: `postnummer ${postcode} is not 4 digits` };
  const houseNumber = addr ? [str(addr.husnummerFra), str(addr.bogstavFra)].filter(Boolean).join('') || null : null;

  const founded = str(meta.stiftelsesDato);
  if (founded && !DATE.test(founded)) return { reject: `stiftelsesDato ${founded} is not a date (yyyy-mm-dd)` };
  const updated = str(v.sidstOpdateret);
  if (updated && Number.isNaN(Date.parse(updated))) return { reject: `sidstOpdateret ${updated} is not a timestamp` };

  const branche: Obj | null = isObj(meta.nyesteHovedbranche) ? meta.nyesteHovedbranche : null;
  const industryCode = branche ? str(branche.branchekode) : null;
  if (industryCode && !/^\d{6}$/.test(industryCode)) return { reject: `branchekode ${industryCode} is not 6 digits` };

  const form: Obj | null = isObj(meta.nyesteVirksomhedsform) ? meta.nyesteVirksomhedsform : null;

  const emp: Obj | null = isObj(meta.nyesteKvartalsbeskaeftigelse) ? meta.nyesteKvartalsbeskaeftigelse : null;
  let band: string | null = null;
  let count: number | null = null;
  if (emp) {
    if (emp.antalAnsatte != null) {
      count = Number(emp.antalAnsatte);
      if (!Number.isInteger(count) || count < 0) return { reject: `antalAnsatte ${emp.antalAnsatte} is not a count` };
    }
    const code = str(emp.intervalKodeAntalAnsatte);
    if (code) {
      band = bandFromIntervalCode(code);
      if (!band) return { reject: `intervalKodeAntalAnsatte ${code} is not a CVR employee band` };
    } else if (count !== null) {
      band = bandForCount(count);
    }
  }

  const units: string[] = [];
  for (const p of Array.isArray(v.penheder) ? v.penheder : []) {
    const pn = typeof p?.pNummer === 'number' ? String(p.pNummer) : str(p?.pNummer);
    if (!pn || pNumberProblem(pn)) return { reject: `penheder: pNummer ${JSON.stringify(p?.pNummer)} is not 10 digits` };
    if (!units.includes(pn)) units.push(pn);
  }
  units.sort();

  return {
    row: {
      cvr,
      name,
      legal_form_code: form ? str(form.virksomhedsformkode) : null,
      legal_form_short: form ? str(form.kortBeskrivelse) : null,
      legal_form_long: form ? str(form.langBeskrivelse) : null,
      status: statusFromText(str(meta.sammensatStatus)),
      status_text: str(meta.sammensatStatus),
      founded,
      street_name: addr ? str(addr.vejnavn) : null,
      house_number: houseNumber,
      postcode,
      city: addr ? str(addr.postdistrikt) : null,
      municipality_code: municipalityCode,
      industry_code: industryCode,
      industry_title: branche ? str(branche.branchetekst) : null,
      industry_version: branche ? str(branche.version ?? branche.branchekodeVersion) : null,
      employees_band: band,
      employees_count: count,
      employees_year: emp ? (Number.isInteger(emp.aar) ? emp.aar : null) : null,
      employees_quarter: emp ? (Number.isInteger(emp.kvartal) ? emp.kvartal : null) : null,
      production_units: units,
      source_updated_at: updated,
    },
  };
}

export const cvrSource: IngestSource<CvrRow> = {
  name: 'cvr',
  connector: 'registry',
  summary: 'CVR distribution JSON: companies (Vrvirksomhed), NDJSON or the hits.hits[]._source envelope',
  format: `One Vrvirksomhed object per line (NDJSON), each bare, as {"Vrvirksomhed": …} or as an
Elasticsearch hit {"_source": {"Vrvirksomhed": …}}; or one JSON document {"hits": {"hits": [ … ]}}
or a top-level array. Fields read: cvrNummer (required, modulus-11), sidstOpdateret,
virksomhedMetadata.nyesteNavn.navn (required), .nyesteBeliggenhedsadresse {vejnavn, husnummerFra,
bogstavFra, postnummer, postdistrikt, kommune {kommuneKode, kommuneNavn}}, .nyesteHovedbranche
{branchekode, branchetekst}, .nyesteVirksomhedsform {virksomhedsformkode, kortBeskrivelse,
langBeskrivelse}, .sammensatStatus, .stiftelsesDato, .nyesteKvartalsbeskaeftigelse {aar, kvartal,
antalAnsatte, intervalKodeAntalAnsatte}, penheder[].pNummer. A record with an older sidstOpdateret
than the stored one does not overwrite it.`,
  batchSize: 5000,
  tables: ['registry.company'],
  read: (input, file) => jsonRecords(input, file, SHAPE),
  // CVR's own name keys (navn) are the company's; its persons sit under deltagerRelation, dropped everywhere.
  validate: validateCvr,
  key: (row) => row.cvr,
  upsert: (tx, rows, run) =>
    upsertRows(
      tx,
      {
        table: 'registry.company',
        key: ['cvr'],
        columns: COLUMNS,
        stamp: { run_id: sql`${run.id}::int`, changed_at: sql`now()` },
        touched: 'cvr',
        updateWhen: 't.source_updated_at IS NULL OR excluded.source_updated_at IS NULL OR excluded.source_updated_at >= t.source_updated_at',
      },
      rows,
    ),
};
