import { composeServices } from '@apollo/composition';
import { print } from 'graphql';
import type { Connector } from '../connector.js';
import { subgraphSdl } from './schema.js';

/**
 * Composes the connectors' subgraphs into a Federation 2 supergraph, each at its URL. The SDL is the
 * same as the single-process schema's, so both modes answer alike; any Federation 2 gateway
 * (Apollo Gateway, Hive Gateway) can serve the result.
 */
export function composeSupergraph(subgraphs: { connector: Connector; url: string }[]): string {
  const result = composeServices(subgraphs.map(({ connector, url }) => ({ name: connector.name, typeDefs: subgraphSdl(connector), url })));
  if (result.errors?.length) throw new Error(`the subgraphs do not compose:\n${result.errors.map((e) => `  ${e.message}`).join('\n')}`);
  return result.supergraphSdl!;
}

export function printSubgraphSdl(connector: Connector): string {
  return print(subgraphSdl(connector));
}
