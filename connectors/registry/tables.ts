import type { ColumnType, Generated } from 'kysely';

/** Address columns, shared by companies and production units (beliggenhedsadresse). */
export interface AddressColumns {
  street_name: string | null;
  /** husnummerFra + bogstavFra, with husnummerTil/bogstavTil as a range, e.g. "12A-14". */
  house_number: string | null;
  /** etage */
  floor: string | null;
  /** sidedoer */
  door: string | null;
  /** bynavn */
  locality: string | null;
  postcode: string | null;
  city: string | null;
  municipality_code: string | null;
}

/** The newest employee figure of a company or unit, and which of CVR's figures it is. */
export interface EmployeeColumns {
  /** EmployeeBand enum name. */
  employees_band: string | null;
  employees_count: number | null;
  employees_year: number | null;
  employees_quarter: number | null;
  employees_month: number | null;
  /** EmployeeFigureBasis enum name. */
  employees_basis: string | null;
}

export interface IndustryColumns {
  industry_code: string | null;
  industry_title: string | null;
  industry_version: string | null;
}

interface Stamps {
  source_updated_at: ColumnType<Date | null, string | null, string | null>;
  /** Run that last inserted or changed the row. */
  run_id: number;
  changed_at: Generated<Date>;
}

/** One row per company (virksomhed) from the CVR register. */
export interface CompanyTable extends AddressColumns, EmployeeColumns, IndustryColumns, Stamps {
  cvr: string;
  name: string;
  legal_form_code: string | null;
  legal_form_short: string | null;
  legal_form_long: string | null;
  /** CompanyStatus enum name, derived from CVR's sammensatStatus. */
  status: string;
  /** sammensatStatus as CVR gives it. */
  status_text: string | null;
  founded: string | null;
  /** P-numbers the company's record lists (penheder). */
  production_units: ColumnType<string[], string[] | undefined, string[]>;
  /** The name normalised for matching sources that name a company without its CVR; generated from `name`. */
  name_key: ColumnType<string, never, never>;
}

/** One row per production unit (VrproduktionsEnhed); `cvr` is the company it belongs to, joined without a foreign key. */
export interface ProductionUnitTable extends AddressColumns, EmployeeColumns, IndustryColumns, Stamps {
  p_number: string;
  cvr: string | null;
  name: string | null;
  status_text: string | null;
}

export interface RegistryTables {
  'registry.company': CompanyTable;
  'registry.production_unit': ProductionUnitTable;
}

// Joins the hub's Database interface (src/db/schema.ts) without the hub importing this connector.
declare module '../../src/db/schema.js' {
  interface Database extends RegistryTables {}
}
