import { sql, type Selectable } from 'kysely';
import type { Db } from '../../src/db/database.js';
import type { ContactRecord } from './domain.js';
import type { ContactVersionTable } from './tables.js';

type Row = Selectable<ContactVersionTable>;

const toContact = (r: Row): ContactRecord => ({
  uuid: r.contact_id,
  version: r.version,
  cvr: r.cvr,
  system: r.system as ContactRecord['system'],
  organisation: r.organisation,
  consultant: r.consultant,
  channel: r.channel as ContactRecord['channel'],
  date: r.date,
  topics: r.topics,
  outcome: r.outcome,
  followUpOn: r.follow_up_on,
  status: r.status,
  reason: r.reason,
  recordedBy: r.recorded_by,
  recordedAt: r.recorded_at,
});

/** The current (latest) version of each contact. The insights connector derives the timeline with the same rule. */
function current(db: Db) {
  return db
    .selectFrom('coordination.contact_version as v')
    .selectAll('v')
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('coordination.contact_version as n')
            .select('n.version')
            .whereRef('n.contact_id', '=', 'v.contact_id')
            .whereRef('n.version', '>', 'v.version'),
        ),
      ),
    );
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function contactsById(db: Db, ids: readonly string[]): Promise<ContactRecord[]> {
  // An id that is not a UUID names no contact; it never reaches Postgres (which would refuse its type).
  const valid = ids.filter((id) => UUID.test(id));
  if (valid.length === 0) return [];
  return (await current(db).where('v.contact_id', 'in', valid).execute()).map(toContact);
}

export async function insertVersion(db: Db, v: Omit<Row, 'recorded_at'>): Promise<void> {
  await db
    .insertInto('coordination.contact_version')
    .values({ ...v, topics: sql`${v.topics}::text[]` as any })
    .execute();
}

/** Claims a caller's idempotency key; false when that caller already used it (then `findRequest` tells for what). */
export async function claimRequest(
  db: Db,
  r: { caller: string; key: string; operation: string; inputHash: string; contactId: string; version: number },
): Promise<boolean> {
  const inserted = await db
    .insertInto('coordination.write_request')
    .values({
      caller: r.caller,
      idempotency_key: r.key,
      operation: r.operation,
      input_hash: r.inputHash,
      contact_id: r.contactId,
      version: r.version,
    })
    .onConflict((oc) => oc.columns(['caller', 'idempotency_key']).doNothing())
    .returning('idempotency_key')
    .executeTakeFirst();
  return inserted !== undefined;
}

export async function findRequest(db: Db, caller: string, key: string) {
  return db
    .selectFrom('coordination.write_request')
    .selectAll()
    .where('caller', '=', caller)
    .where('idempotency_key', '=', key)
    .executeTakeFirst();
}

export async function contactVersion(db: Db, id: string, version: number): Promise<ContactRecord | undefined> {
  const r = await db
    .selectFrom('coordination.contact_version')
    .selectAll()
    .where('contact_id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return r ? toContact(r) : undefined;
}

/** The contact log checks a CVR against the register, the spine every record hangs on. */
export async function companyKnown(db: Db, cvr: string): Promise<boolean> {
  return (await db.selectFrom('registry.company').select('cvr').where('cvr', '=', cvr).executeTakeFirst()) !== undefined;
}
