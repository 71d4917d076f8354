import { createHmac, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../../src/db/database.js';
import { readChanges } from './feed.js';

/** Attempts of one delivery before it is given up; a subscription is disabled after this many failed deliveries in a row. */
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
  if (!url || !/^https?:$/.test(url.protocol)) return { subscription: null, userErrors: [{ field: ['input', 'url'], message: `give an http or https URL, not ${JSON.stringify(input.url)}` }] };
  if (input.municipality != null && !/^\d{3}$/.test(input.municipality)) return { subscription: null, userErrors: [{ field: ['input', 'municipality'], message: 'a municipality code is 3 digits, e.g. "657"' }] };
  const secret = randomBytes(24).toString('base64url');
  const row = await sql<{ id: string }>`
    INSERT INTO insights.webhook (caller, url, sections, municipality_code, secret, last_sequence)
    VALUES (${caller}, ${url.toString()}, ${input.sections ?? []}::text[], ${input.municipality ?? null}, ${secret},
      (SELECT coalesce(max(change_seq), 0) FROM insights.company_profile))
    RETURNING id::text`.execute(db);
  const id = row.rows[0]!.id;
  return { subscription: { id, url: url.toString(), sections: input.sections ?? [], municipality: input.municipality ?? null, secret, active: true }, userErrors: [] };
}

/**
 * Makes the next delivery of every active subscription that has none pending: the changes after its
 * last sequence (filtered on its sections and municipality), as one JSON batch.
 */
export async function enqueueDeliveries(db: Db): Promise<number> {
  const subs = await sql<{ id: string; sections: string[]; municipality_code: string | null; last_sequence: string }>`
    SELECT w.id::text, w.sections, w.municipality_code, w.last_sequence::text FROM insights.webhook w
    WHERE w.active AND NOT EXISTS (SELECT 1 FROM insights.webhook_delivery d WHERE d.webhook_id = w.id AND d.status = 'PENDING')`.execute(db);
  let made = 0;
  for (const s of subs.rows) {
    const from = BigInt(s.last_sequence);
    const all = await readChanges(db, from, from, BATCH, { municipality: s.municipality_code });
    if (all.length === 0) continue;
    const last = all.at(-1)!.sequence;
    const changes = all.filter((c) => s.sections.length === 0 || c.sections.some((x) => s.sections.includes(x)));
    if (changes.length === 0) {
      await sql`UPDATE insights.webhook SET last_sequence = ${last}::bigint WHERE id = ${s.id}::bigint`.execute(db);
      continue;
    }
    const payload = JSON.stringify({
      subscription: s.id,
      afterSequence: String(from),
      lastSequence: last,
      changes: changes.map((c) => ({ cvr: c.cvr, sequence: c.sequence, changedAt: new Date(c.changedAt).toISOString(), sections: c.sections })),
    });
    await sql`
      INSERT INTO insights.webhook_delivery (webhook_id, first_sequence, last_sequence, changes, payload)
      VALUES (${s.id}::bigint, ${changes[0]!.sequence}::bigint, ${last}::bigint, ${changes.length}, ${payload})`.execute(db);
    made++;
  }
  return made;
}

/** POSTs the due deliveries; a failure is tried again after 2^attempts × baseMs; the last failure disables the subscription. */
export async function deliverDue(db: Db, opts: { baseMs?: number; timeoutMs?: number } = {}): Promise<number> {
  const base = opts.baseMs ?? 30_000;
  const due = await sql<{ id: string; webhook_id: string; url: string; secret: string; payload: string; attempts: number; last_sequence: string }>`
    SELECT d.id::text, d.webhook_id::text, w.url, w.secret, d.payload, d.attempts, d.last_sequence::text
    FROM insights.webhook_delivery d JOIN insights.webhook w ON w.id = d.webhook_id
    WHERE d.status = 'PENDING' AND d.next_attempt_at <= now() AND w.active
    ORDER BY d.next_attempt_at LIMIT 100`.execute(db);
  for (const d of due.rows) {
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
      error = (e as Error).name === 'TimeoutError' ? 'no answer in time' : ((e as Error & { cause?: { code?: string } }).cause?.code ?? (e as Error).message);
    }
    const attempts = d.attempts + 1;
    if (!error) {
      await db.transaction().execute(async (tx) => {
        await sql`UPDATE insights.webhook_delivery SET status = 'DELIVERED', attempts = ${attempts}, last_status_code = ${status}, last_error = NULL, last_attempt_at = now(), delivered_at = now() WHERE id = ${d.id}::bigint`.execute(tx);
        await sql`UPDATE insights.webhook SET last_sequence = greatest(last_sequence, ${d.last_sequence}::bigint), failures = 0 WHERE id = ${d.webhook_id}::bigint`.execute(tx);
      });
    } else if (attempts >= MAX_ATTEMPTS) {
      await db.transaction().execute(async (tx) => {
        await sql`UPDATE insights.webhook_delivery SET status = 'FAILED', attempts = ${attempts}, last_status_code = ${status}, last_error = ${error}, last_attempt_at = now() WHERE id = ${d.id}::bigint`.execute(tx);
        await sql`UPDATE insights.webhook SET failures = failures + 1, active = failures + 1 < ${DISABLE_AFTER_FAILED_DELIVERIES},
          disabled_reason = ${`delivery ${d.id} failed ${attempts} times: ${error}`} WHERE id = ${d.webhook_id}::bigint`.execute(tx);
      });
    } else {
      await sql`UPDATE insights.webhook_delivery SET attempts = ${attempts}, last_status_code = ${status}, last_error = ${error}, last_attempt_at = now(),
        next_attempt_at = now() + ${`${base * 2 ** (attempts - 1)} milliseconds`}::interval WHERE id = ${d.id}::bigint`.execute(db);
    }
  }
  return due.rows.length;
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

/** One step of the webhook loop: new batches, then the due deliveries. */
export async function webhookStep(db: Db, opts: { baseMs?: number } = {}): Promise<void> {
  await enqueueDeliveries(db);
  await deliverDue(db, opts);
}
