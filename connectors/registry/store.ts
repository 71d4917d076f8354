import type { Selectable } from 'kysely';
import type { Db } from '../../src/db/database.js';
import type { CompanyRecord, CompanyStatus, EmployeeBand } from './domain.js';
import type { CompanyTable } from './tables.js';

type CompanyRow = Selectable<CompanyTable>;

export function toCompany(r: CompanyRow): CompanyRecord {
  const hasAddress = r.street_name || r.postcode || r.city;
  return {
    cvr: r.cvr,
    name: r.name,
    legalForm: r.legal_form_code || r.legal_form_short ? { code: r.legal_form_code, short: r.legal_form_short, long: r.legal_form_long } : null,
    status: r.status as CompanyStatus,
    statusText: r.status_text,
    founded: r.founded,
    address: hasAddress ? { streetName: r.street_name, houseNumber: r.house_number, postcode: r.postcode, city: r.city } : null,
    municipalityCode: r.municipality_code,
    industry: r.industry_code ? { code: r.industry_code, title: r.industry_title, version: r.industry_version } : null,
    employees:
      r.employees_band || r.employees_count !== null
        ? { band: r.employees_band as EmployeeBand | null, count: r.employees_count, year: r.employees_year, quarter: r.employees_quarter }
        : null,
    productionUnits: r.production_units,
  };
}

export async function companiesByCvr(db: Db, cvrs: readonly string[]): Promise<CompanyRecord[]> {
  if (cvrs.length === 0) return [];
  const rows = await db.selectFrom('registry.company').selectAll().where('cvr', 'in', cvrs).execute();
  return rows.map(toCompany);
}

export interface CompanyFilter {
  municipality?: string | null;
  industry?: string | null;
  name?: string | null;
  status?: CompanyStatus | null;
}

export type CompanyOrder = 'NAME_ASC' | 'CVR_ASC';

function filtered(db: Db, f: CompanyFilter) {
  let q = db.selectFrom('registry.company');
  if (f.municipality) q = q.where('municipality_code', '=', f.municipality);
  if (f.industry) q = q.where('industry_code', 'like', `${escapeLike(f.industry)}%`);
  if (f.name) q = q.where('name', 'ilike', `%${escapeLike(f.name)}%`);
  if (f.status) q = q.where('status', '=', f.status);
  return q;
}

/** One page of companies in a stable order, fetching `limit` rows after the cursor key. */
export async function findCompanies(db: Db, f: CompanyFilter, order: CompanyOrder, limit: number, after: unknown[] | null): Promise<CompanyRecord[]> {
  let q = filtered(db, f).selectAll();
  if (order === 'NAME_ASC') {
    if (after) q = q.where((eb) => eb(eb.refTuple('name', 'cvr'), '>', eb.tuple(String(after[0]), String(after[1]))));
    q = q.orderBy('name').orderBy('cvr');
  } else {
    if (after) q = q.where('cvr', '>', String(after[0]));
    q = q.orderBy('cvr');
  }
  const rows = await q.limit(limit).execute();
  return rows.map(toCompany);
}

export async function countCompanies(db: Db, f: CompanyFilter): Promise<number> {
  const r = await filtered(db, f).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

export function orderKey(order: CompanyOrder, c: CompanyRecord): unknown[] {
  return order === 'NAME_ASC' ? [c.name, c.cvr] : [c.cvr];
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (m) => `\\${m}`);
}
