import { sql, type Kysely } from 'kysely';

// The ads of an occupation's unit group (the first four DISCO digits): the insights step looks up
// companies by what they recruit (after balance and supply changes, near a layoff that frees people
// from those occupations).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE INDEX vacancy_disco_group ON jobcentre.vacancy (left(disco, 4), cvr) WHERE cvr IS NOT NULL AND disco IS NOT NULL`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX jobcentre.vacancy_disco_group`.execute(db);
}
