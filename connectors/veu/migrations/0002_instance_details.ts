import { sql, type Kysely } from 'kysely';

/** What the national course search publishes about a hold beyond dates and seats. */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE veu.instance
      ADD COLUMN time_of_day text,
      ADD COLUMN teaching_days numeric(5,1),
      ADD COLUMN minimum_participants integer,
      ADD COLUMN guaranteed boolean,
      ADD COLUMN open_flag boolean,
      ADD COLUMN price numeric(10,2),
      ADD COLUMN surcharge numeric(10,2),
      ADD COLUMN search_code text,
      ADD COLUMN website text`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE veu.instance
      DROP COLUMN time_of_day, DROP COLUMN teaching_days, DROP COLUMN minimum_participants, DROP COLUMN guaranteed,
      DROP COLUMN open_flag, DROP COLUMN price, DROP COLUMN surcharge, DROP COLUMN search_code, DROP COLUMN website`.execute(db);
}
