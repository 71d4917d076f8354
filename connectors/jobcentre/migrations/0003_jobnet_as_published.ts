import { sql, type Kysely } from 'kysely';

// Jobnet as published: search pages and ad detail documents.
// - Whether Jobnet lists the ad from another job site (IsExternal), and whether its place of work moves
//   (WorkPlaceNotStatic, e.g. a carpenter working at customers'): null when no record said so.
// - Unmatched ads are listed by a join with the register at read time (an ad with a valid CVR the register
//   does not know yet is one of them), newest first over all ads: an index on the listing order replaces
//   the one on ads without a CVR.
// - Labels that map to no DISCO code are counted and re-mapped by label.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE jobcentre.vacancy ADD COLUMN external boolean, ADD COLUMN workplace_not_static boolean`.execute(db);
  await sql`CREATE INDEX vacancy_posted ON jobcentre.vacancy (posted_at DESC, id)`.execute(db);
  await sql`DROP INDEX jobcentre.vacancy_unmatched`.execute(db);
  await sql`CREATE INDEX vacancy_unmapped_label ON jobcentre.vacancy (occupation_label) WHERE disco IS NULL`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX jobcentre.vacancy_unmapped_label`.execute(db);
  await sql`CREATE INDEX vacancy_unmatched ON jobcentre.vacancy (posted_at DESC, id) WHERE cvr IS NULL`.execute(db);
  await sql`DROP INDEX jobcentre.vacancy_posted`.execute(db);
  await sql`ALTER TABLE jobcentre.vacancy DROP COLUMN workplace_not_static, DROP COLUMN external`.execute(db);
}
