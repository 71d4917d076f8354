import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE SCHEMA IF NOT EXISTS coordination`.execute(db);
  // Every version of a contact is a row of its own: a correction or withdrawal adds a version, nothing is overwritten.
  await sql`
    CREATE TABLE coordination.contact_version (
      contact_id uuid NOT NULL,
      version integer NOT NULL,
      cvr text NOT NULL CHECK (cvr ~ '^[0-9]{8}$'),
      system text NOT NULL,
      organisation text NOT NULL,
      consultant text,
      channel text NOT NULL,
      date date NOT NULL,
      topics text[] NOT NULL,
      outcome text,
      follow_up_on date,
      status text NOT NULL CHECK (status IN ('RECORDED', 'CORRECTED', 'WITHDRAWN')),
      reason text,
      recorded_by text NOT NULL,
      recorded_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (contact_id, version)
    )`.execute(db);
  await sql`CREATE INDEX contact_version_company ON coordination.contact_version (cvr, date DESC)`.execute(db);
  // One row per write request: the same key with the same input returns the first result; other input is refused.
  await sql`
    CREATE TABLE coordination.write_request (
      idempotency_key text PRIMARY KEY,
      operation text NOT NULL,
      input_hash text NOT NULL,
      contact_id uuid NOT NULL,
      version integer NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP SCHEMA coordination CASCADE`.execute(db);
}
