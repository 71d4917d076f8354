import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { DbHandle } from '../src/db/database.js';
import { connectors } from '../src/connectors.js';
import { mergedSchema } from '../src/graphql/schema.js';
import { startHttpServer, type RunningServer } from '../src/server/http.js';
import { LOCAL_DEVELOPER, type Principal } from '../src/security/principal.js';
import { dbTargets, freshDatabase } from './helpers/db.js';

const faulty = makeExecutableSchema({
  typeDefs: 'type Query { broken: String }',
  resolvers: {
    Query: {
      broken: () => {
        throw new Error('relation "secret_table" does not exist');
      },
    },
  },
});

const post = (url: string, query: string, key: string, headers: Record<string, string> = {}) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, ...headers },
    body: JSON.stringify({ query }),
  });

describe.each(dbTargets)('the production surface on $name', (target) => {
  let h: DbHandle;
  let hub: RunningServer;
  let broken: RunningServer;
  let withCors: RunningServer;
  const callers: Record<string, Principal> = {
    reader: { ...LOCAL_DEVELOPER, id: 'reader', kind: 'key', scopes: ['read:registry'] },
    admin: { ...LOCAL_DEVELOPER, id: 'admin', kind: 'key' },
  };
  const auth = {
    kind: 'client' as const,
    authenticate: async (header: string | undefined) => callers[String(header).replace('Bearer ', '')]!,
  };
  beforeAll(async () => {
    h = await freshDatabase(target);
    hub = await startHttpServer({ schema: mergedSchema(connectors), db: h.db, port: 0, production: true, sandbox: false, auth });
    broken = await startHttpServer({ schema: faulty, db: h.db, port: 0, production: true, sandbox: false, auth });
    withCors = await startHttpServer({
      schema: mergedSchema(connectors),
      db: h.db,
      port: 0,
      production: true,
      sandbox: false,
      auth,
      corsOrigins: ['https://app.example.dk'],
    });
  });
  afterAll(async () => {
    for (const s of [hub, broken, withCors]) await s?.stop();
    await h?.close();
  });

  it('masks a fault and gives the client the request id the server logged it under', async () => {
    const res = await post(broken.url, '{ broken }', 'reader');
    const body = await res.json();
    expect(body.errors[0]).toMatchObject({
      message: 'Internal server error',
      extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: res.headers.get('x-request-id') },
    });
    expect(JSON.stringify(body)).not.toContain('secret_table');
  });

  it('keeps "Did you mean" suggestions for admin callers only', async () => {
    const reader = await (await post(hub.url, '{ compny(cvr: "1") { name } }', 'reader')).json();
    expect(reader.errors[0].message).not.toMatch(/Did you mean/);
    const admin = await (await post(hub.url, '{ compny(cvr: "1") { name } }', 'admin')).json();
    expect(admin.errors[0].message).toMatch(/Did you mean/);
  });

  it('allows no browser origin by default, and exactly the configured ones when set', async () => {
    const none = await post(hub.url, '{ __typename }', 'reader', { origin: 'https://app.example.dk' });
    expect(none.headers.get('access-control-allow-origin')).toBeNull();
    const allowed = await post(withCors.url, '{ __typename }', 'reader', { origin: 'https://app.example.dk' });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example.dk');
    const other = await post(withCors.url, '{ __typename }', 'reader', { origin: 'https://evil.example.com' });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await fetch(withCors.url, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example.dk', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
  });
});
