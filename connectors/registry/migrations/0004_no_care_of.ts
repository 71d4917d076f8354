import { sql, type Kysely } from 'kysely';

/**
 * The c/o name of an address (conavn) is gone: it often names a person ("c/o Jens Hansen"), and indgang
 * keeps no personal names but consultants' and advisors'. Ingest drops it with the other person keys.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE registry.company DROP COLUMN care_of`.execute(db);
  await sql`ALTER TABLE registry.production_unit DROP COLUMN care_of`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE registry.company ADD COLUMN care_of text`.execute(db);
  await sql`ALTER TABLE registry.production_unit ADD COLUMN care_of text`.execute(db);
}
