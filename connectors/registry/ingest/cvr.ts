import { sql, type Selectable } from 'kysely';
import { pNumberProblem } from '../../../src/codes/cvr.js';
import { optionalDate, parseCvr, text } from '../../../src/ingest/fields.js';
import { isObj, jsonRecords, type JsonShape } from '../../../src/ingest/json.js';
import type { IngestSource, RunContext, UpsertCounts, Validation } from '../../../src/ingest/types.js';
import { upsertRows } from '../../../src/ingest/upsert.js';
import { statusFromText } from '../domain.js';
import type { CompanyTable, ProductionUnitTable } from '../tables.js';
import { objectAt, parseAddress, parseEmployees, parseIndustry } from './cvr-fields.js';
import type { Db } from '../../../src/db/database.js';

type Stamped = 'run_id' | 'changed_at' | 'source_updated_at';
/** A validated Vrvirksomhed, shaped as a registry.company row (without the run's stamps). */
export type CompanyRow = Omit<Selectable<CompanyTable>, Stamped | 'name_key'> & { source_updated_at: string | null };
/** A validated VrproduktionsEnhed, shaped as a registry.production_unit row. */
export type UnitRow = Omit<Selectable<ProductionUnitTable>, Stamped> & { source_updated_at: string | null };
/** One record of the cvr source: a company or a production unit. */
export type CvrRow = { type: 'company'; row: CompanyRow } | { type: 'unit'; row: UnitRow };

const ADDRESS = {
  street_name: 'text',
  house_number: 'text',
  floor: 'text',
  door: 'text',
  locality: 'text',
  postcode: 'text',
  city: 'text',
  municipality_code: 'text',
} as const;

const INDUSTRY = { industry_code: 'text', industry_title: 'text', industry_version: 'text' } as const;

const EMPLOYEES = {
  employees_band: 'text',
  employees_count: 'integer',
  employees_year: 'integer',
  employees_quarter: 'integer',
  employees_month: 'integer',
  employees_basis: 'text',
} as const;

const COMPANY_COLUMNS: Record<keyof CompanyRow, string> = {
  cvr: 'text',
  name: 'text',
  legal_form_code: 'text',
  legal_form_short: 'text',
  legal_form_long: 'text',
  status: 'text',
  status_text: 'text',
  founded: 'date',
  ...ADDRESS,
  ...INDUSTRY,
  ...EMPLOYEES,
  production_units: 'text[]',
  source_updated_at: 'timestamptz',
};

const UNIT_COLUMNS: Record<keyof UnitRow, string> = {
  p_number: 'text',
  cvr: 'text',
  name: 'text',
  status_text: 'text',
  ...ADDRESS,
  ...INDUSTRY,
  ...EMPLOYEES,
  source_updated_at: 'timestamptz',
};

type Obj = Record<string, any>;

/** What a value is: one of the two CVR object types this source reads, or neither. */
export type CvrObject = { type: 'Vrvirksomhed'; v: Obj } | { type: 'VrproduktionsEnhed'; v: Obj };

/**
 * A Vrvirksomhed (company) or VrproduktionsEnhed (production unit): bare, under its type name
 * (`{"Vrvirksomhed": …}`), or in an Elasticsearch hit (`{"_source": {…}}`). A bare object is told by its
 * key: cvrNummer for a company, pNummer for a unit. Anything else (a participant, Vrdeltagerperson;
 * an unknown wrapper) is null.
 */
export function unwrapCvrObject(value: unknown): CvrObject | null {
  if (!isObj(value)) return null;
  if (isObj(value._source)) return unwrapCvrObject(value._source);
  if (isObj(value.Vrvirksomhed)) return { type: 'Vrvirksomhed', v: value.Vrvirksomhed };
  if (isObj(value.VrproduktionsEnhed)) return { type: 'VrproduktionsEnhed', v: value.VrproduktionsEnhed };
  if ('cvrNummer' in value) return { type: 'Vrvirksomhed', v: value };
  if ('pNummer' in value) return { type: 'VrproduktionsEnhed', v: value };
  return null;
}

const EXPECTED =
  'Vrvirksomhed (company) or VrproduktionsEnhed (production unit) objects: NDJSON of bare objects, ' +
  '{"Vrvirksomhed": …} / {"VrproduktionsEnhed": …} or Elasticsearch hits {"_source": …}, or a _search answer ' +
  '{"hits": {"hits": [ … ]}}; participants (Vrdeltagerperson) are not read';

const SHAPE: JsonShape = {
  arrays: ['hits.hits'],
  isRecord: (v) => unwrapCvrObject(v) !== null,
  expected: EXPECTED,
};

function updatedAt(v: Obj): { updated: string | null } | { problem: string } {
  const updated = text(v.sidstOpdateret);
  if (updated && Number.isNaN(Date.parse(updated))) return { problem: `sidstOpdateret ${updated} is not a timestamp` };
  return { updated };
}

function validateCompany(v: Obj): Validation<CvrRow> {
  const parsedCvr = parseCvr(v.cvrNummer, 'cvrNummer');
  if ('problem' in parsedCvr) return { reject: parsedCvr.problem };
  const meta: Obj = objectAt(v, 'virksomhedMetadata') ?? {};
  const name = text(meta.nyesteNavn?.navn);
  if (!name) return { reject: 'virksomhedMetadata.nyesteNavn.navn (the name) is missing' };
  const address = parseAddress(meta.nyesteBeliggenhedsadresse, 'virksomhedMetadata.nyesteBeliggenhedsadresse');
  if ('problem' in address) return { reject: address.problem };
  const founded = optionalDate(meta.stiftelsesDato, 'stiftelsesDato');
  if ('problem' in founded) return { reject: founded.problem };
  const updated = updatedAt(v);
  if ('problem' in updated) return { reject: updated.problem };
  const industry = parseIndustry(meta.nyesteHovedbranche, 'virksomhedMetadata.nyesteHovedbranche');
  if ('problem' in industry) return { reject: industry.problem };
  const employees = parseEmployees(v, meta, 'virksomhedMetadata');
  if ('problem' in employees) return { reject: employees.problem };
  const form = objectAt(meta, 'nyesteVirksomhedsform');

  const units: string[] = [];
  for (const p of Array.isArray(v.penheder) ? v.penheder : []) {
    const pn = text(p?.pNummer);
    if (!pn || pNumberProblem(pn)) return { reject: `penheder: pNummer ${JSON.stringify(p?.pNummer)} is not 10 digits` };
    if (!units.includes(pn)) units.push(pn);
  }
  units.sort();

  const status = text(meta.sammensatStatus);
  return {
    row: {
      type: 'company',
      row: {
        cvr: parsedCvr.cvr,
        name,
        legal_form_code: form ? text(form.virksomhedsformkode) : null,
        legal_form_short: form ? text(form.kortBeskrivelse) : null,
        legal_form_long: form ? text(form.langBeskrivelse) : null,
        status: statusFromText(status),
        status_text: status,
        founded: founded.date,
        ...address.ok,
        ...industry.ok,
        ...employees.ok,
        production_units: units,
        source_updated_at: updated.updated,
      },
    },
  };
}

/**
 * The company a unit belongs to: produktionsEnhedMetadata.nyesteCvrNummerRelation, else the current
 * virksomhedsrelation[] entry (no gyldigTil), else the one that started last.
 */
function ownerOf(v: Obj, meta: Obj): { value: unknown; field: string } | null {
  if (meta.nyesteCvrNummerRelation != null)
    return { value: meta.nyesteCvrNummerRelation, field: 'produktionsEnhedMetadata.nyesteCvrNummerRelation' };
  const relations = (Array.isArray(v.virksomhedsrelation) ? v.virksomhedsrelation : []).filter(
    (r: unknown) => isObj(r) && r.cvrNummer != null,
  );
  if (relations.length === 0) return null;
  const from = (r: Obj) => text(r.periode?.gyldigFra) ?? '';
  const current = relations.filter((r: Obj) => r.periode?.gyldigTil == null);
  const pick = (current.length ? current : relations).reduce((a: Obj, b: Obj) => (from(b) >= from(a) ? b : a));
  return { value: pick.cvrNummer, field: 'virksomhedsrelation[].cvrNummer' };
}

function validateUnit(v: Obj): Validation<CvrRow> {
  const pNumber = text(v.pNummer);
  if (!pNumber) return { reject: 'pNummer (the P-number) is missing' };
  if (pNumberProblem(pNumber)) return { reject: `pNummer ${pNumber}: a P-number is 10 digits` };
  const meta: Obj = objectAt(v, 'produktionsEnhedMetadata') ?? {};
  const owner = ownerOf(v, meta);
  let cvr: string | null = null;
  if (owner) {
    const parsed = parseCvr(owner.value, owner.field);
    if ('problem' in parsed) return { reject: parsed.problem };
    cvr = parsed.cvr;
  }
  const address = parseAddress(meta.nyesteBeliggenhedsadresse, 'produktionsEnhedMetadata.nyesteBeliggenhedsadresse');
  if ('problem' in address) return { reject: address.problem };
  const updated = updatedAt(v);
  if ('problem' in updated) return { reject: updated.problem };
  const industry = parseIndustry(meta.nyesteHovedbranche, 'produktionsEnhedMetadata.nyesteHovedbranche');
  if ('problem' in industry) return { reject: industry.problem };
  const employees = parseEmployees(v, meta, 'produktionsEnhedMetadata');
  if ('problem' in employees) return { reject: employees.problem };
  return {
    row: {
      type: 'unit',
      row: {
        p_number: pNumber,
        cvr,
        name: text(meta.nyesteNavn?.navn),
        status_text: text(meta.sammensatStatus),
        ...address.ok,
        ...industry.ok,
        ...employees.ok,
        source_updated_at: updated.updated,
      },
    },
  };
}

export function validateCvr(value: unknown): Validation<CvrRow> {
  const found = unwrapCvrObject(value);
  if (!found) return { reject: `not a Vrvirksomhed or VrproduktionsEnhed object; expected ${EXPECTED}` };
  return found.type === 'Vrvirksomhed' ? validateCompany(found.v) : validateUnit(found.v);
}

// A record older than the stored one (by sidstOpdateret) does not overwrite it.
const NOT_OLDER = 't.source_updated_at IS NULL OR excluded.source_updated_at IS NULL OR excluded.source_updated_at >= t.source_updated_at';

/** Companies and units of one batch, each in one set-based statement; both name the CVRs they touched. */
async function upsertCvr(tx: Db, rows: CvrRow[], run: RunContext): Promise<UpsertCounts> {
  const stamp = { run_id: sql`${run.id}::int`, changed_at: sql`now()` };
  const companies = rows.flatMap((r) => (r.type === 'company' ? [r.row] : []));
  const units = rows.flatMap((r) => (r.type === 'unit' ? [r.row] : []));
  const total: Required<UpsertCounts> = { inserted: 0, updated: 0, unchanged: 0, touched: [] };
  const add = (c: UpsertCounts) => {
    total.inserted += c.inserted;
    total.updated += c.updated;
    total.unchanged += c.unchanged;
    total.touched.push(...(c.touched ?? []));
  };
  if (companies.length) {
    add(
      await upsertRows(
        tx,
        { table: 'registry.company', key: ['cvr'], columns: COMPANY_COLUMNS, stamp, touched: 'cvr', updateWhen: NOT_OLDER },
        companies,
      ),
    );
  }
  // A unit changes what its company shows (and, when it moves, what its former company shows).
  if (units.length) {
    add(
      await upsertRows(
        tx,
        { table: 'registry.production_unit', key: ['p_number'], columns: UNIT_COLUMNS, stamp, touched: 'cvr', updateWhen: NOT_OLDER },
        units,
      ),
    );
  }
  return total;
}

export const CVR_FORMAT = `Erhvervsstyrelsen's CVR distribution JSON: companies (Vrvirksomhed) and production units
(VrproduktionsEnhed), mixed in any order. One object per line (NDJSON), each bare, as
{"Vrvirksomhed": …} / {"VrproduktionsEnhed": …}, or as an Elasticsearch hit {"_source": {…}}; or one
JSON document, on one line or pretty-printed: a _search or scroll answer {"hits": {"hits": [ … ]}} or a
top-level array. Any other object (a participant, Vrdeltagerperson) is rejected, naming its keys.
Vrvirksomhed fields read: cvrNummer (required, modulus-11), sidstOpdateret, penheder[].pNummer, and
under virksomhedMetadata: nyesteNavn.navn (required), nyesteVirksomhedsform {virksomhedsformkode,
kortBeskrivelse, langBeskrivelse}, sammensatStatus, stiftelsesDato, and the address, industry and
employees below.
VrproduktionsEnhed fields read: pNummer (required, 10 digits), sidstOpdateret, and under
produktionsEnhedMetadata: nyesteNavn.navn, nyesteCvrNummerRelation (the company; else the current
virksomhedsrelation[].cvrNummer), sammensatStatus, and the address, industry and employees below.
Both: nyesteBeliggenhedsadresse {vejnavn, husnummerFra, bogstavFra, husnummerTil, bogstavTil, etage,
sidedoer, bynavn, postnummer, postdistrikt, kommune.kommuneKode}; nyesteHovedbranche
{branchekode, branchetekst}; employees from the newest of nyesteErstMaanedsbeskaeftigelse,
nyesteMaanedsbeskaeftigelse {aar, maaned}, nyesteKvartalsbeskaeftigelse {aar, kvartal} and
nyesteAarsbeskaeftigelse {aar}, each with antalAnsatte and intervalKodeAntalAnsatte (where the metadata
lacks one, the record's array of that kind: erstMaanedsbeskaeftigelse[], maanedsbeskaeftigelse[],
kvartalsbeskaeftigelse[], aarsbeskaeftigelse[]): the figure whose period ends last, the finer one on a
tie. A record with an older sidstOpdateret than the stored one does not overwrite it. Persons (deltagerRelation), contact details (telefonNummer, elektroniskPost,
nyesteKontaktoplysninger) and the address's c/o name (conavn) are dropped before anything is stored.`;

export const cvrSource: IngestSource<CvrRow> = {
  name: 'cvr',
  sections: ['REGISTRY'],
  connector: 'registry',
  summary: 'CVR distribution JSON: companies (Vrvirksomhed) and production units (VrproduktionsEnhed), NDJSON or a _search answer',
  format: CVR_FORMAT,
  batchSize: 5000,
  tables: ['registry.company', 'registry.production_unit'],
  read: (input, file) => jsonRecords(input, file, SHAPE),
  // CVR's own name keys (navn) are the company's; its persons sit under deltagerRelation, dropped everywhere.
  validate: validateCvr,
  key: (r) => (r.type === 'company' ? `company ${r.row.cvr}` : `unit ${r.row.p_number}`),
  upsert: upsertCvr,
};
