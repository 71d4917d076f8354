import { sql, type Kysely } from 'kysely';

/**
 * Rejects kept before the c/o name (conavn) became a person key still carry it in their raw text: its value
 * is blanked, as ingest now drops the key before a reject is kept (it often names a person).
 */
const CONAVN_VALUE = String.raw`"conavn"\s*:\s*"(?:[^"\\]|\\.)*"`;

export async function up(db: Kysely<any>): Promise<void> {
  await sql`UPDATE ingest.reject SET raw = regexp_replace(raw, ${CONAVN_VALUE}, '"conavn":null', 'g') WHERE raw LIKE '%conavn%'`.execute(
    db,
  );
}

export async function down(): Promise<void> {
  // The names are gone for good.
}
