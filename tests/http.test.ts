import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../src/db/database.js';
import { connectors } from '../src/connectors.js';
import { mergedSchema } from '../src/graphql/schema.js';
import { startHttpServer, type RunningServer } from '../src/server/http.js';
import { dbTargets, freshDatabase } from './helpers/db.js';
import { ingestText } from './helpers/graph.js';
import { ndjson, testCvr, vrv } from './helpers/cvr.js';
import { apiKey } from './helpers/security.js';

const post = (url: string, query: string, key?: string) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify({ query }),
  });

describe.each(dbTargets)('HTTP server on $name', (target) => {
  let h: DbHandle;
  let dev: RunningServer;
  let prod: RunningServer;
  let key: string;
  beforeAll(async () => {
    h = await freshDatabase(target);
    key = await apiKey(h.db, 'http-test', ['read:registry']);
    await ingestText(h.db, 'cvr', ndjson([vrv({ cvr: testCvr(1), name: 'Herning Stål ApS' })]));
    const schema = mergedSchema(connectors);
    dev = await startHttpServer({ schema, db: h.db, port: 0, production: false, sandbox: true });
    prod = await startHttpServer({ schema, db: h.db, port: 0, production: true, sandbox: false });
  });
  afterAll(async () => {
    await dev?.stop();
    await prod?.stop();
    await h?.close();
  });

  it('answers health and readiness', async () => {
    const base = dev.url.replace('/graphql', '');
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: 'ok' });
    expect(await (await fetch(`${base}/readyz`)).json()).toEqual({ status: 'ready' });
  });

  it('serves GraphQL over HTTP', async () => {
    const res = await post(dev.url, `{ company(cvr: "${testCvr(1)}") { name municipality { name } } }`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      data: { company: { name: 'Herning Stål ApS', municipality: { name: 'Herning' } } },
      extensions: { cost: { requested: expect.any(Number), limit: expect.any(Number) } },
    });
  });

  it('takes /graphql/ and /GraphQL for /graphql, as a client configured either way expects', async () => {
    for (const url of [`${dev.url}/`, dev.url.replace('/graphql', '/GraphQL')]) {
      const res = await post(url, `{ company(cvr: "${testCvr(1)}") { name } }`);
      expect(res.status, url).toBe(200);
      expect((await res.json()).data, url).toEqual({ company: { name: 'Herning Stål ApS' } });
    }
  });

  it('serves the bundled sandbox to browsers in development, from its own assets', async () => {
    const page = await fetch(dev.url, { headers: { accept: 'text/html' } });
    const html = await page.text();
    expect(html).toContain('GraphiQL');
    expect(html).not.toMatch(/https?:\/\//);
    const base = dev.url.replace('/graphql', '');
    // GraphiQL 5 bundled by esbuild, with Monaco's three web workers as separate scripts.
    for (const asset of ['sandbox.js', 'sandbox.css', 'editor.worker.js', 'json.worker.js', 'graphql.worker.js']) {
      const res = await fetch(`${base}/sandbox/${asset}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain(asset.endsWith('.css') ? 'text/css' : 'javascript');
      // Read to the end: a response left unread stays in flight, and stopping the server waits for it.
      expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(0);
    }
    expect((await fetch(`${base}/sandbox/missing.js`)).status).toBe(404);
  });

  it('keeps the sandbox off in production unless enabled', async () => {
    const page = await fetch(prod.url, { headers: { accept: 'text/html' } });
    expect(await page.text()).not.toContain('GraphiQL');
  });

  it('gives clear input errors with a 400 and never a stack trace in production', async () => {
    const res = await post(prod.url, `{ company(cvr: "12345678") { name } }`, key);
    const body = await res.json();
    expect(body.errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'cvr' });
    expect(JSON.stringify(body)).not.toContain('stacktrace');
  });
});
