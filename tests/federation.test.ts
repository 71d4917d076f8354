import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeServices } from '@apollo/composition';
import { ApolloGateway, LocalGraphQLDataSource, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import type { DbHandle } from '../src/db/database.js';
import { connectors } from '../src/connectors.js';
import { createContext, type Context } from '../src/graphql/context.js';
import { subgraphSchema, subgraphSdl } from '../src/graphql/schema.js';
import { composeSupergraph, supergraphForApolloGateway } from '../src/graphql/supergraph.js';
import { startHttpServer, type RunningServer } from '../src/server/http.js';
import { dbTargets, freshDatabase } from './helpers/db.js';
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
    await feed(h.db, 'amu-instances', JSON.stringify({ holdCardDtos: [{ holdId: 'H1', amuNummer: '22906', holdTitle: 'MIG/MAG', institution: 'Herningsholm Erhvervsskole', lokationPostNr: '7400', startDate: day(20), endDate: day(24), currentParticipantAmount: 2, participantCapacity: 12, aflyst: false }] }));
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
    expect(single.data.company.situation.signals.map((s: any) => s.kind)).toEqual(['GROWTH_WITHOUT_COMPETENCE_PLAN', 'LAYOFF_NOTICE', 'HARD_TO_FILL_VACANCY', 'UNCOORDINATED_CONTACT']);
    expect(single.data.company.competenceMatch.needs[0].courses[0].nextInstance).toEqual({ startsOn: day(20), seatsLeft: 10, place: { city: 'Herning' } });
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
  afterAll(async () => {
    for (const s of servers.reverse()) await s.stop();
    await h?.close();
  });

  it('serves each connector as a subgraph and answers through a gateway', async () => {
    h = await freshDatabase(target);
    await ingestText(h.db, 'cvr', ndjson([vrv({ cvr: testCvr(5), name: 'Fjern Firma ApS' })]));
    const subgraphs = [];
    for (const connector of connectors) {
      const s = await startHttpServer({ schema: subgraphSchema(connector), db: h.db, port: 0, production: false, sandbox: false });
      servers.push(s);
      subgraphs.push({ connector, url: s.url.replace('localhost', '127.0.0.1') });
    }
    const gateway = new ApolloGateway({ supergraphSdl: composeSupergraph(subgraphs), buildService: ({ url }) => new RemoteGraphQLDataSource({ url }) });
    const gw = await startHttpServer({ schema: gateway, port: 0, production: false, sandbox: false });
    servers.push(gw);
    const query = `{ company(cvr: "${testCvr(5)}") { cvr name municipality { name } } }`;
    const res = await fetch(gw.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
    expect(await res.json()).toEqual({ data: (await graph(h.db)(query)).data });
  });
});
