import { sql, type Kysely } from 'kysely';

// companyChanges(municipality:) and municipality-filtered webhooks read one municipality's companies in
// change order: this index serves that page as one range scan instead of filtering the whole feed.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE INDEX company_profile_municipality_change_seq ON insights.company_profile (municipality_code, change_seq)`.execute(db);
}
