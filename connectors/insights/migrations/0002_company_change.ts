import { sql, type Kysely } from 'kysely';

// Which sections of a company changed at each change sequence number, for the change feed
// (Query.companyChanges). One row per number given out; the feed reads a page of companies from
// company_profile (change_seq index) and their sections since the caller's number from here (cvr, seq).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE insights.company_change (
      seq bigint PRIMARY KEY,
      cvr text NOT NULL,
      changed_at timestamptz NOT NULL DEFAULT now(),
      sections text[] NOT NULL DEFAULT '{}'
    )`.execute(db);
  await sql`CREATE INDEX company_change_company ON insights.company_change (cvr, seq)`.execute(db);
  // Numbers given out before this table existed: their sections are unknown, so every section is named.
  await sql`
    INSERT INTO insights.company_change (seq, cvr, changed_at, sections)
    SELECT change_seq, cvr, changed_at, '{REGISTRY,RECRUITMENT,GROWTH,UPSKILLING,CONTACTS,INSIGHTS}'
    FROM insights.company_profile WHERE change_seq > 0`.execute(db);
}
