import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../src/db/database.js';
import { trustedGateway } from '../src/server/gateway.js';
import { startHttpServer, type RunningServer } from '../src/server/http.js';
import { clientAuthenticator } from '../src/security/authenticate.js';
import { gatewayKey } from '../src/security/gateway-trust.js';
import { ALL_SCOPES } from '../src/security/scopes.js';
import { connectors } from '../src/connectors.js';
import { createContext } from '../src/graphql/context.js';
import { subgraphSchema } from '../src/graphql/schema.js';
import { createApollo } from '../src/server/apollo.js';
import { apiKey } from './helpers/security.js';
import { dbTargets, freshDatabase } from './helpers/db.js';
import { startSubgraphs, type RunningSubgraph } from './helpers/subgraphs.js';
import { graph, ingestText } from './helpers/graph.js';
import { ndjson, testCvr, vrv } from './helpers/cvr.js';
import { day, feed, jobAds, meetings } from './helpers/insights.js';

const cvr = testCvr(3);
/** Registry, CRM and jobcentre fields side by side: the CRM part fails, the rest must stay. */
const VIEW = `{ company(cvr: "${cvr}") { name growth { meetings(first: 5) { totalCount edges { node { title } } } } recruitment { vacancies(first: 5) { totalCount } } } }`;
const INTACT = { name: 'Delvis Firma ApS', recruitment: { vacancies: { totalCount: 1 } } };
/** Nothing about where or how the data lives. */
const LEAKS = /https?:|127\.0\.0\.1|localhost|SELECT|relation|crm_unreadable|crm\.|does not exist|ECONNREFUSED|stack/i;

async function seed(h: DbHandle) {
  await ingestText(h.db, 'cvr', ndjson([vrv({ cvr, name: 'Delvis Firma ApS' })]));
  await feed(h.db, 'crm-meetings', meetings([[cvr, day(-2), 'Vækstsparring']]));
  await feed(h.db, 'jobnet', jobAds([{ ID: 'P1', HiringOrgCVR: Number(cvr), OccupationCode: '721200', LastDateApplication: day(10) }]));
}

/** A connector's schema is not where the hub reads it (renamed under it), for the length of `run`. */
async function withUnreadable<T>(h: DbHandle, schema: string, run: () => Promise<T>): Promise<T> {
  await sql`ALTER SCHEMA ${sql.id(schema)} RENAME TO ${sql.id(`${schema}_unreadable`)}`.execute(h.db);
  try {
    return await run();
  } finally {
    await sql`ALTER SCHEMA ${sql.id(`${schema}_unreadable`)} RENAME TO ${sql.id(schema)}`.execute(h.db);
  }
}

function expectCrmUnavailable(body: { data?: any; errors?: readonly any[] }) {
  expect(body.data.company).toMatchObject(INTACT);
  expect(body.data.company.growth?.meetings ?? null).toBeNull();
  expect(body.errors?.length).toBeGreaterThan(0);
  for (const e of body.errors!) {
    expect(e.extensions).toMatchObject({ code: 'SOURCE_UNAVAILABLE', source: 'crm' });
    expect(e.path.slice(0, 2)).toEqual(['company', 'growth']);
  }
  expect(JSON.stringify(body)).not.toMatch(LEAKS);
}

describe.each(dbTargets)('typed partial results in one process ($name)', (target) => {
  let h: DbHandle;
  beforeAll(async () => {
    h = await freshDatabase(target);
    await seed(h);
  });
  afterAll(async () => h?.close());

  it('answers the whole view while every source is readable', async () => {
    const r = await graph(h.db)(VIEW);
    expect(r.errors).toBeUndefined();
    expect(r.data.company).toMatchObject({ ...INTACT, growth: { meetings: { totalCount: 1 } } });
  });

  it('answers null with SOURCE_UNAVAILABLE (source crm) for the CRM fields when its schema cannot be read, the rest intact', async () => {
    await withUnreadable(h, 'crm', async () => {
      for (const production of [true, false]) expectCrmUnavailable(await graph(h.db, { production })(VIEW));
    });
    expect((await graph(h.db)(VIEW)).errors).toBeUndefined();
  });

  it('names its own connector when the entities it is asked for cannot be read', async () => {
    const registry = connectors.find((c) => c.name === 'registry')!;
    const apollo = createApollo(subgraphSchema(registry), { production: true, servedBy: 'registry' });
    const query = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Company { name } } }`;
    const ask = async () => {
      const res = await apollo.executeOperation(
        { query, variables: { r: [{ __typename: 'Company', cvr }] } },
        { contextValue: createContext(h.db) },
      );
      if (res.body.kind !== 'single') throw new Error('single result expected');
      return res.body.singleResult;
    };
    expect((await ask()).data).toEqual({ _entities: [{ name: 'Delvis Firma ApS' }] });
    await withUnreadable(h, 'registry', async () => {
      const r = await ask();
      expect(r.errors?.map((e) => e.extensions)).toEqual([expect.objectContaining({ code: 'SOURCE_UNAVAILABLE', source: 'registry' })]);
    });
  });
});

describe.each(dbTargets)('typed partial results through a gateway ($name)', (target) => {
  let h: DbHandle;
  const servers: RunningServer[] = [];
  const key = gatewayKey('a-shared-secret-of-at-least-32-characters');
  const subgraphs: RunningSubgraph[] = [];
  let token: string;
  let hanging: http.Server;
  async function gateway(over: Record<string, string> = {}, requestTimeoutMs?: number): Promise<RunningServer> {
    const gw = await startHttpServer({
      schema: trustedGateway(
        subgraphs.map((s) => ({ connector: s.connector, url: over[s.connector.name] ?? s.url })),
        key,
      ),
      port: 0,
      production: true,
      sandbox: false,
      requestTimeoutMs,
      auth: { kind: 'client', authenticate: clientAuthenticator({ db: h.db, required: true }) },
    });
    servers.push(gw);
    return gw;
  }
  const post = async (gw: RunningServer, query: string, variables?: object) =>
    (
      await fetch(gw.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      })
    ).json();

  beforeAll(async () => {
    h = await freshDatabase(target);
    await seed(h);
    token = await apiKey(h.db, 'partial-reader', ALL_SCOPES);
    subgraphs.push(...(await startSubgraphs(h.db, key)));
    servers.push(...subgraphs.map((s) => s.server));
    // A "subgraph" that takes requests and never answers.
    hanging = http.createServer(() => {});
    await new Promise<void>((r) => hanging.listen(0, '127.0.0.1', r));
  });
  afterAll(async () => {
    hanging?.closeAllConnections();
    hanging?.close();
    for (const s of servers.reverse()) await s.stop().catch(() => {});
    await h?.close();
  });

  it("passes SOURCE_UNAVAILABLE from a subgraph whose schema cannot be read, at the client's paths", async () => {
    const gw = await gateway();
    expect((await post(gw, VIEW)).errors).toBeUndefined();
    await withUnreadable(h, 'crm', async () => expectCrmUnavailable(await post(gw, VIEW)));
  });

  it("keeps a subgraph's BAD_USER_INPUT code and message (not '400: Bad Request')", async () => {
    const gw = await gateway();
    const query = `query ($cvr: CVR!) { company(cvr: $cvr) { name } }`;
    const single = await graph(h.db)(query, { cvr: '12345678' });
    const body = await post(gw, query, { cvr: '12345678' });
    expect(single.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0].message).toBe(single.errors![0]!.message);
    expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(body)).not.toMatch(/400: Bad Request/);
  });

  it("answers TIMEOUT (source crm) for the fields of a subgraph still silent at the gateway's deadline, the rest intact", async () => {
    const gw = await gateway({ crm: `http://127.0.0.1:${(hanging.address() as AddressInfo).port}/graphql` }, 5000);
    const body = await post(gw, VIEW);
    expect(body.data.company).toMatchObject(INTACT);
    expect(body.data.company.growth).toBeNull();
    expect(body.errors.map((e: any) => [e.path.join('.'), e.extensions.code, e.extensions.source])).toEqual([
      ['company.growth', 'TIMEOUT', 'crm'],
    ]);
    expect(JSON.stringify(body)).not.toMatch(LEAKS);
  });

  it('answers SOURCE_UNAVAILABLE (source crm) for the fields of a subgraph that is down, without its URL, the rest intact', async () => {
    const gw = await gateway();
    await subgraphs.find((s) => s.connector.name === 'crm')!.server.stop();
    const body = await post(gw, VIEW);
    expect(body.data.company).toMatchObject(INTACT);
    expect(body.data.company.growth).toBeNull();
    expect(body.errors.map((e: any) => [e.path.join('.'), e.extensions.code, e.extensions.source])).toEqual([
      ['company.growth', 'SOURCE_UNAVAILABLE', 'crm'],
    ]);
    expect(JSON.stringify(body)).not.toMatch(LEAKS);
  });
});
