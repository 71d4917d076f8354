import { sql, type Kysely } from 'kysely';

// One row per configured sync: its cursor (committed with the rows of the run that read up to it) and
// what its last runs did, for `indgang sync status` and Query.sources.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE SCHEMA IF NOT EXISTS sync`.execute(db);
  await sql`
    CREATE TABLE sync.state (
      name text PRIMARY KEY,
      source text NOT NULL,
      cursor text,
      last_run_id integer,
      last_started_at timestamptz,
      last_succeeded_at timestamptz,
      last_failed_at timestamptz,
      last_error text,
      next_run_at timestamptz
    )`.execute(db);
}
