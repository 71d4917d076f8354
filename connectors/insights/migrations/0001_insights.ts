import { sql, type Kysely } from 'kysely';

// Everything here is derived from the other schemas and can be rebuilt (indgang insights rebuild);
// only the change sequence numbers are kept across rebuilds, so downstream sync jobs see no false changes.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE SCHEMA IF NOT EXISTS insights`.execute(db);
  await sql`CREATE SEQUENCE insights.change_seq`.execute(db);

  // One row per registry company: the search index of Query.companies and the facts of Company.situation.
  await sql`
    CREATE TABLE insights.company_profile (
      cvr text PRIMARY KEY,
      name text NOT NULL,
      municipality_code text,
      area_code text,
      industry_code text,
      status text NOT NULL,
      open_vacancies integer NOT NULL DEFAULT 0,
      open_positions integer NOT NULL DEFAULT 0,
      hard_to_fill_vacancies integer NOT NULL DEFAULT 0,
      participants_12m integer NOT NULL DEFAULT 0,
      last_enrolment_on date,
      active_programmes integer NOT NULL DEFAULT 0,
      competence_plan_missing boolean NOT NULL DEFAULT false,
      last_contact_on date,
      last_contact_system text,
      last_jobcentre_contact_on date,
      last_erhvervshus_contact_on date,
      last_veu_contact_on date,
      signals text[] NOT NULL DEFAULT '{}',
      fingerprint text,
      change_seq bigint NOT NULL DEFAULT 0,
      changed_at timestamptz NOT NULL DEFAULT now(),
      stale_on date
    )`.execute(db);
  await sql`CREATE INDEX company_profile_municipality_name ON insights.company_profile (municipality_code, name, cvr)`.execute(db);
  await sql`CREATE INDEX company_profile_name ON insights.company_profile (name, cvr)`.execute(db);
  await sql`CREATE INDEX company_profile_industry ON insights.company_profile (industry_code text_pattern_ops)`.execute(db);
  // One index per sort order of Query.companies, so a page is read in order instead of sorting every company.
  await sql`CREATE INDEX company_profile_open ON insights.company_profile (open_vacancies DESC, cvr)`.execute(db);
  await sql`CREATE INDEX company_profile_hard_to_fill ON insights.company_profile (hard_to_fill_vacancies DESC, cvr)`.execute(db);
  await sql`CREATE INDEX company_profile_last_contact_asc ON insights.company_profile ((coalesce(last_contact_on, '0001-01-01'::date)), cvr)`.execute(
    db,
  );
  await sql`CREATE INDEX company_profile_last_contact_desc ON insights.company_profile ((coalesce(last_contact_on, '0001-01-01'::date)) DESC, cvr)`.execute(
    db,
  );
  await sql`CREATE INDEX company_profile_change_seq ON insights.company_profile (change_seq, cvr)`.execute(db);
  await sql`CREATE INDEX company_profile_signals ON insights.company_profile USING gin (signals)`.execute(db);
  // The daily refresh finds the companies whose facts change with the date alone.
  await sql`CREATE INDEX company_profile_stale ON insights.company_profile (stale_on) WHERE stale_on IS NOT NULL`.execute(db);

  // Every contact with a company from every system, as one timeline (Company.contacts).
  await sql`
    CREATE TABLE insights.contact_event (
      source text NOT NULL,
      source_key text NOT NULL,
      cvr text NOT NULL,
      date date NOT NULL,
      system text NOT NULL,
      kind text NOT NULL,
      organisation text,
      consultant text,
      channel text,
      topics text[] NOT NULL DEFAULT '{}',
      summary text,
      follow_up_on date,
      referred_to text,
      PRIMARY KEY (source, source_key)
    )`.execute(db);
  await sql`CREATE INDEX contact_event_company ON insights.contact_event (cvr, date DESC, source, source_key)`.execute(db);
  await sql`CREATE INDEX contact_event_date ON insights.contact_event (date, cvr)`.execute(db);

  // One row per company and open-vacancy occupation: the competence match's needs.
  await sql`
    CREATE TABLE insights.competence_need (
      cvr text NOT NULL,
      disco text NOT NULL,
      area_code text,
      municipality_code text,
      vacancies integer NOT NULL,
      open_positions integer NOT NULL,
      first_posted_on date NOT NULL,
      balance_category text,
      balance_period text,
      unemployed integer,
      supply_period text,
      job_rotation_possible boolean NOT NULL,
      PRIMARY KEY (cvr, disco)
    )`.execute(db);

  // Signals with the facts behind their message and references to the records behind them.
  await sql`
    CREATE TABLE insights.signal (
      cvr text NOT NULL,
      kind text NOT NULL,
      severity text NOT NULL,
      since date,
      facts jsonb NOT NULL,
      evidence jsonb NOT NULL,
      PRIMARY KEY (cvr, kind)
    )`.execute(db);

  await sql`
    CREATE TABLE insights.state (
      id boolean PRIMARY KEY DEFAULT true CHECK (id),
      rebuilt_at timestamptz,
      refreshed_on date
    )`.execute(db);
  await sql`INSERT INTO insights.state DEFAULT VALUES`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP SCHEMA insights CASCADE`.execute(db);
}
