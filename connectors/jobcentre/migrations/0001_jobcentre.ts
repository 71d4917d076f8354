import { sql, type Kysely } from 'kysely';

// Aggregates and job ads only: no table here has a column for a person's name, CPR number or case.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE SCHEMA IF NOT EXISTS jobcentre`.execute(db);
  await sql`
    CREATE TABLE jobcentre.vacancy (
      id text PRIMARY KEY,
      cvr text CHECK (cvr ~ '^[0-9]{8}$'),
      hiring_org_cvr text,
      hiring_org_name text,
      title text NOT NULL,
      disco text,
      occupation_label text,
      occupation_via text,
      positions integer CHECK (positions >= 0),
      posted_at date NOT NULL,
      apply_by date,
      employment_type text,
      work_hours text,
      workplace_address text,
      workplace_postcode text,
      workplace_city text,
      municipality_code text,
      closed_at date,
      run_id integer NOT NULL,
      changed_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  // A company's ads newest first; unmatched ads (cvr IS NULL) listed the same way.
  await sql`CREATE INDEX vacancy_cvr_posted ON jobcentre.vacancy (cvr, posted_at DESC, id)`.execute(db);
  await sql`CREATE INDEX vacancy_unmatched ON jobcentre.vacancy (posted_at DESC, id) WHERE cvr IS NULL`.execute(db);
  await sql`
    CREATE TABLE jobcentre.job_order (
      id text PRIMARY KEY,
      cvr text NOT NULL CHECK (cvr ~ '^[0-9]{8}$'),
      p_number text,
      title text NOT NULL,
      disco text,
      esco_uri text,
      order_type text,
      status text,
      start_date date,
      run_id integer NOT NULL,
      changed_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX job_order_cvr ON jobcentre.job_order (cvr, start_date DESC, id)`.execute(db);
  await sql`
    CREATE TABLE jobcentre.measure (
      cvr text NOT NULL CHECK (cvr ~ '^[0-9]{8}$'),
      period text NOT NULL CHECK (period ~ '^[0-9]{4}-[0-9]{2}$'),
      kind text NOT NULL,
      count integer NOT NULL CHECK (count >= 0),
      run_id integer NOT NULL,
      changed_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (cvr, period, kind)
    )`.execute(db);
  await sql`
    CREATE TABLE jobcentre.layoff_notice (
      cvr text NOT NULL CHECK (cvr ~ '^[0-9]{8}$'),
      notice_date date NOT NULL,
      reason text NOT NULL,
      persons integer NOT NULL CHECK (persons >= 0),
      run_id integer NOT NULL,
      changed_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (cvr, notice_date, reason)
    )`.execute(db);
  await sql`
    CREATE TABLE jobcentre.supply (
      disco text NOT NULL,
      area text NOT NULL,
      period text NOT NULL,
      count integer NOT NULL CHECK (count >= 0),
      run_id integer NOT NULL,
      changed_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (disco, area, period)
    )`.execute(db);
  await sql`
    CREATE TABLE jobcentre.balance (
      disco text NOT NULL,
      area text NOT NULL,
      period text NOT NULL,
      category text NOT NULL,
      run_id integer NOT NULL,
      changed_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (disco, area, period)
    )`.execute(db);
  // Listing an area's occupations in one category for the latest half-year.
  await sql`CREATE INDEX balance_area_category ON jobcentre.balance (area, period, category, disco)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP SCHEMA jobcentre CASCADE`.execute(db);
}
