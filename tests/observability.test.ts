import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import { Writable } from 'node:stream';
import pino from 'pino';
import { connectors } from '../src/connectors.js';
import { mergedSchema } from '../src/graphql/schema.js';
import { startHttpServer, type RunningServer } from '../src/server/http.js';
import { requestIdFor } from '../src/server/request-id.js';
import { logRequests } from '../src/observability/request-log.js';
import { dbTargets, freshDatabase, type TestDb } from './helpers/db.js';
import { ingestText } from './helpers/graph.js';
import { ndjson, testCvr, vrv } from './helpers/cvr.js';
import Fastify from 'fastify';
import { sql } from 'kysely';
import { PgBoss } from 'pg-boss';
import {
  startBossDeliveries,
  startInProcessDeliveries,
  WEBHOOK_QUEUE,
  type WebhookQueue,
} from '../connectors/insights/changes/delivery-queue.js';
import { watchQueueDepth, watchSyncLag } from '../src/observability/metrics.js';
import { parseSyncConfig } from '../src/sync/config.js';
import { markStarted, saveCheckpoint } from '../src/sync/state.js';
import { syncLags } from '../src/sync/status.js';
import { graph } from './helpers/graph.js';
import { contactInput, RECORD } from './helpers/insights.js';

const post = (url: string, body: object, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

/** The value of one sample line of a Prometheus text exposition, or 0 when absent. */
function sample(text: string, name: string, labels: Record<string, string>): number {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const inside = line.slice(name.length + 1, line.lastIndexOf('}'));
    if (Object.entries(labels).every(([k, v]) => inside.includes(`${k}="${v}"`))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return 0;
}

describe.each(dbTargets)('metrics, request ids and readiness on $name', (target) => {
  let h: TestDb;
  let server: RunningServer;
  let base: string;
  beforeAll(async () => {
    h = await freshDatabase(target);
    await ingestText(h.db, 'cvr', ndjson([vrv({ cvr: testCvr(1), name: 'Herning Stål ApS' })]));
    server = await startHttpServer({ schema: mergedSchema(connectors), db: h.db, port: 0, production: false, sandbox: true });
    base = server.url.replace('/graphql', '');
  });
  afterAll(async () => {
    await server?.stop();
    await h?.close();
  });

  it('moves the request histogram and the error counter on /metrics', async () => {
    const before = await (await fetch(`${base}/metrics`)).text();
    const count = (t: string) => sample(t, 'indgang_graphql_request_duration_seconds_count', { operation: 'ObsCompany', outcome: 'ok' });
    const errors = (t: string) => sample(t, 'indgang_graphql_errors_total', { code: 'BAD_USER_INPUT' });
    for (let i = 0; i < 3; i++) {
      const res = await post(server.url, { query: `query ObsCompany { company(cvr: "${testCvr(1)}") { name } }` });
      expect((await res.json()).data.company.name).toBe('Herning Stål ApS');
    }
    const bad = await post(server.url, { query: 'query ObsBad { company(cvr: "12345678") { name } }' });
    expect((await bad.json()).errors[0].extensions.code).toBe('BAD_USER_INPUT');
    const res = await fetch(`${base}/metrics`);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const after = await res.text();
    expect(count(after) - count(before)).toBe(3);
    expect(errors(after) - errors(before)).toBe(1);
    expect(after).toContain('indgang_graphql_request_duration_seconds_bucket{le="0.005",operation="ObsCompany",outcome="ok"}');
    expect(after).toContain('# TYPE indgang_ingest_rows_total counter');
    expect(sample(after, 'indgang_ingest_rows_total', { source: 'cvr', outcome: 'inserted' })).toBeGreaterThan(0);
    expect(after).toContain('indgang_db_pool_connections');
  });

  it('shows queue depth and sync lag', async () => {
    const metrics = async () => (await fetch(`${base}/metrics`)).text();
    const depth = (t: string) => sample(t, 'indgang_queue_depth', { queue: WEBHOOK_QUEUE });
    // A webhook whose receiver refuses (fetch will not connect to port 9): after its first failed POST the
    // delivery waits an hour for its retry, in pg-boss on Postgres, in the in-process runner on PGlite.
    const boss = target.name === 'postgres' ? new PgBoss({ connectionString: h.url!, schema: 'pgboss' }) : null;
    await boss?.start();
    const retry = { delaySeconds: 3600, maxDelaySeconds: 3600 };
    const queue: WebhookQueue = boss
      ? await startBossDeliveries(h.db, boss, { retry, pollingIntervalSeconds: 0.5 })
      : startInProcessDeliveries(h.db, { retry });
    const unwatchQueue = watchQueueDepth(() => queue.depth());
    const syncs = parseSyncConfig(
      {
        syncs: [
          { name: 'cvr-nightly', source: 'cvr', fetch: { kind: 'file', glob: '/nonexistent/*.ndjson' } },
          { name: 'never-ran', source: 'jobnet', fetch: { kind: 'file', glob: '/nonexistent/*.json' } },
        ],
      },
      null,
      {},
    );
    if (!syncs.ok) throw new Error(syncs.errors.join('\n'));
    const unwatchLag = watchSyncLag(() => syncLags(h.db, syncs.syncs));
    try {
      expect(depth(await metrics())).toBe(0);
      const q = graph(h.db);
      const sub = await q(`mutation { webhookSubscribe(input: { url: "http://127.0.0.1:9/hook" }) { subscription { id } } }`);
      expect(sub.errors).toBeUndefined();
      expect((await q(RECORD, { input: contactInput('obs-1', testCvr(1)) })).errors).toBeUndefined();
      expect(await queue.step()).toHaveLength(1);
      // Waits for the delivery to wait for its retry: tried once and counted again. On pg-boss the job counts while
      // queued, not while a worker holds it, so a gauge that has just moved may drop back for that moment.
      const attempted = async () =>
        (await sql<{ n: number }>`SELECT count(*)::int AS n FROM insights.webhook_delivery WHERE attempts > 0`.execute(h.db)).rows[0]!.n >
        0;
      const end = Date.now() + 180_000; // returns as soon as that holds; the bound only stops a hang
      while (!((await attempted()) && depth(await metrics()) === 1) && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
      const text = await metrics();
      expect(text).toContain('# TYPE indgang_queue_depth gauge');
      expect(depth(text)).toBe(1);
      // The sync succeeded an hour ago: its lag is an hour (and a little); the one that never ran has none.
      await markStarted(h.db, 'cvr-nightly', 'cvr');
      await saveCheckpoint(h.db, 'cvr-nightly', 'cvr', null, null);
      await sql`UPDATE sync.state SET last_succeeded_at = now() - interval '1 hour' WHERE name = 'cvr-nightly'`.execute(h.db);
      const lagText = await metrics();
      const lag = sample(lagText, 'indgang_sync_lag_seconds', { sync: 'cvr-nightly' });
      expect(lag).toBeGreaterThanOrEqual(3600);
      expect(lag).toBeLessThan(3600 + 600);
      expect(lagText).not.toContain('indgang_sync_lag_seconds{sync="never-ran"}');
    } finally {
      unwatchQueue();
      unwatchLag();
      await queue.stop();
      await boss?.stop({ graceful: false });
    }
  });

  it('returns a request id, keeping a sane one the caller sent', async () => {
    const res = await post(server.url, { query: '{ __typename }' });
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const mine = await post(server.url, { query: '{ __typename }' }, { 'x-request-id': 'job-42.attempt-1' });
    expect(mine.headers.get('x-request-id')).toBe('job-42.attempt-1');
    const odd = await post(server.url, { query: '{ __typename }' }, { 'x-request-id': 'a b<script>' });
    expect(odd.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('offers the schema file for download with the sandbox', async () => {
    const res = await fetch(`${base}/schema.graphql`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain('schema.graphql');
    expect(await res.text()).toContain('type Company');
  });
});

describe('request log', () => {
  it('logs one line per request with request id, operation, caller and no query string', async () => {
    const lines: any[] = [];
    const sink = new Writable({ write: (chunk, _enc, cb) => (lines.push(JSON.parse(String(chunk))), cb()) });
    // forceCloseConnections: the abandoned request's connection would otherwise hold close() for the keep-alive timeout.
    const app = Fastify({ genReqId: (req) => requestIdFor(req.headers['x-request-id']), forceCloseConnections: true });
    app.decorateRequest('forwarded', null);
    app.decorateRequest('graphqlContext', null);
    app.addHook('onRequest', async (request, reply) => {
      reply.header('x-request-id', request.id);
    });
    logRequests(app, pino({ level: 'info' }, sink));
    app.get('/graphql', async (request) => {
      request.forwarded = { principal: { id: 'herning-jc' } } as never;
      request.graphqlContext = { operationName: 'CompanyPage' };
      return { ok: true };
    });
    app.get('/healthz', async () => ({ status: 'ok' }));
    let entered!: () => void;
    const inHandler = new Promise<void>((r) => (entered = r));
    app.get('/slow', async () => {
      entered();
      await new Promise((r) => setTimeout(r, 300));
      return { late: true };
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.server.address() as { port: number }).port;
    const res = await fetch(`http://127.0.0.1:${port}/graphql?query=secret&variables=%7B%22cpr%22%3A1%7D`);
    // Read to the end: a response left unread stays in flight, and closing the server waits for it.
    await res.text();
    await (await fetch(`http://127.0.0.1:${port}/healthz`)).text();
    // A client that goes away while its request runs still gets its line, with no status.
    const gone = new AbortController();
    const abandoned = fetch(`http://127.0.0.1:${port}/slow`, { signal: gone.signal }).catch(() => null);
    await inHandler;
    gone.abort();
    await abandoned;
    const end = Date.now() + 60_000; // returns as soon as the line is there; the bound only stops a hang
    while (lines.length < 2 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    await app.close();
    expect(lines, JSON.stringify(lines)).toHaveLength(2);
    const line = lines[0];
    expect(line.requestId).toBe(res.headers.get('x-request-id'));
    expect(line.caller).toBe('herning-jc');
    expect(line.operation).toBe('CompanyPage');
    expect(line.msg).toBe('GET /graphql 200');
    expect(line.req).toEqual({ method: 'GET', path: '/graphql' });
    expect(line.res).toEqual({ status: 200 });
    expect(JSON.stringify(line)).not.toContain('secret');
    expect(line.durationMs).toBeTypeOf('number');
    expect(lines[1]).toMatchObject({ msg: 'GET /slow not answered', res: { status: null }, req: { method: 'GET', path: '/slow' } });
  });
});

describe('readiness on stop', () => {
  it('answers 503 on /readyz while draining', async () => {
    const h = await freshDatabase(dbTargets[0]!);
    const server = await startHttpServer({
      schema: mergedSchema(connectors),
      db: h.db,
      port: 0,
      production: false,
      sandbox: false,
      drainDelayMs: 1000,
    });
    const base = server.url.replace('/graphql', '');
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    const stopping = server.stop();
    await new Promise((r) => setTimeout(r, 50));
    const res = await fetch(`${base}/readyz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: 'draining' });
    // A kept-alive connection is told to close after its answer, so the drain need not wait for the client.
    const connection = await new Promise<string | undefined>((resolve, reject) =>
      http
        .get(`${base}/healthz`, { agent: new http.Agent({ keepAlive: true }) }, (r) => {
          r.resume();
          resolve(r.headers.connection);
        })
        .on('error', reject),
    );
    expect(connection).toBe('close');
    await stopping;
    await h.close();
  });
});
