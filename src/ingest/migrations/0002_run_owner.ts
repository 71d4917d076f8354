import { sql, type Kysely } from 'kysely';

/**
 * Who runs a run, so another process can tell when it died: on Postgres a session-level advisory lock
 * (owner_lock = 'advisory', released by the server when the owner's connection goes), on the embedded
 * database the owner's host, process id and process start time (owner_lock = 'pid').
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .withSchema('ingest')
    .alterTable('run')
    .addColumn('owner_lock', 'text')
    .addColumn('owner_host', 'text')
    .addColumn('owner_pid', 'integer')
    .addColumn('owner_started', 'text')
    .execute();
  await sql`CREATE INDEX run_running ON ingest.run (id) WHERE status = 'running'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.withSchema('ingest').dropIndex('run_running').execute();
  await db.schema
    .withSchema('ingest')
    .alterTable('run')
    .dropColumn('owner_lock')
    .dropColumn('owner_host')
    .dropColumn('owner_pid')
    .dropColumn('owner_started')
    .execute();
}
