import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeServices } from '@apollo/composition';
import { ApolloGateway, LocalGraphQLDataSource, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import type { DbHandle } from '../src/db/database.js';
import { connectors } from '../src/connectors.js';
import { createContext, type Context } from '../src/graphql/context.js';
import { subgraphSchema, subgraphSdl } from '../src/graphql/schema.js';
import { composeSupergraph } from '../src/graphql/supergraph.js';
import { startHttpServer, type RunningServer } from '../src/server/http.js';
import { dbTargets, freshDatabase } from './helpers/db.js';
import { graph, ingestText } from './helpers/graph.js';
import { ndjson, testCvr, vrv } from './helpers/cvr.js';

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
      supergraphSdl: supergraph().supergraphSdl!,
      buildService: ({ name }) => new LocalGraphQLDataSource(subgraphSchema(connectors.find((c) => c.name === name)!)),
    });
    gatewayServer = new ApolloServer<Context>({ gateway });
    await gatewayServer.start();
  });
  afterAll(async () => {
    await gatewayServer?.stop();
    await h?.close();
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
