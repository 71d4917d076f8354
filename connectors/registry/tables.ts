import type { ColumnType, Generated } from 'kysely';

/** One row per company (virksomhed) from the CVR register. */
export interface CompanyTable {
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
  street_name: string | null;
  house_number: string | null;
  postcode: string | null;
  city: string | null;
  municipality_code: string | null;
  industry_code: string | null;
  industry_title: string | null;
  industry_version: string | null;
  /** EmployeeBand enum name. */
  employees_band: string | null;
  employees_count: number | null;
  employees_year: number | null;
  employees_quarter: number | null;
  production_units: ColumnType<string[], string[] | undefined, string[]>;
  source_updated_at: ColumnType<Date | null, string | null, string | null>;
  /** Run that last inserted or changed the row. */
  run_id: number;
  changed_at: Generated<Date>;
}

export interface RegistryTables {
  'registry.company': CompanyTable;
}
