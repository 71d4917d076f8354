import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { sql } from 'kysely';
import { PgBoss } from 'pg-boss';
import {
  startBossDeliveries,
  startInProcessDeliveries,
  WEBHOOK_QUEUE,
  type WebhookQueue,
} from '../connectors/insights/changes/delivery-queue.js';
import { dbTargets, freshDatabase, ownDatabase, type DbTarget, type TestDb } from './helpers/db.js';
import { graph } from './helpers/graph.js';
import { ndjson, testCvr, vrv } from './helpers/cvr.js';
import { contactInput, feed, RECORD } from './helpers/insights.js';
import { caller } from './helpers/security.js';

const SUBSCRIBE = `mutation ($input: WebhookSubscribeInput!) { webhookSubscribe(input: $input) { subscription { id url sections secret active } userErrors { field message } } }`;
const DELIVERIES = `query ($s: ID) { webhookDeliveries(subscription: $s) { id status attempts lastStatusCode lastError changes subscriptionActive } }`;

// Bounded only so a lost delivery fails the test rather than hanging it: far beyond what a busy machine needs.
const until = async (check: () => Promise<boolean>, ms = 180_000) => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('timed out');
};

// No waiting between attempts in the test: the backoff's first delay and its cap are 0 s.
const retry = { delaySeconds: 0, maxDelaySeconds: 0 };

const A = testCvr(801);
const B = testCvr(802);

/** A database's deliveries: a receiving server that answers from `answers` (then 200), and the queue that sends to it. */
interface Hookup {
  q: ReturnType<typeof graph>;
  url: string;
  queue: WebhookQueue;
  boss: PgBoss | null;
  received: { path: string; body: string; signature: string; answer: number }[];
  answers: number[];
  stop(): Promise<void>;
}

/** A in Herning (657), B in Aarhus. */
const companies = (h: TestDb) =>
  feed(h.db, 'cvr', ndjson([vrv({ cvr: A }), vrv({ cvr: B, kommuneKode: 751, postnummer: 8000, by: 'Aarhus C' })]));

async function hookup(h: TestDb, target: DbTarget): Promise<Hookup> {
  const q = graph(h.db, { principal: caller('crm-system', ['write:webhooks', 'write:contacts', 'read:insights'], ['Jobcenter Herning']) });
  const received: Hookup['received'] = [];
  const answers: number[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const answer = req.url?.endsWith('/failing') ? 503 : (answers.shift() ?? 200);
      received.push({ path: req.url ?? '', body, signature: String(req.headers['x-indgang-signature']), answer });
      res.writeHead(answer).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  let boss: PgBoss | null = null;
  let queue: WebhookQueue;
  if (target.name === 'postgres') {
    // pg-boss in the test's own database: a delivery's job is inserted in the transaction that makes it.
    boss = new PgBoss({ connectionString: h.url!, schema: 'pgboss' });
    await boss.start();
    queue = await startBossDeliveries(h.db, boss, { retry, pollingIntervalSeconds: 0.5 });
  } else {
    queue = startInProcessDeliveries(h.db, { retry });
  }
  expect(queue.kind).toBe(target.name === 'postgres' ? 'pg-boss' : 'in-process');
  const stop = async () => {
    await queue.stop();
    await boss?.stop({ graceful: false });
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  };
  return { q, url, queue, boss, received, answers, stop };
}

describe.each(dbTargets)('webhooks through the $name job queue', (target) => {
  // The refusal test writes nothing, so it shares a database and receiver with the delivery test. The
  // failure test's subscriptions would add batches and POSTs to what the delivery test counts, and the
  // delivery test's subscription to its batches: it has a database, receiver and queue of its own.
  let h: TestDb;
  let shared: Hookup;

  beforeAll(async () => {
    h = await freshDatabase(target);
    await companies(h);
    shared = await hookup(h, target);
  });
  afterAll(async () => {
    await shared?.stop();
    await h?.close();
  });

  it('refuses a URL that is not http(s), and the scope is needed', async () => {
    const { q, url } = shared;
    const r = await q(SUBSCRIBE, { input: { url: 'ftp://example.org/x' } });
    expect(r.data.webhookSubscribe).toEqual({
      subscription: null,
      userErrors: [{ field: ['input', 'url'], message: expect.stringMatching(/http or https/) }],
    });
    const reader = graph(h.db, { principal: caller('reader', ['read:insights']) });
    const denied = await reader(SUBSCRIBE, { input: { url } });
    expect(denied.errors?.length).toBeGreaterThan(0);
  });

  it('POSTs signed batches of the changes it follows, retried after a failure, and shows the attempts', async () => {
    const { q, url, queue, boss, received, answers } = shared;
    const r = await q(SUBSCRIBE, { input: { url, sections: ['CONTACTS'], municipality: '657' } });
    expect(r.errors).toBeUndefined();
    const { id, secret } = r.data.webhookSubscribe.subscription;
    expect(secret).toMatch(/^[\w-]{20,}$/);
    // A contact with A (Herning, 657) is followed; a registry change of B (Aarhus) is not.
    expect((await q(RECORD, { input: contactInput('hook-1', A) })).errors).toBeUndefined();
    await feed(h.db, 'cvr', ndjson([vrv({ cvr: B, name: 'Nyt Navn ApS', kommuneKode: 751, postnummer: 8000, by: 'Aarhus C' })]));
    answers.push(500);
    expect(await queue.step()).toHaveLength(1);
    // Only one batch per subscription at a time: nothing more is made while it is pending.
    expect(await queue.step()).toEqual([]);
    // The queue POSTs it, gets a 500, and tries again (the backoff is 0 s here) until it is delivered.
    await until(async () => (await q(DELIVERIES, { s: id })).data.webhookDeliveries[0]?.status === 'DELIVERED');
    const d = (await q(DELIVERIES, { s: id })).data.webhookDeliveries;
    expect(d).toEqual([
      {
        id: expect.any(String),
        status: 'DELIVERED',
        attempts: 2,
        lastStatusCode: 200,
        lastError: null,
        changes: 1,
        subscriptionActive: true,
      },
    ]);
    expect(received.map((m) => m.answer)).toEqual([500, 200]);
    if (boss) {
      // On Postgres the retry was pg-boss's: the delivery's one job, retried once, then completed.
      await until(
        async () =>
          (
            await sql<{
              state: string;
            }>`SELECT state FROM pgboss.job WHERE name = ${WEBHOOK_QUEUE} AND data->>'delivery' = ${d[0].id}`.execute(h.db)
          ).rows[0]?.state === 'completed',
      );
      const jobs =
        await sql`SELECT state, retry_count FROM pgboss.job WHERE name = ${WEBHOOK_QUEUE} AND data->>'delivery' = ${d[0].id}`.execute(h.db);
      expect(jobs.rows).toEqual([{ state: 'completed', retry_count: 1 }]);
    }
    expect(received[0]!.body).toBe(received[1]!.body);
    for (const m of received) {
      expect(m.signature).toBe(`sha256=${createHmac('sha256', secret).update(m.body).digest('hex')}`);
    }
    const batch = JSON.parse(received[1]!.body);
    expect(batch).toMatchObject({ subscription: id, changes: [{ cvr: A, sections: expect.arrayContaining(['CONTACTS']) }] });
    // Nothing new: nothing made, nothing sent.
    expect(await queue.step()).toEqual([]);
    expect(received).toHaveLength(2);
  });

  it('disables a subscription after repeated failure', async () => {
    const own = await ownDatabase(target, companies);
    const { q, url, queue, received, stop } = await hookup(own, target);
    onTestFinished(stop);
    // The subscription the delivery test makes, beside the failing one.
    expect((await q(SUBSCRIBE, { input: { url, sections: ['CONTACTS'], municipality: '657' } })).errors).toBeUndefined();
    const r = await q(SUBSCRIBE, { input: { url: url.replace('/hook', '/failing') } });
    const { id } = r.data.webhookSubscribe.subscription;
    expect((await q(RECORD, { input: contactInput('hook-2', A) })).errors).toBeUndefined();
    // Both subscriptions follow A's contacts: one batch each.
    expect(await queue.step()).toHaveLength(2);
    await until(async () => (await q(DELIVERIES, { s: id })).data.webhookDeliveries[0]?.status === 'FAILED');
    const d = (await q(DELIVERIES, { s: id })).data.webhookDeliveries;
    expect(d).toEqual([expect.objectContaining({ status: 'FAILED', attempts: 5, lastError: 'HTTP 503', subscriptionActive: false })]);
    expect(received.filter((m) => m.path === '/failing')).toHaveLength(5);
    // Disabled: no new batch, even with new changes.
    expect((await q(RECORD, { input: contactInput('hook-3', A) })).errors).toBeUndefined();
    await queue.step();
    expect((await q(DELIVERIES, { s: id })).data.webhookDeliveries).toHaveLength(1);
  });
});
