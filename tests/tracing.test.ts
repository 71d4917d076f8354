import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createScratchDatabase, type ScratchDatabase } from '../bench/databases.js';
import '../src/connectors.js';
import { openDatabase } from '../src/db/database.js';
import { dbTargets, migratedDataDir } from './helpers/db.js';
import { ingestText } from './helpers/graph.js';
import { ndjson, testCvr, vrv } from './helpers/cvr.js';
import { servingUrl } from './helpers/cli.js';

interface Span {
  name: string;
  traceId: string;
  scope: string;
  attributes: Record<string, unknown>;
}

/** A local OTLP/HTTP receiver: collects the JSON-encoded spans POSTed to /v1/traces. */
async function otlpReceiver(): Promise<{ url: string; spans: Span[]; close(): Promise<void> }> {
  const spans: Span[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      if (req.url === '/v1/traces') {
        const doc = JSON.parse(body);
        for (const rs of doc.resourceSpans ?? [])
          for (const ss of rs.scopeSpans ?? [])
            for (const s of ss.spans ?? [])
              spans.push({
                name: s.name,
                traceId: s.traceId,
                scope: ss.scope?.name ?? '',
                attributes: Object.fromEntries((s.attributes ?? []).map((a: any) => [a.key, Object.values(a.value ?? {})[0]])),
              });
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    spans,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

// The instrumentations patch modules as they load, so tracing needs `--import` at process start: the
// server runs as a child process, as `npm run start:prod` starts it.
describe.each(dbTargets)('OpenTelemetry spans on $name', { timeout: 300_000 }, (target) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'indgang-tracing-'));
  let receiver: Awaited<ReturnType<typeof otlpReceiver>>;
  let scratch: ScratchDatabase | null = null;
  let child: ChildProcess;
  let url: string;

  beforeAll(async () => {
    receiver = await otlpReceiver();
    // Copies of the run's migrated template.
    scratch =
      target.name === 'postgres'
        ? await createScratchDatabase(process.env.TEST_DATABASE_URL!, 'indgang_test', inject('postgresTemplate'))
        : null;
    // One company, so an embedded database is not empty and serve skips the demo data.
    const h = await openDatabase(scratch ? { databaseUrl: scratch.url } : { dataDir: migratedDataDir(path.join(dir, 'data')) });
    await ingestText(h.db, 'cvr', ndjson([vrv({ cvr: testCvr(1), name: 'Sporet ApS' })]));
    await h.close();
    // As `npm run start:prod` starts the build: the run's compiled copy of it.
    const main = inject('compiledCli');
    child = spawn(process.execPath, ['--import', path.resolve(main, '../../observability/tracing.js'), main, 'serve'], {
      env: {
        ...process.env,
        PORT: '0',
        DATABASE_URL: scratch?.url ?? '',
        INDGANG_DATA_DIR: path.join(dir, 'data'),
        INDGANG_WORKER: '0',
        LOG_LEVEL: 'info',
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_SERVICE_NAME: 'indgang-test',
        // Export each batch of spans after 100 ms instead of 5 s.
        OTEL_BSP_SCHEDULE_DELAY: '100',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    url = await servingUrl(child);
  }, 280_000);
  afterAll(async () => {
    child?.kill('SIGTERM');
    if (child && child.exitCode === null) await new Promise((r) => child.once('exit', r));
    await receiver?.close();
    await scratch?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('exports the HTTP, GraphQL and (on Postgres) pg spans of one request, in one trace', async () => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `query Traced { company(cvr: "${testCvr(1)}") { name } }` }),
    });
    expect((await res.json()).data.company.name).toBe('Sporet ApS');
    const server = () => receiver.spans.find((s) => s.scope.includes('instrumentation-http') && s.name.startsWith('POST /graphql'));
    const end = Date.now() + 180_000; // returns as soon as both spans arrive; the bound only stops a hang
    while (Date.now() < end) {
      const root = server();
      if (root && receiver.spans.some((s) => s.traceId === root.traceId && s.name === 'query Traced')) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const root = server();
    expect(root, JSON.stringify(receiver.spans.map((s) => s.name).slice(-30))).toBeDefined();
    const trace = receiver.spans.filter((s) => s.traceId === root!.traceId);
    const names = trace.map((s) => `${s.scope}: ${s.name}`);
    // The operation (named for it), its parse and validate, and the resolver of a non-trivial field.
    expect(names).toEqual(
      expect.arrayContaining([
        '@opentelemetry/instrumentation-graphql: query Traced',
        '@opentelemetry/instrumentation-graphql: graphql.parse',
        '@opentelemetry/instrumentation-graphql: graphql.validate',
        '@opentelemetry/instrumentation-graphql: graphql.resolve company',
      ]),
    );
    expect(names).toContainEqual(expect.stringMatching(/^@fastify\/otel: /));
    if (target.name === 'postgres') {
      const pgSpans = trace.filter((s) => s.scope.includes('instrumentation-pg'));
      expect(pgSpans.length, JSON.stringify(names)).toBeGreaterThan(0);
      // The statement is recorded without its values.
      expect(JSON.stringify(pgSpans)).not.toContain(testCvr(1));
    }
    // Never the variables or the answer.
    expect(JSON.stringify(trace)).not.toContain('Sporet ApS');
  });
});
