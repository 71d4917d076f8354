import { municipalityByCode, normaliseMunicipalityCode } from '../../../src/codes/lists.js';
import { parseInteger, text } from '../../../src/ingest/fields.js';
import { isObj } from '../../../src/ingest/json.js';
import { bandForCount, bandFromIntervalCode, type EmployeeFigureBasis } from '../domain.js';
import type { AddressColumns, EmployeeColumns, IndustryColumns } from '../tables.js';

/**
 * The parts companies (Vrvirksomhed) and production units (VrproduktionsEnhed) share: both carry their
 * current address, main industry and employee figures in the same shape under their metadata object
 * (virksomhedMetadata, produktionsEnhedMetadata). Each parser returns the columns or a reject reason
 * naming the field by its path in the record.
 */

type Obj = Record<string, any>;
export type Parsed<T> = { ok: T } | { problem: string };

const obj = (v: unknown): Obj | null => (isObj(v) ? v : null);

/** The object under `key` of a metadata object, or null when it is absent or null (CVR writes null for "none"). */
export const objectAt = (meta: Obj, key: string): Obj | null => obj(meta[key]);

const NO_ADDRESS: AddressColumns = {
  street_name: null,
  house_number: null,
  floor: null,
  door: null,
  locality: null,
  postcode: null,
  city: null,
  municipality_code: null,
};

/**
 * House number as written on a Danish address: husnummerFra + bogstavFra ("12A"), and a range when CVR
 * gives husnummerTil or bogstavTil ("12A-14", "12A-12C").
 */
function houseNumber(a: Obj): string | null {
  const from = [text(a.husnummerFra), text(a.bogstavFra)].filter(Boolean).join('');
  if (!from) return null;
  const toNumber = text(a.husnummerTil);
  const toLetter = text(a.bogstavTil);
  if (!toNumber && !toLetter) return from;
  const to = `${toNumber ?? text(a.husnummerFra) ?? ''}${toLetter ?? ''}`;
  return to && to !== from ? `${from}-${to}` : from;
}

/** nyesteBeliggenhedsadresse {vejnavn, husnummerFra/-Til, bogstavFra/-Til, etage, sidedoer, bynavn, postnummer, postdistrikt, kommune}. */
export function parseAddress(value: unknown, path: string): Parsed<AddressColumns> {
  const a = obj(value);
  if (!a) return { ok: NO_ADDRESS };
  // An address abroad has a kommune object whose code is null: no municipality, not a reject.
  const rawCode = obj(a.kommune)?.kommuneKode;
  let municipality: string | null = null;
  if (text(rawCode) !== null) {
    municipality = normaliseMunicipalityCode(rawCode);
    if (!municipality || !municipalityByCode(municipality))
      return { problem: `unknown municipality code ${JSON.stringify(rawCode)} (${path}.kommune.kommuneKode)` };
  }
  const postcode = text(a.postnummer);
  if (postcode && !/^\d{4}$/.test(postcode)) return { problem: `postnummer ${postcode} is not 4 digits (${path}.postnummer)` };
  return {
    ok: {
      street_name: text(a.vejnavn),
      house_number: houseNumber(a),
      floor: text(a.etage),
      door: text(a.sidedoer),
      locality: text(a.bynavn),
      postcode,
      city: text(a.postdistrikt),
      municipality_code: municipality,
    },
  };
}

/** nyesteHovedbranche {branchekode (6 digits), branchetekst}; stored as given, DB07 or DB25. */
export function parseIndustry(value: unknown, path: string): Parsed<IndustryColumns> {
  const b = obj(value);
  const code = b ? text(b.branchekode) : null;
  if (code && !/^\d{6}$/.test(code)) return { problem: `branchekode ${code} is not 6 digits (${path}.branchekode)` };
  return {
    ok: {
      industry_code: code,
      industry_title: code && b ? text(b.branchetekst) : null,
      industry_version: code && b ? text(b.version ?? b.branchekodeVersion) : null,
    },
  };
}

/**
 * CVR's four employee figures, finest first (the order breaks ties): the newest of each kind under the
 * metadata object, and the history of each kind as a top-level array of the record.
 */
export const FIGURES: { basis: EmployeeFigureBasis; field: string; array: string; period: 'maaned' | 'kvartal' | null }[] = [
  { basis: 'MONTHLY_ERST', field: 'nyesteErstMaanedsbeskaeftigelse', array: 'erstMaanedsbeskaeftigelse', period: 'maaned' },
  { basis: 'MONTHLY', field: 'nyesteMaanedsbeskaeftigelse', array: 'maanedsbeskaeftigelse', period: 'maaned' },
  { basis: 'QUARTERLY', field: 'nyesteKvartalsbeskaeftigelse', array: 'kvartalsbeskaeftigelse', period: 'kvartal' },
  { basis: 'YEARLY', field: 'nyesteAarsbeskaeftigelse', array: 'aarsbeskaeftigelse', period: null },
];

const NO_EMPLOYEES: EmployeeColumns = {
  employees_band: null,
  employees_count: null,
  employees_year: null,
  employees_quarter: null,
  employees_month: null,
  employees_basis: null,
};

interface Figure {
  basis: EmployeeFigureBasis;
  path: string;
  value: Obj;
  year: number | null;
  month: number | null;
  quarter: number | null;
  /** Sort key: the period's last month as yyyymm (a quarter ends in its third month, a year in December). */
  ends: number;
  rank: number;
}

/** A figure gives a headcount or a band; one with only full-time equivalents (antalAarsvaerk) does not count. */
const gives = (v: Obj | null): v is Obj => v !== null && (v.antalAnsatte != null || text(v.intervalKodeAntalAnsatte) !== null);

function figure(f: (typeof FIGURES)[number], rank: number, value: Obj, path: string): Figure | { problem: string } {
  const year = value.aar == null ? null : parseInteger(value.aar);
  if (value.aar != null && (year === null || year < 1900 || year > 2999))
    return { problem: `${path}.aar ${JSON.stringify(value.aar)} is not a year` };
  let month: number | null = null;
  let quarter: number | null = null;
  if (f.period === 'maaned' && value.maaned != null) {
    month = parseInteger(value.maaned);
    if (month === null || month < 1 || month > 12)
      return { problem: `${path}.maaned ${JSON.stringify(value.maaned)} is not a month (1-12)` };
    quarter = Math.ceil(month / 3);
  }
  if (f.period === 'kvartal' && value.kvartal != null) {
    quarter = parseInteger(value.kvartal);
    if (quarter === null || quarter < 1 || quarter > 4)
      return { problem: `${path}.kvartal ${JSON.stringify(value.kvartal)} is not a quarter (1-4)` };
  }
  const endMonth = f.period === null ? 12 : f.period === 'maaned' ? (month ?? 0) : quarter ? quarter * 3 : 0;
  return { basis: f.basis, path, value, year, month, quarter, ends: year === null ? -1 : year * 100 + endMonth, rank };
}

/**
 * The newest employee figure of a company or unit. Each kind is read from the metadata object
 * (nyesteErstMaanedsbeskaeftigelse and nyesteMaanedsbeskaeftigelse {aar, maaned, antalAnsatte,
 * intervalKodeAntalAnsatte}, nyesteKvartalsbeskaeftigelse {aar, kvartal, …}, nyesteAarsbeskaeftigelse
 * {aar, …}), or, where the metadata lacks it, from the record's array of that kind (erstMaanedsbeskaeftigelse
 * …; a production unit's metadata carries no monthly figure, its array does). A figure counts when it gives a
 * headcount or a band; the one whose period ends last wins, the finer one on a tie; one without a year
 * ranks below every dated one. Only the winner's count and band are read.
 */
export function parseEmployees(record: Obj, meta: Obj, metaPath: string): Parsed<EmployeeColumns> {
  const figures: Figure[] = [];
  for (const [rank, f] of FIGURES.entries()) {
    const latest = objectAt(meta, f.field);
    const candidates: [Obj, string][] = gives(latest)
      ? [[latest, `${metaPath}.${f.field}`]]
      : (Array.isArray(record[f.array]) ? (record[f.array] as unknown[]) : []).flatMap((v, i) =>
          gives(obj(v)) ? [[v as Obj, `${f.array}[${i}]`] as [Obj, string]] : [],
        );
    for (const [value, path] of candidates) {
      const fig = figure(f, rank, value, path);
      if ('problem' in fig) return fig;
      figures.push(fig);
    }
  }
  if (figures.length === 0) return { ok: NO_EMPLOYEES };
  const newest = figures.reduce((best, f) => (f.ends > best.ends || (f.ends === best.ends && f.rank < best.rank) ? f : best));
  const v = newest.value;
  let count: number | null = null;
  if (v.antalAnsatte != null) {
    count = parseInteger(v.antalAnsatte);
    if (count === null || count < 0) return { problem: `${newest.path}.antalAnsatte ${JSON.stringify(v.antalAnsatte)} is not a count` };
  }
  const code = text(v.intervalKodeAntalAnsatte);
  let band: string | null = null;
  if (code) {
    band = bandFromIntervalCode(code);
    if (!band) return { problem: `intervalKodeAntalAnsatte ${code} is not a CVR employee band (${newest.path})` };
  } else if (count !== null) {
    band = bandForCount(count);
  }
  return {
    ok: {
      employees_band: band,
      employees_count: count,
      employees_year: newest.year,
      employees_quarter: newest.quarter,
      employees_month: newest.month,
      employees_basis: newest.basis,
    },
  };
}
