import { createHmac, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../../src/db/database.js';
import { readChanges } from './feed.js';
import { settledBelow } from './order.js';

/** Attempts of one delivery before it is given up (the queue's retry limit + 1); a subscription is disabled after this many failed deliveries in a row. */
export const MAX_ATTEMPTS = 5;
export const DISABLE_AFTER_FAILED_DELIVERIES = 1;
export const BATCH = 500;

export const signature = (secret: string, body: string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

export interface WebhookInput {
  url: string;
  sections?: string[] | null;
  municipality?: string | null;
}

export async function subscribe(db: Db, caller: string | null, input: WebhookInput) {
  let url: URL | null;
  try {
    url = new URL(input.url);
  } catch {
    url = null;
  }
  if (!url || !/^https?:$/.test(url.protocol))
    return {
      subscription: null,
      userErrors: [{ field: ['input', 'url'], message: `give an http or https URL, not ${JSON.stringify(input.url)}` }],
    };
  if (input.municipality != null && !/^\d{3}$/.test(input.municipality))
    return {
      subscription: null,
      userErrors: [{ field: ['input', 'municipality'], message: 'a municipality code is 3 digits, e.g. "657"' }],
    };
  const secret = randomBytes(24).toString('base64url');
  const row = await sql<{ id: string }>`
    INSERT INTO insights.webhook (caller, url, sections, municipality_code, secret, last_sequence)
    VALUES (${caller}, ${url.toString()}, ${input.sections ?? []}::text[], ${input.municipality ?? null}, ${secret},
      (SELECT coalesce(max(p.change_seq), 0) FROM insights.company_profile p WHERE ${settledBelow(sql`p.change_seq`)}))
    RETURNING id::text`.execute(db);
  const id = row.rows[0]!.id;
  return {
    subscription: {
      id,
      url: url.toString(),
      sections: input.sections ?? [],
      municipality: input.municipality ?? null,
      secret,
      active: true,
    },
    userErrors: [],
  };
}

/** Called inside the transaction that makes a delivery, so its job commits with it (pg-boss), or after it (in-process). */
export type QueueDelivery = (tx: Db, deliveryId: string) => Promise<unknown>;

/**
 * Makes the next delivery of every active subscription that has none pending: the changes after its
 * last sequence (filtered on its sections and municipality), as one JSON batch, and queues it. Each
 * subscription is locked while its batch is made (SKIP LOCKED), so two processes never make the same batch.
 * Returns the ids of the deliveries made.
 */
export async function makeDeliveries(db: Db, queue: QueueDelivery): Promise<string[]> {
  const subs = await sql<{ id: string }>`SELECT id::text FROM insights.webhook WHERE active ORDER BY id`.execute(db);
  const made: string[] = [];
  for (const { id } of subs.rows) {
    const delivery = await db.transaction().execute(async (tx) => {
      const s = (
        await sql<{ sections: string[]; municipality_code: string | null; last_sequence: string }>`
          SELECT sections, municipality_code, last_sequence::text FROM insights.webhook WHERE id = ${id}::bigint AND active FOR UPDATE SKIP LOCKED`.execute(
          tx,
        )
      ).rows[0];
      if (!s) return null;
      // A separate statement, so it sees a batch another process committed while this one waited for the lock.
      const pending =
        await sql`SELECT 1 FROM insights.webhook_delivery WHERE webhook_id = ${id}::bigint AND status = 'PENDING' LIMIT 1`.execute(tx);
      if (pending.rows.length > 0) return null;
      const from = BigInt(s.last_sequence);
      const all = await readChanges(tx, from, from, BATCH, { municipality: s.municipality_code });
      if (all.length === 0) return null;
      const last = all.at(-1)!.sequence;
      // The sections are filtered here rather than in the statement, so the batch still moves past the changes it skips.
      const changes = all.filter((c) => s.sections.length === 0 || c.sections.some((x) => s.sections.includes(x)));
      if (changes.length === 0) {
        await sql`UPDATE insights.webhook SET last_sequence = ${last}::bigint WHERE id = ${id}::bigint`.execute(tx);
        return null;
      }
      const payload = JSON.stringify({
        subscription: id,
        afterSequence: String(from),
        lastSequence: last,
        changes: changes.map((c) => ({
          cvr: c.cvr,
          sequence: c.sequence,
          changedAt: new Date(c.changedAt).toISOString(),
          sections: c.sections,
        })),
      });
      const row = await sql<{ id: string }>`
        INSERT INTO insights.webhook_delivery (webhook_id, first_sequence, last_sequence, changes, payload)
        VALUES (${id}::bigint, ${changes[0]!.sequence}::bigint, ${last}::bigint, ${changes.length}, ${payload})
        RETURNING id::text`.execute(tx);
      await queue(tx, row.rows[0]!.id);
      return row.rows[0]!.id;
    });
    if (delivery) made.push(delivery);
  }
  return made;
}

export type AttemptOutcome = { outcome: 'delivered' | 'gone' } | { outcome: 'retry' | 'failed'; attempts: number; error: string };

/**
 * One POST of a pending delivery. A 2xx answer delivers it and moves its subscription on; a failure is
 * recorded, and the queue tries again with backoff; the MAX_ATTEMPTS-th failure marks it FAILED and
 * disables the subscription.
 */
export async function attemptDelivery(db: Db, deliveryId: string, opts: { timeoutMs?: number } = {}): Promise<AttemptOutcome> {
  const d = (
    await sql<{ id: string; webhook_id: string; url: string; secret: string; payload: string; attempts: number; last_sequence: string }>`
      SELECT d.id::text, d.webhook_id::text, w.url, w.secret, d.payload, d.attempts, d.last_sequence::text
      FROM insights.webhook_delivery d JOIN insights.webhook w ON w.id = d.webhook_id
      WHERE d.id = ${deliveryId}::bigint AND d.status = 'PENDING' AND w.active`.execute(db)
  ).rows[0];
  if (!d) return { outcome: 'gone' };
  let status: number | null = null;
  let error: string | null = null;
  try {
    const res = await fetch(d.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-indgang-signature': signature(d.secret, d.payload), 'x-indgang-delivery': d.id },
      body: d.payload,
      signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
    });
    status = res.status;
    await res.arrayBuffer().catch(() => undefined);
    if (!res.ok) error = `HTTP ${res.status}`;
  } catch (e) {
    error =
      (e as Error).name === 'TimeoutError'
        ? 'no answer in time'
        : ((e as Error & { cause?: { code?: string } }).cause?.code ?? (e as Error).message);
  }
  const attempts = d.attempts + 1;
  if (!error) {
    await db.transaction().execute(async (tx) => {
      await sql`UPDATE insights.webhook_delivery SET status = 'DELIVERED', attempts = ${attempts}, last_status_code = ${status}, last_error = NULL, last_attempt_at = now(), delivered_at = now() WHERE id = ${d.id}::bigint`.execute(
        tx,
      );
      await sql`UPDATE insights.webhook SET last_sequence = greatest(last_sequence, ${d.last_sequence}::bigint), failures = 0 WHERE id = ${d.webhook_id}::bigint`.execute(
        tx,
      );
    });
    return { outcome: 'delivered' };
  }
  if (attempts >= MAX_ATTEMPTS) {
    await db.transaction().execute(async (tx) => {
      await sql`UPDATE insights.webhook_delivery SET status = 'FAILED', attempts = ${attempts}, last_status_code = ${status}, last_error = ${error}, last_attempt_at = now() WHERE id = ${d.id}::bigint`.execute(
        tx,
      );
      await sql`UPDATE insights.webhook SET failures = failures + 1, active = failures + 1 < ${DISABLE_AFTER_FAILED_DELIVERIES},
        disabled_reason = ${`delivery ${d.id} failed ${attempts} times: ${error}`} WHERE id = ${d.webhook_id}::bigint`.execute(tx);
    });
    return { outcome: 'failed', attempts, error };
  }
  await sql`UPDATE insights.webhook_delivery SET attempts = ${attempts}, last_status_code = ${status}, last_error = ${error}, last_attempt_at = now() WHERE id = ${d.id}::bigint`.execute(
    db,
  );
  return { outcome: 'retry', attempts, error };
}

/** The pending deliveries of active subscriptions (the in-process runner picks them up again at start). */
export async function pendingDeliveries(db: Db): Promise<string[]> {
  const r = await sql<{ id: string }>`
    SELECT d.id::text FROM insights.webhook_delivery d JOIN insights.webhook w ON w.id = d.webhook_id
    WHERE d.status = 'PENDING' AND w.active ORDER BY d.id`.execute(db);
  return r.rows.map((x) => x.id);
}

export async function listDeliveries(db: Db, webhook: string | null, first: number) {
  const where = webhook ? sql`WHERE d.webhook_id = ${webhook}::bigint` : sql``;
  const r = await sql<any>`
    SELECT d.id::text, d.webhook_id::text, d.first_sequence::text, d.last_sequence::text, d.changes, d.status, d.attempts, d.last_status_code,
      d.last_error, d.last_attempt_at, d.delivered_at, d.created_at, w.active
    FROM insights.webhook_delivery d JOIN insights.webhook w ON w.id = d.webhook_id ${where}
    ORDER BY d.id DESC LIMIT ${first}`.execute(db);
  return r.rows.map((x) => ({
    id: x.id,
    subscriptionId: x.webhook_id,
    firstSequence: x.first_sequence,
    lastSequence: x.last_sequence,
    changes: x.changes,
    status: x.status,
    attempts: x.attempts,
    lastStatusCode: x.last_status_code,
    lastError: x.last_error,
    lastAttemptAt: x.last_attempt_at,
    deliveredAt: x.delivered_at,
    subscriptionActive: x.active,
  }));
}
