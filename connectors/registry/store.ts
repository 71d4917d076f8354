import type { Selectable } from 'kysely';
import type { Db } from '../../src/db/database.js';
import type {
  AddressRecord,
  CompanyRecord,
  CompanyStatus,
  EmployeeBand,
  EmployeeFigureBasis,
  EmployeesRecord,
  IndustryRecord,
  ProductionUnitRecord,
} from './domain.js';
import type { AddressColumns, CompanyTable, EmployeeColumns, IndustryColumns, ProductionUnitTable } from './tables.js';

type CompanyRow = Selectable<CompanyTable>;
type UnitRow = Selectable<ProductionUnitTable>;

function toAddress(r: AddressColumns): AddressRecord | null {
  if (!r.street_name && !r.postcode && !r.city) return null;
  return {
    streetName: r.street_name,
    houseNumber: r.house_number,
    floor: r.floor ?? null,
    door: r.door ?? null,
    locality: r.locality ?? null,
    postcode: r.postcode,
    city: r.city,
  };
}

function toIndustry(r: IndustryColumns): IndustryRecord | null {
  return r.industry_code ? { code: r.industry_code, title: r.industry_title, version: r.industry_version } : null;
}

function toEmployees(r: EmployeeColumns): EmployeesRecord | null {
  if (!r.employees_band && r.employees_count === null) return null;
  return {
    band: r.employees_band as EmployeeBand | null,
    count: r.employees_count,
    year: r.employees_year,
    quarter: r.employees_quarter,
    month: r.employees_month ?? null,
    basis: (r.employees_basis ?? null) as EmployeeFigureBasis | null,
  };
}

export function toCompany(r: CompanyRow): CompanyRecord {
  return {
    cvr: r.cvr,
    name: r.name,
    legalForm:
      r.legal_form_code || r.legal_form_short ? { code: r.legal_form_code, short: r.legal_form_short, long: r.legal_form_long } : null,
    status: r.status as CompanyStatus,
    statusText: r.status_text,
    founded: r.founded,
    address: toAddress(r),
    municipalityCode: r.municipality_code,
    industry: toIndustry(r),
    employees: toEmployees(r),
    productionUnits: r.production_units,
  };
}

export function toProductionUnit(r: UnitRow): ProductionUnitRecord {
  return {
    pNumber: r.p_number,
    cvr: r.cvr,
    name: r.name,
    statusText: r.status_text,
    address: toAddress(r),
    municipalityCode: r.municipality_code,
    industry: toIndustry(r),
    employees: toEmployees(r),
  };
}

export async function companiesByCvr(db: Db, cvrs: readonly string[]): Promise<CompanyRecord[]> {
  if (cvrs.length === 0) return [];
  const rows = await db.selectFrom('registry.company').selectAll().where('cvr', 'in', cvrs).execute();
  return rows.map(toCompany);
}

/**
 * Production-unit records that belong to the given companies or carry the given P-numbers, in one
 * statement: units are joined to companies by CVR (no foreign key: a unit may be loaded first).
 */
export async function productionUnitsOf(db: Db, cvrs: readonly string[], pNumbers: readonly string[]): Promise<ProductionUnitRecord[]> {
  if (cvrs.length === 0 && pNumbers.length === 0) return [];
  const rows = await db
    .selectFrom('registry.production_unit')
    .selectAll()
    .where((eb) => eb.or([...(cvrs.length ? [eb('cvr', 'in', cvrs)] : []), ...(pNumbers.length ? [eb('p_number', 'in', pNumbers)] : [])]))
    .orderBy('p_number')
    .execute();
  return rows.map(toProductionUnit);
}
