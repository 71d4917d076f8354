import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeServices } from '@apollo/composition';
import { ApolloGateway, LocalGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import type { DbHandle } from '../src/db/database.js';
import { connectors } from '../src/connectors.js';
import { createContext, type Context } from '../src/graphql/context.js';
import { subgraphSchema, subgraphSdl } from '../src/graphql/schema.js';
import { supergraphForApolloGateway } from '../src/graphql/supergraph.js';
import { trustedGateway } from '../src/server/gateway.js';
import { clientAuthenticator } from '../src/security/authenticate.js';
import { gatewayKey, PRINCIPAL_HEADER, signPrincipal } from '../src/security/gateway-trust.js';
import { ALL_SCOPES } from '../src/security/scopes.js';
import { accessLogEntries } from '../src/security/store.js';
import { apiKey } from './helpers/security.js';
import { startHttpServer, type RunningServer } from '../src/server/http.js';
import { dbTargets, freshDatabase } from './helpers/db.js';
import { startSubgraphs } from './helpers/subgraphs.js';
import { graph, ingestText } from './helpers/graph.js';
import { ndjson, testCvr, vrv } from './helpers/cvr.js';
import { balance, contactInput, day, feed, jobAds, layoffs, meetings, programmes, RECORD } from './helpers/insights.js';

function supergraph() {
  return composeServices(connectors.map((c) => ({ name: c.name, typeDefs: subgraphSdl(c), url: `http://${c.name}.local/graphql` })));
}

describe('federation', () => {
  it('composes every connector subgraph into one supergraph', () => {
    const result = supergraph();
    expect(result.errors?.map((e) => e.message)).toBeUndefined();
    expect(result.supergraphSdl).toContain('type Company');
  });

  it("keeps the subgraphs' @requiresScopes in the supergraph, and gives Apollo Gateway one without them", () => {
    const sdl = supergraph().supergraphSdl!;
    expect(sdl).toContain('@link(url: "https://specs.apollo.dev/requiresScopes/v0.1", for: SECURITY)');
    expect(sdl).toMatch(/recruitment: Recruitment @join__field\(graph: JOBCENTRE\) @requiresScopes\(scopes: \[\["read:jobcentre"\]\]\)/);
    const forGateway = supergraphForApolloGateway(sdl);
    expect(forGateway).not.toContain('requiresScopes');
    expect(forGateway).toContain('recruitment: Recruitment @join__field(graph: JOBCENTRE)');
  });
});

describe.each(dbTargets)('gateway mode on $name', (target) => {
  let h: DbHandle;
  let gatewayServer: ApolloServer<Context>;
  beforeAll(async () => {
    h = await freshDatabase(target);
    await ingestText(h.db, 'cvr', ndjson([1, 2, 3].map((n) => vrv({ cvr: testCvr(n), name: `Firma ${n} ApS` }))));
    const gateway = new ApolloGateway({
      supergraphSdl: supergraphForApolloGateway(supergraph().supergraphSdl!),
      buildService: ({ name }) => new LocalGraphQLDataSource(subgraphSchema(connectors.find((c) => c.name === name)!)),
    });
    gatewayServer = new ApolloServer<Context>({ gateway });
    await gatewayServer.start();
  });
  afterAll(async () => {
    await gatewayServer?.stop();
    await h?.close();
  });

  it('resolves the company view, its evidence and its timeline records in their own subgraphs, as the single-process graph does', async () => {
    const cvr = testCvr(1);
    await feed(h.db, 'balance', balance([['721200', 'RAR-VEST', '2026H2', 'Mangel på arbejdskraft']]));
    await feed(h.db, 'amu-courses', 'nummer;titel;dage;disco;positivliste\n22906;MIG/MAG-svejsning;5;721200;ja\n');
    await feed(
      h.db,
      'amu-instances',
      JSON.stringify({
        holdCardDtos: [
          {
            holdId: 'H1',
            amuNummer: '22906',
            holdTitle: 'MIG/MAG',
            institution: 'Herningsholm Erhvervsskole',
            lokationPostNr: '7400',
            startDate: day(20),
            endDate: day(24),
            currentParticipantAmount: 2,
            participantCapacity: 12,
            aflyst: false,
          },
        ],
      }),
    );
    await feed(h.db, 'jobnet', jobAds([{ ID: 'F1', HiringOrgCVR: Number(cvr), OccupationCode: '721200', LastDateApplication: day(10) }]));
    await feed(h.db, 'crm-programmes', programmes([[cvr, 'Vækstpakke', 'I gang', day(-30), 'Nej']]));
    await feed(h.db, 'crm-meetings', meetings([[cvr, day(-2), 'Vækstsparring']]));
    await feed(h.db, 'layoffs', layoffs([{ cvr, dato: day(-20), antalPersoner: 12, aarsag: 'lukning' }]));
    await graph(h.db)(RECORD, { input: contactInput('fed-1', cvr, { date: day(-1) }) });
    const query = `{ company(cvr: "${cvr}") { name changeSequence
      contacts(first: 10) { totalCount edges { node { date system kind organisation record { __typename ... on Contact { id organisation status } ... on Meeting { title advisor { name } } } } } }
      coordination { lastContact { date system } activeActors }
      situation { summary signals { kind severity message evidence { __typename ... on Vacancy { adId title status } ... on GuidanceProgramme { kind competencePlanAgreed }
        ... on LayoffNotice { date persons reason } ... on Course { number title } ... on Company { cvr name } ... on ContactEntry { date system } } } }
      competenceMatch { area { code } needs { occupation { title } balance courses { course { number title } nextInstance { startsOn seatsLeft place { city } } proximity } } } } }`;
    const single = await graph(h.db)(query);
    const res = await gatewayServer.executeOperation({ query }, { contextValue: createContext(h.db) });
    const viaGateway = res.body.kind === 'single' ? res.body.singleResult : undefined;
    expect(single.errors).toBeUndefined();
    expect(single.data.company.situation.signals.map((s: any) => s.kind)).toEqual([
      'GROWTH_WITHOUT_COMPETENCE_PLAN',
      'LAYOFF_NOTICE',
      'HARD_TO_FILL_VACANCY',
      'UNCOORDINATED_CONTACT',
    ]);
    expect(single.data.company.competenceMatch.needs[0].courses[0].nextInstance).toEqual({
      startsOn: day(20),
      seatsLeft: 10,
      place: { city: 'Herning' },
    });
    expect(viaGateway?.errors).toBeUndefined();
    expect(viaGateway?.data).toEqual(single.data);
  });

  it('gives the same answer through a federation gateway as the single-process graph', async () => {
    const query = `{ companies(first: 2, filter: { municipality: "657" }) { totalCount edges { node { cvr name municipality { name } employees { band } } } pageInfo { hasNextPage } } }`;
    const single = await graph(h.db)(query);
    const res = await gatewayServer.executeOperation({ query }, { contextValue: createContext(h.db) });
    const viaGateway = res.body.kind === 'single' ? res.body.singleResult : undefined;
    expect(single.errors).toBeUndefined();
    expect(viaGateway?.errors).toBeUndefined();
    expect(viaGateway?.data).toEqual(single.data);
  });
});

describe.each(dbTargets)('distributed mode over HTTP on $name', (target) => {
  let h: DbHandle;
  const servers: RunningServer[] = [];
  const secret = 'a-shared-secret-of-at-least-32-characters';
  const key = gatewayKey(secret);
  let gw: RunningServer;
  let registryUrl: string;
  let insightsUrl: string;
  let readerKey: string;
  const post = (url: string, body: object, headers: Record<string, string> = {}) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  beforeAll(async () => {
    h = await freshDatabase(target);
    await ingestText(h.db, 'cvr', ndjson([vrv({ cvr: testCvr(5), name: 'Fjern Firma ApS' })]));
    await graph(h.db)(RECORD, { input: contactInput('d-1', testCvr(5), { date: day(-1) }) });
    readerKey = await apiKey(h.db, 'herning-jc', ['read:registry', 'read:contacts']);
    const subgraphs = await startSubgraphs(h.db, key);
    servers.push(...subgraphs.map((s) => s.server));
    registryUrl = subgraphs.find((s) => s.connector.name === 'registry')!.url;
    insightsUrl = subgraphs.find((s) => s.connector.name === 'insights')!.url;
    // The gateway authenticates clients once (API keys from the hub database) and signs the principal for each subgraph.
    gw = await startHttpServer({
      schema: trustedGateway(subgraphs, key),
      port: 0,
      production: true,
      sandbox: false,
      auth: { kind: 'client', authenticate: clientAuthenticator({ db: h.db, required: true }) },
    });
    servers.push(gw);
  });
  afterAll(async () => {
    for (const s of servers.reverse()) await s.stop();
    await h?.close();
  });

  it('serves each connector as a subgraph and answers through a gateway as the single-process graph does', async () => {
    const query = `{ company(cvr: "${testCvr(5)}") { cvr name municipality { name } } }`;
    const res = await post(gw.url, { query }, { authorization: `Bearer ${readerKey}` });
    const body = await res.json();
    expect(body).toEqual({
      data: (await graph(h.db)(query)).data,
      extensions: { cost: { requested: expect.any(Number), limit: expect.any(Number) } },
    });
  });

  it('passes the caller to the subgraphs, which enforce its scopes at the right path and log its reads under its operation name', async () => {
    const query = `query CompanyView { viewer { name } company(cvr: "${testCvr(5)}") { name contacts(first: 5) { edges { node { date organisation consultant } } } situation { summary } } }`;
    const res = await post(gw.url, { query, operationName: 'CompanyView' }, { authorization: `Bearer ${readerKey}` });
    const body = await res.json();
    expect(body.data).toEqual({
      viewer: { name: 'herning-jc' },
      company: {
        name: 'Fjern Firma ApS',
        contacts: { edges: [{ node: { date: day(-1), organisation: 'Jobcenter Herning', consultant: 'Hanne Bækgaard' } }] },
        situation: null,
      },
    });
    expect(body.errors.map((e: any) => [e.path.join('.'), e.extensions.code])).toEqual([['company.situation', 'FORBIDDEN']]);
    expect(body.errors[0].message).toContain('read:insights');
    const [entry] = await accessLogEntries(h.db, { caller: 'herning-jc' }, 10);
    expect(entry).toMatchObject({
      caller: 'herning-jc',
      operation: 'CompanyView',
      servedBy: 'insights',
      reads: ['contacts', 'names'],
      cvrs: [testCvr(5)],
    });
    expect(entry!.requestId).toBe(res.headers.get('x-request-id'));
  });

  it('refuses anonymous clients at the gateway', async () => {
    const res = await post(gw.url, { query: '{ viewer { name } }' });
    expect(res.status).toBe(401);
    expect((await res.json()).errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('refuses a subgraph called directly, with a forged or replayed assertion too', async () => {
    const query = `{ _entities(representations: [{ __typename: "Company", cvr: "${testCvr(5)}" }]) { ... on Company { contacts(first: 5) { totalCount } } } }`;
    const bare = await post(insightsUrl, { query });
    expect(bare.status).toBe(401);
    expect(await bare.json()).toEqual({
      errors: [
        {
          message: 'this subgraph answers only its gateway: the request has no indgang-principal header',
          extensions: { code: 'UNAUTHENTICATED' },
        },
      ],
    });
    const admin = { id: 'intruder', kind: 'key' as const, scopes: ALL_SCOPES, organisations: '*' as const, rateLimit: null };
    const forged = await signPrincipal(
      gatewayKey('another-secret-of-at-least-32-characters!'),
      { principal: admin, operationName: null, requestId: 'x' },
      { query },
    );
    expect((await post(insightsUrl, { query }, { [PRINCIPAL_HEADER]: forged })).status).toBe(401);
    // A genuine assertion made for one request does not carry another.
    const genuine = await signPrincipal(
      key,
      { principal: admin, operationName: null, requestId: 'x' },
      { query: '{ company(cvr: "10103940") { name } }' },
    );
    const replayed = await post(registryUrl, { query: `{ company(cvr: "${testCvr(5)}") { name } }` }, { [PRINCIPAL_HEADER]: genuine });
    expect(replayed.status).toBe(401);
    expect((await replayed.json()).errors[0].message).toBe('the gateway assertion was made for another request');
  });
});
