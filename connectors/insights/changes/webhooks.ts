import { createHmac, randomBytes } from 'node:crypto';
import { sql, type ExpressionBuilder, type SqlBool, type StringReference } from 'kysely';
import { textArray } from '../../../src/db/arrays.js';
import type { Db } from '../../../src/db/database.js';
import { readChanges } from './feed.js';
import { settledBelow } from './order.js';

/** Attempts of one delivery before it is given up (the queue's retry limit + 1); a subscription is disabled after this many failed deliveries in a row. */
export const MAX_ATTEMPTS = 5;
export const DISABLE_AFTER_FAILED_DELIVERIES = 1;
export const BATCH = 500;

// Ids and sequences are bigint; they travel as text and are cast back here, so none passes through a JS number.
const int8 = (v: string) => sql<number>`${v}::bigint`;
/** Bigint columns read as text, each under its own name (`d.id` as `id`). */
const asText = <DB, TB extends keyof DB, C extends StringReference<DB, TB> & string>(eb: ExpressionBuilder<DB, TB>, ...columns: C[]) =>
  columns.map((c) => eb.cast<string>(c, 'text').as(c.slice(c.indexOf('.') + 1) as C extends `${string}.${infer N}` ? N : C));
const now = sql<Date>`now()`;

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
  const row = await db
    .insertInto('insights.webhook')
    .values((eb) => ({
      caller,
      url: url.toString(),
      sections: textArray(input.sections ?? []),
      municipality_code: input.municipality ?? null,
      secret,
      last_sequence: eb
        .selectFrom('insights.company_profile as p')
        .select((eb) => eb.fn.coalesce(eb.fn.max('p.change_seq'), sql.lit(0)).as('seq'))
        .where(settledBelow(sql.ref('p.change_seq')).$castTo<SqlBool>()),
    }))
    .returning((eb) => asText(eb, 'id'))
    .executeTakeFirstOrThrow();
  const id = row.id;
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
  const subs = await db
    .selectFrom('insights.webhook')
    .select((eb) => asText(eb, 'id'))
    .where((eb) => eb.ref('active'))
    .orderBy('id')
    .execute();
  const made: string[] = [];
  for (const { id } of subs) {
    const delivery = await db.transaction().execute(async (tx) => {
      const s = await tx
        .selectFrom('insights.webhook')
        .select((eb) => ['sections', 'municipality_code', ...asText(eb, 'last_sequence')])
        .where('id', '=', int8(id))
        .where((eb) => eb.ref('active'))
        .forUpdate()
        .skipLocked()
        .executeTakeFirst();
      if (!s) return null;
      // A separate statement, so it sees a batch another process committed while this one waited for the lock.
      const pending = await tx
        .selectFrom('insights.webhook_delivery')
        .select(sql.lit(1).as('one'))
        .where('webhook_id', '=', int8(id))
        .where('status', '=', sql.lit('PENDING'))
        .limit(1)
        .executeTakeFirst();
      if (pending) return null;
      const from = BigInt(s.last_sequence);
      const all = await readChanges(tx, from, from, BATCH, { municipality: s.municipality_code });
      if (all.length === 0) return null;
      const last = all.at(-1)!.sequence;
      // The sections are filtered here rather than in the statement, so the batch still moves past the changes it skips.
      const changes = all.filter((c) => s.sections.length === 0 || c.sections.some((x) => s.sections.includes(x)));
      if (changes.length === 0) {
        await tx
          .updateTable('insights.webhook')
          .set({ last_sequence: int8(last) })
          .where('id', '=', int8(id))
          .execute();
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
      const row = await tx
        .insertInto('insights.webhook_delivery')
        .values({
          webhook_id: int8(id),
          first_sequence: int8(changes[0]!.sequence),
          last_sequence: int8(last),
          changes: changes.length,
          payload,
        })
        .returning((eb) => asText(eb, 'id'))
        .executeTakeFirstOrThrow();
      await queue(tx, row.id);
      return row.id;
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
  const d = await db
    .selectFrom('insights.webhook_delivery as d')
    .innerJoin('insights.webhook as w', 'w.id', 'd.webhook_id')
    .select((eb) => [
      ...asText(eb, 'd.id', 'd.webhook_id'),
      'w.url',
      'w.secret',
      'd.payload',
      'd.attempts',
      ...asText(eb, 'd.last_sequence'),
    ])
    .where('d.id', '=', int8(deliveryId))
    .where('d.status', '=', sql.lit('PENDING'))
    .where((eb) => eb.ref('w.active'))
    .executeTakeFirst();
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
      await tx
        .updateTable('insights.webhook_delivery')
        .set({
          status: sql.lit('DELIVERED'),
          attempts,
          last_status_code: status,
          last_error: null,
          last_attempt_at: now,
          delivered_at: now,
        })
        .where('id', '=', int8(d.id))
        .execute();
      await tx
        .updateTable('insights.webhook')
        .set((eb) => ({ last_sequence: eb.fn('greatest', ['last_sequence', int8(d.last_sequence)]), failures: 0 }))
        .where('id', '=', int8(d.webhook_id))
        .execute();
    });
    return { outcome: 'delivered' };
  }
  if (attempts >= MAX_ATTEMPTS) {
    await db.transaction().execute(async (tx) => {
      await tx
        .updateTable('insights.webhook_delivery')
        .set({ status: sql.lit('FAILED'), attempts, last_status_code: status, last_error: error, last_attempt_at: now })
        .where('id', '=', int8(d.id))
        .execute();
      await tx
        .updateTable('insights.webhook')
        .set((eb) => ({
          failures: eb('failures', '+', 1),
          active: eb(eb('failures', '+', 1), '<', DISABLE_AFTER_FAILED_DELIVERIES).$castTo<boolean>(),
          disabled_reason: `delivery ${d.id} failed ${attempts} times: ${error}`,
        }))
        .where('id', '=', int8(d.webhook_id))
        .execute();
    });
    return { outcome: 'failed', attempts, error };
  }
  await db
    .updateTable('insights.webhook_delivery')
    .set({ attempts, last_status_code: status, last_error: error, last_attempt_at: now })
    .where('id', '=', int8(d.id))
    .execute();
  return { outcome: 'retry', attempts, error };
}

/** The pending deliveries of active subscriptions (the in-process runner picks them up again at start). */
export async function pendingDeliveries(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom('insights.webhook_delivery as d')
    .innerJoin('insights.webhook as w', 'w.id', 'd.webhook_id')
    .select((eb) => asText(eb, 'd.id'))
    .where('d.status', '=', sql.lit('PENDING'))
    .where((eb) => eb.ref('w.active'))
    .orderBy('d.id')
    .execute();
  return rows.map((x) => x.id);
}

export async function listDeliveries(db: Db, webhook: string | null, first: number) {
  const rows = await db
    .selectFrom('insights.webhook_delivery as d')
    .innerJoin('insights.webhook as w', 'w.id', 'd.webhook_id')
    .select((eb) => [
      ...asText(eb, 'd.id', 'd.webhook_id', 'd.first_sequence', 'd.last_sequence'),
      'd.changes',
      'd.status',
      'd.attempts',
      'd.last_status_code',
      'd.last_error',
      'd.last_attempt_at',
      'd.delivered_at',
      'd.created_at',
      'w.active',
    ])
    .$if(webhook !== null, (q) => q.where('d.webhook_id', '=', int8(webhook!)))
    .orderBy('d.id', 'desc')
    .limit(first)
    .execute();
  return rows.map((x) => ({
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
