import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../src/db/database.js';
import { connectors } from '../src/connectors.js';
import { mergedSchema } from '../src/graphql/schema.js';
import { startHttpServer, type RunningServer } from '../src/server/http.js';
import { LOCAL_DEVELOPER, type Principal } from '../src/security/principal.js';
import { dbTargets, freshDatabase } from './helpers/db.js';
import { testCvr } from './helpers/cvr.js';

const post = (url: string, query: string, caller: string) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${caller}` },
    body: JSON.stringify({ query }),
  });

describe.each(dbTargets)('cost-based rate limits on $name', (target) => {
  let h: DbHandle;
  let server: RunningServer;
  // Callers by the key they send: "small" has its own limit of 10 points a minute, the others the default of 30.
  // The server counts points per caller for all tests, so each test spends from callers no other test uses.
  const callers: Record<string, Principal> = {
    small: { ...LOCAL_DEVELOPER, id: 'small', kind: 'key', rateLimit: 10 },
    a: { ...LOCAL_DEVELOPER, id: 'a', kind: 'key' },
    b: { ...LOCAL_DEVELOPER, id: 'b', kind: 'key' },
    c: { ...LOCAL_DEVELOPER, id: 'c', kind: 'key' },
  };
  const query = `{ company(cvr: "${testCvr(1)}") { name cvr } }`; // costs 3
  beforeAll(async () => {
    h = await freshDatabase(target);
    server = await startHttpServer({
      schema: mergedSchema(connectors),
      db: h.db,
      port: 0,
      production: false,
      sandbox: false,
      defaultRateLimit: 30,
      auth: { kind: 'client', authenticate: async (header) => callers[String(header).replace('Bearer ', '')] ?? LOCAL_DEVELOPER },
    });
  });
  afterAll(async () => {
    await server?.stop();
    await h?.close();
  });

  it("spends each answer's cost from the caller's points and says what is left", async () => {
    const res = await post(server.url, query, 'a');
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.extensions.cost).toEqual({ requested: 3, limit: expect.any(Number) });
    expect(res.headers.get('ratelimit-limit')).toBe('30');
    expect(res.headers.get('ratelimit-remaining')).toBe('27');
    expect(Number(res.headers.get('ratelimit-reset'))).toBeGreaterThan(0);
  });

  it('answers 429 with Retry-After once a caller has spent its points, and other callers go on', async () => {
    const statuses: number[] = [];
    let refused: Response | undefined;
    for (let i = 0; i < 12; i++) {
      const res = await post(server.url, query, 'b');
      statuses.push(res.status);
      if (res.status === 429) refused ??= res;
      else await res.arrayBuffer();
    }
    expect(statuses.slice(0, 10).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(10)).toEqual([429, 429]);
    expect(Number(refused!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused!.headers.get('ratelimit-remaining')).toBe('0');
    const body = await refused!.json();
    expect(body.errors[0].extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 30, value: 3, retryAfter: expect.any(Number) });
    expect((await post(server.url, query, 'c')).status).toBe(200);
  });

  it("uses a caller's own limit (indgang callers add --rate-limit) over the default", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await post(server.url, query, 'small')).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
  });
});
