import { sql, type Kysely } from 'kysely';

/**
 * CVR as published: the period and basis of the employee figure (monthly figures replaced the quarterly
 * ones, which CVR froze in 2019), the address's floor, door, c/o name and place name, and production
 * units from their own index (VrproduktionsEnhed). A unit names its company by CVR; there is no foreign
 * key, because the unit may arrive before its company (or without it), and reads join by CVR.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE registry.company
      ADD COLUMN employees_month integer,
      ADD COLUMN employees_basis text,
      ADD COLUMN floor text,
      ADD COLUMN door text,
      ADD COLUMN care_of text,
      ADD COLUMN locality text`.execute(db);
  await sql`
    CREATE TABLE registry.production_unit (
      p_number text PRIMARY KEY CHECK (p_number ~ '^[0-9]{10}$'),
      cvr text CHECK (cvr ~ '^[0-9]{8}$'),
      name text,
      status_text text,
      street_name text,
      house_number text,
      floor text,
      door text,
      care_of text,
      locality text,
      postcode text,
      city text,
      municipality_code text,
      industry_code text,
      industry_title text,
      industry_version text,
      employees_band text,
      employees_count integer,
      employees_year integer,
      employees_quarter integer,
      employees_month integer,
      employees_basis text,
      source_updated_at timestamptz,
      run_id integer NOT NULL,
      changed_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  // A company's units are read by its CVR.
  await sql`CREATE INDEX production_unit_cvr ON registry.production_unit (cvr, p_number)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE registry.production_unit`.execute(db);
  await sql`
    ALTER TABLE registry.company
      DROP COLUMN employees_month, DROP COLUMN employees_basis,
      DROP COLUMN floor, DROP COLUMN door, DROP COLUMN care_of, DROP COLUMN locality`.execute(db);
}
