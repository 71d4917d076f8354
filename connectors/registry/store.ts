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
