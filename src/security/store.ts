import { sql, type Selectable } from 'kysely';
import { textArray } from '../db/arrays.js';
import type { Db } from '../db/database.js';
import type { AccessLogFilter, AccessLogRecord, CallerRecord } from './records.js';
import type { AccessLogTable, CallerTable } from './tables.js';
import { callersChanged } from './caller-cache.js';

const toCaller = (r: Selectable<CallerTable>): CallerRecord => ({
  name: r.name,
  keyHint: r.key_hint,
  organisations: r.organisations,
  scopes: r.scopes,
  rateLimit: r.rate_limit,
  createdAt: r.created_at,
  revokedAt: r.revoked_at,
});

const toEntry = (r: Selectable<AccessLogTable>): AccessLogRecord => ({
  id: Number(r.id),
  at: r.at,
  caller: r.caller,
  operation: r.operation,
  requestId: r.request_id,
  servedBy: r.served_by,
  reads: r.reads,
  cvrs: r.cvrs,
});

export async function insertCaller(
  db: Db,
  c: { name: string; keyHash: string; keyHint: string; organisations: string[]; scopes: string[]; rateLimit: number | null },
): Promise<boolean> {
  const r = await db
    .insertInto('security.caller')
    .values({
      name: c.name,
      key_hash: c.keyHash,
      key_hint: c.keyHint,
      organisations: textArray(c.organisations),
      scopes: textArray(c.scopes),
      rate_limit: c.rateLimit,
      revoked_at: null,
    })
    .onConflict((oc) => oc.column('name').doNothing())
    .returning('name')
    .executeTakeFirst();
  return r !== undefined;
}

export async function listCallers(db: Db): Promise<CallerRecord[]> {
  return (await db.selectFrom('security.caller').selectAll().orderBy('created_at', 'desc').orderBy('name').execute()).map(toCaller);
}

export async function callerByName(db: Db, name: string): Promise<CallerRecord | undefined> {
  const r = await db.selectFrom('security.caller').selectAll().where('name', '=', name).executeTakeFirst();
  return r ? toCaller(r) : undefined;
}

export async function callerByKeyHash(db: Db, keyHash: string): Promise<CallerRecord | undefined> {
  const r = await db.selectFrom('security.caller').selectAll().where('key_hash', '=', keyHash).executeTakeFirst();
  return r ? toCaller(r) : undefined;
}

/** Revokes a caller's key for good: 'unknown' for no such caller, 'already' when it was revoked before. */
export async function revokeCaller(db: Db, name: string): Promise<'revoked' | 'already' | 'unknown'> {
  const r = await db
    .updateTable('security.caller')
    .set({ revoked_at: sql<Date>`now()` })
    .where('name', '=', name)
    .where('revoked_at', 'is', null)
    .returning('name')
    .executeTakeFirst();
  if (r) {
    callersChanged();
    return 'revoked';
  }
  return (await callerByName(db, name)) ? 'already' : 'unknown';
}

/** One statement, whatever the number of companies: the request's reads as one row. */
export async function insertAccessLog(db: Db, e: Omit<AccessLogRecord, 'id' | 'at'>): Promise<void> {
  await db
    .insertInto('security.access_log')
    .values({
      caller: e.caller,
      operation: e.operation,
      request_id: e.requestId,
      served_by: e.servedBy,
      reads: textArray(e.reads),
      cvrs: textArray(e.cvrs),
    })
    .execute();
}

/** Entries matching the filter, newest first, from before the entry `beforeId` when paging. */
export async function accessLogEntries(
  db: Db,
  f: AccessLogFilter,
  limit: number,
  beforeId: number | null = null,
): Promise<AccessLogRecord[]> {
  let q = db.selectFrom('security.access_log').selectAll();
  if (f.cvr) q = q.where('cvrs', '@>', textArray([f.cvr]));
  if (f.caller) q = q.where('caller', '=', f.caller);
  if (f.since) q = q.where('at', '>=', sql<Date>`${f.since}::date::timestamptz`);
  if (beforeId !== null) q = q.where('id', '<', beforeId);
  return (await q.orderBy('id', 'desc').limit(limit).execute()).map(toEntry);
}

export async function countAccessLog(db: Db, f: AccessLogFilter): Promise<number> {
  let q = db.selectFrom('security.access_log').select((eb) => eb.fn.countAll<number>().as('n'));
  if (f.cvr) q = q.where('cvrs', '@>', textArray([f.cvr]));
  if (f.caller) q = q.where('caller', '=', f.caller);
  if (f.since) q = q.where('at', '>=', sql<Date>`${f.since}::date::timestamptz`);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

/** Deletes entries older than the retention (the only deletion the log allows); returns how many. */
export async function pruneAccessLog(db: Db, days: number): Promise<number> {
  return db.transaction().execute(async (tx) => {
    await sql`SELECT set_config('indgang.access_log_prune', 'on', true)`.execute(tx);
    const r = await tx
      .deleteFrom('security.access_log')
      .where('at', '<', sql<Date>`now() - make_interval(days => ${days})`)
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  });
}
