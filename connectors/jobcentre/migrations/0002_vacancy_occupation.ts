import { sql, type Kysely } from 'kysely';

// The open vacancies of an occupation: the insights step looks up companies by what they recruit
// (balance and supply changes, companies near a layoff that recruit its occupations).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE INDEX vacancy_disco ON jobcentre.vacancy (disco, cvr) WHERE cvr IS NOT NULL AND disco IS NOT NULL`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX jobcentre.vacancy_disco`.execute(db);
}
