import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE EXTENSION IF NOT EXISTS pg_trgm`.execute(db);
  await sql`CREATE SCHEMA IF NOT EXISTS registry`.execute(db);
  await sql`
    CREATE TABLE registry.company (
      cvr text PRIMARY KEY CHECK (cvr ~ '^[0-9]{8}$'),
      name text NOT NULL,
      legal_form_code text,
      legal_form_short text,
      legal_form_long text,
      status text NOT NULL,
      status_text text,
      founded date,
      street_name text,
      house_number text,
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
      production_units text[] NOT NULL DEFAULT '{}',
      source_updated_at timestamptz,
      run_id integer NOT NULL,
      changed_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  // Listing a municipality's companies by name is the most common browse.
  await sql`CREATE INDEX company_municipality_name ON registry.company (municipality_code, name, cvr)`.execute(db);
  await sql`CREATE INDEX company_name ON registry.company (name, cvr)`.execute(db);
  await sql`CREATE INDEX company_industry ON registry.company (industry_code text_pattern_ops)`.execute(db);
  await sql`CREATE INDEX company_name_trgm ON registry.company USING gin (name gin_trgm_ops)`.execute(db);
  await sql`CREATE INDEX company_production_units ON registry.company USING gin (production_units)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP SCHEMA registry CASCADE`.execute(db);
}
