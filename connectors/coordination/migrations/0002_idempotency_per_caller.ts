import { sql, type Kysely } from 'kysely';

/**
 * Idempotency keys belong to the caller that sent them: two callers may use the same key without meeting.
 * Existing API writes take the caller recorded on the version they wrote; the contacts feed's keys
 * ("contacts-feed:…") keep the empty caller, which stands for the feed.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE coordination.write_request ADD COLUMN caller text NOT NULL DEFAULT ''`.execute(db);
  await sql`
    UPDATE coordination.write_request w SET caller = v.recorded_by
    FROM coordination.contact_version v
    WHERE v.contact_id = w.contact_id AND v.version = w.version AND w.idempotency_key NOT LIKE 'contacts-feed:%'`.execute(db);
  await sql`ALTER TABLE coordination.write_request DROP CONSTRAINT write_request_pkey`.execute(db);
  await sql`ALTER TABLE coordination.write_request ADD PRIMARY KEY (caller, idempotency_key)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE coordination.write_request DROP CONSTRAINT write_request_pkey`.execute(db);
  await sql`ALTER TABLE coordination.write_request DROP COLUMN caller`.execute(db);
  await sql`ALTER TABLE coordination.write_request ADD PRIMARY KEY (idempotency_key)`.execute(db);
}
