import fs from 'node:fs';
import { Kind, parse, type DocumentNode, type GraphQLSchema } from 'graphql';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { mergeResolvers, mergeTypeDefs } from '@graphql-tools/merge';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { Connector } from '../connector.js';
import { commonResolvers } from './common-resolvers.js';
import { enforceScopes } from '../security/enforce.js';

const read = (rel: string) => parse(fs.readFileSync(new URL(rel, import.meta.url), 'utf8'));
export const commonTypeDefs: DocumentNode = read('../../schema/common.graphql');
const federationDirectives: DocumentNode = read('../../schema/federation.graphql');

/** Federation's `extend schema @link(…)` belongs to each subgraph, not to the merged graph. */
function withoutSchemaLinks(doc: DocumentNode): DocumentNode {
  return { ...doc, definitions: doc.definitions.filter((d) => d.kind !== Kind.SCHEMA_EXTENSION) };
}

/**
 * Single-process mode: every connector's SDL and resolvers merged into one executable schema,
 * so a request never leaves the process. Company's fields from all connectors meet on one type,
 * each resolved from the key alone as in federation.
 */
export function mergedSchema(connectors: Connector[]): GraphQLSchema {
  return enforceScopes(
    makeExecutableSchema({
      typeDefs: mergeTypeDefs([federationDirectives, commonTypeDefs, ...connectors.map((c) => withoutSchemaLinks(c.typeDefs))]),
      resolvers: mergeResolvers([commonResolvers as any, ...connectors.map((c) => c.resolvers as any)]),
    }),
  );
}

/** Distributed mode: one connector as an Apollo Federation 2 subgraph, enforcing its own fields' scopes. */
export function subgraphSchema(connector: Connector): GraphQLSchema {
  return enforceScopes(
    buildSubgraphSchema([
      { typeDefs: commonTypeDefs, resolvers: commonResolvers as any },
      { typeDefs: connector.typeDefs, resolvers: connector.resolvers as any },
    ]),
  );
}

/** The SDL each subgraph publishes, for composition. */
export function subgraphSdl(connector: Connector): DocumentNode {
  return mergeTypeDefs([commonTypeDefs, connector.typeDefs]);
}
