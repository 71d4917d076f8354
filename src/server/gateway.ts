import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { Connector } from '../connector.js';
import type { Context } from '../graphql/context.js';
import { composeSupergraph, supergraphForApolloGateway } from '../graphql/supergraph.js';
import { PRINCIPAL_HEADER, signPrincipal } from '../security/gateway-trust.js';

/**
 * A subgraph behind the gateway: each request carries the client's principal, signed with the key the
 * gateway shares with its subgraphs and bound to that request, so a subgraph can trust it and nothing else.
 */
export class TrustedSubgraph extends RemoteGraphQLDataSource<Context> {
  constructor(
    url: string,
    private readonly key: Uint8Array,
  ) {
    super({ url });
  }

  override async willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<Context>): Promise<void> {
    if (!context?.principal) return;
    const assertion = await signPrincipal(
      this.key,
      { principal: context.principal, operationName: context.operationName ?? null, requestId: context.requestId },
      { query: request.query, variables: request.variables },
    );
    request.http?.headers.set(PRINCIPAL_HEADER, assertion);
  }
}

/** Apollo Gateway over running subgraphs, passing each the caller it authenticated. */
export function trustedGateway(subgraphs: { connector: Connector; url: string }[], key: Uint8Array): ApolloGateway {
  return new ApolloGateway({
    supergraphSdl: supergraphForApolloGateway(composeSupergraph(subgraphs)),
    buildService: ({ url }) => new TrustedSubgraph(url!, key),
  });
}
