import { composeServices } from '@apollo/composition';
import { Kind, parse, print, visit, type ConstDirectiveNode } from 'graphql';
import type { Connector } from '../connector.js';
import { subgraphSdl } from './schema.js';

/**
 * Composes the connectors' subgraphs into a Federation 2 supergraph, each at its URL. The SDL is the
 * same as the single-process schema's, so both modes answer alike; any Federation 2 gateway
 * (Apollo Gateway, Hive Gateway) can serve the result. It keeps the subgraphs' `@requiresScopes`, so a
 * gateway that enforces scopes itself (Apollo Router, Hive Gateway) can; the subgraphs enforce them anyway.
 */
export function composeSupergraph(subgraphs: { connector: Connector; url: string }[]): string {
  const result = composeServices(subgraphs.map(({ connector, url }) => ({ name: connector.name, typeDefs: subgraphSdl(connector), url })));
  if (result.errors?.length) throw new Error(`the subgraphs do not compose:\n${result.errors.map((e) => `  ${e.message}`).join('\n')}`);
  return result.supergraphSdl!;
}

const isScopesLink = (d: ConstDirectiveNode) =>
  d.name.value === 'link' &&
  d.arguments?.some((a) => a.name.value === 'url' && a.value.kind === Kind.STRING && a.value.value.includes('/requiresScopes/'));

/**
 * The supergraph as Apollo Gateway accepts it. Apollo Gateway refuses any supergraph with a security
 * feature it cannot enforce (`@requiresScopes` is one); here every subgraph enforces the scopes of its own
 * fields on the principal the gateway passes it, so the gateway is given the supergraph without them.
 */
export function supergraphForApolloGateway(supergraphSdl: string): string {
  const doc = visit(parse(supergraphSdl), {
    Directive: (d) => (d.name.value === 'requiresScopes' || isScopesLink(d as ConstDirectiveNode) ? null : undefined),
    DirectiveDefinition: (d) => (d.name.value === 'requiresScopes' ? null : undefined),
    ScalarTypeDefinition: (d) => (d.name.value === 'requiresScopes__Scope' ? null : undefined),
  });
  return print(doc);
}

export function printSubgraphSdl(connector: Connector): string {
  return print(subgraphSdl(connector));
}
