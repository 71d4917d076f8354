import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeServices } from '@apollo/composition';
import { ApolloGateway, LocalGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import type { DbHandle } from '../src/db/database.js';
import { connectors } from '../src/connectors.js';
import { createContext, type Context } from '../src/graphql/context.js';
import { subgraphSchema, subgraphSdl } from '../src/graphql/schema.js';
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
