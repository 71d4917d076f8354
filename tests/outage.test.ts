import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DbHandle } from '../src/db/database.js';
import { migrateAll } from '../src/db/migrate.js';
import { allMigrations, connectors } from '../src/connectors.js';
import { mergedSchema } from '../src/graphql/schema.js';
import { startHttpServer, type RunningServer } from '../src/server/http.js';
import { canStartPostgres, throwawayPostgres, type ThrowawayPostgres } from './helpers/throwaway-postgres.js';
import { ingestText } from './helpers/graph.js';
import { LOCAL_DEVELOPER } from '../src/security/principal.js';
import { ndjson, testCvr, vrv } from './helpers/cvr.js';

const post = async (url: string, query: string) => {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  return {
    status: res.status,
    body: (await res.json()) as { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] },
  };
};

async function until<T>(f: () => Promise<T>, ok: (t: T) => boolean, tries = 100): Promise<T> {
  let last = await f();
  for (let i = 0; i < tries && !ok(last); i++) {
    await new Promise((r) => setTimeout(r, 200));
    last = await f();
  }
  return last;
}

// The server's own Postgres, stopped and started under it: it must survive, say so, and recover.
describe.skipIf(!canStartPostgres)('a Postgres restart under a running server', () => {
  let pg: ThrowawayPostgres;
  let h: DbHandle;
  let server: RunningServer;
  let base: string;
  const query = `{ company(cvr: "${testCvr(1)}") { name } }`;

  beforeAll(async () => {
    pg = await throwawayPostgres();
    h = await openDatabase({ databaseUrl: pg.url, poolSize: 3, connectTimeoutMs: 1000 });
    await migrateAll(h.db, allMigrations);
    await ingestText(h.db, 'cvr', ndjson([vrv({ cvr: testCvr(1), name: 'Herning Stål ApS' })]));
    server = await startHttpServer({
      schema: mergedSchema(connectors),
      db: h.db,
      port: 0,
      production: true,
      sandbox: false,
      auth: { kind: 'client', authenticate: async () => LOCAL_DEVELOPER },
    });
    base = server.url.replace('/graphql', '');
  });
  afterAll(async () => {
    await server?.stop();
    await h?.close().catch(() => {});
    pg?.destroy();
  });

  it('answers, keeps /healthz up and says DATABASE_UNAVAILABLE while Postgres is down, then recovers by itself', async () => {
    expect((await post(server.url, query)).body).toEqual({
      data: { company: { name: 'Herning Stål ApS' } },
      extensions: { cost: { requested: expect.any(Number), limit: expect.any(Number) } },
    });
    // Idle pooled connections are open now; stopping Postgres drops them (the "error" event on the pool).
    pg.stop();
    await new Promise((r) => setTimeout(r, 300));

    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 'unavailable', reason: expect.stringMatching(/database/) });

    const down = await post(server.url, query);
    expect(down.body.errors?.[0]?.extensions?.code).toBe('DATABASE_UNAVAILABLE');
    expect(JSON.stringify(down.body)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|terminat/i);

    pg.start();
    const back = await until(
      () => fetch(`${base}/readyz`).then((r) => r.status),
      (s) => s === 200,
    );
    expect(back).toBe(200);
    expect((await post(server.url, query)).body).toEqual({
      data: { company: { name: 'Herning Stål ApS' } },
      extensions: { cost: { requested: expect.any(Number), limit: expect.any(Number) } },
    });
  });
});
