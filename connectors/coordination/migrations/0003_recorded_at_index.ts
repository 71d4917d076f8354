import { sql, type Kysely } from 'kysely';

/**
 * "When was the log last written to" (the contact log's provenance, asked by every company view that lists
 * its sources) is max(recorded_at): without an index that is a sequential scan of every version on every
 * request. With this index it reads one index entry.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE INDEX contact_version_recorded_at ON coordination.contact_version (recorded_at)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX coordination.contact_version_recorded_at`.execute(db);
}
