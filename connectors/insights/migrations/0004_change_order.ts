import { sql, type Kysely } from 'kysely';

// Change numbers without a lock that makes writers take turns (changes/order.ts): each number records the
// writers that were between their first number and their commit when it was given out, so the feed can stop
// below a number until they have finished. The index finds the numbers whose writers may still be running.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE insights.company_change ADD COLUMN waits_for xid8[], ADD COLUMN waits_max xid8`.execute(db);
  await sql`CREATE INDEX company_change_waits ON insights.company_change (waits_max) WHERE waits_max IS NOT NULL`.execute(db);
  // Numbers must be given out in the order nextval is called, by every session: no per-session cache.
  await sql`ALTER SEQUENCE insights.change_seq CACHE 1`.execute(db);
}
