import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE EXTENSION IF NOT EXISTS pg_trgm`.execute(db);
  await sql`CREATE SCHEMA IF NOT EXISTS veu`.execute(db);
  await sql`
    CREATE TABLE veu.course (
      number text PRIMARY KEY CHECK (number ~ '^[0-9]{5}$'),
      title text NOT NULL,
      days numeric(5,1) NOT NULL CHECK (days > 0),
      occupations text[] NOT NULL DEFAULT '{}',
      positive_list boolean NOT NULL,
      run_id integer NOT NULL,
      changed_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX course_occupations ON veu.course USING gin (occupations)`.execute(db);
  await sql`CREATE INDEX course_title_trgm ON veu.course USING gin (title gin_trgm_ops)`.execute(db);

  // Providers are matched to course instances by name: the course search names the institution only.
  await sql`
    CREATE TABLE veu.provider (
      name_key text PRIMARY KEY,
      name text NOT NULL,
      number text,
      kind text,
      street text,
      postcode text,
      city text,
      municipality_code text,
      website text,
      run_id integer NOT NULL,
      changed_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);

  // No foreign key to veu.course: instances may arrive before the catalogue that names their course.
  await sql`
    CREATE TABLE veu.instance (
      id text PRIMARY KEY,
      course_number text NOT NULL CHECK (course_number ~ '^[0-9]{5}$'),
      title text,
      provider_name text,
      provider_key text,
      place_name text,
      street text,
      postcode text,
      city text,
      municipality_code text,
      starts_on date NOT NULL,
      ends_on date NOT NULL CHECK (ends_on >= starts_on),
      apply_by date,
      form_text text,
      participants integer NOT NULL CHECK (participants >= 0),
      capacity integer CHECK (capacity >= 0),
      cancelled boolean NOT NULL,
      run_id integer NOT NULL,
      changed_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  // "Next start of a course", optionally in given municipalities: the courses list sorts on it.
  await sql`CREATE INDEX instance_course_start ON veu.instance (course_number, starts_on, id) WHERE NOT cancelled`.execute(db);
  await sql`CREATE INDEX instance_start_municipality ON veu.instance (starts_on, municipality_code) WHERE NOT cancelled`.execute(db);
  await sql`CREATE INDEX instance_course_all ON veu.instance (course_number, starts_on, id)`.execute(db);

  await sql`
    CREATE TABLE veu.enrolment (
      cvr text NOT NULL CHECK (cvr ~ '^[0-9]{8}$'),
      course_number text NOT NULL CHECK (course_number ~ '^[0-9]{5}$'),
      starts_on date NOT NULL,
      ends_on date NOT NULL CHECK (ends_on >= starts_on),
      period text NOT NULL,
      participants integer NOT NULL CHECK (participants >= 0),
      wage_compensation numeric(14,2),
      run_id integer NOT NULL,
      changed_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (cvr, course_number, starts_on, ends_on)
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP SCHEMA veu CASCADE`.execute(db);
}
