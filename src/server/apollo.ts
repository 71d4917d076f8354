import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import type { GatewayInterface } from '@apollo/server-gateway-interface';
import { unwrapResolverError } from '@apollo/server/errors';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { GraphQLError, GraphQLSchema, type GraphQLFormattedError } from 'graphql';
import type { Context } from '../graphql/context.js';
import { ArgumentValuesRule } from '../graphql/argument-rule.js';
import { securityPlugin } from '../security/plugin.js';
import { logger } from '../logger.js';
import { observabilityPlugin } from '../observability/apollo-plugin.js';

export interface ApolloOptions {
  production: boolean;
  plugins?: ApolloServerPlugin<Context>[];
  /** What serves the graph, for the access log: "hub" (default) or a subgraph's name. */
  servedBy?: string;
}

/**
 * The Apollo Server every mode uses. Client mistakes keep their BAD_USER_INPUT code even when found
 * during validation; in production, faults reach clients as a bare message without stack traces. Every
 * mode records reads of contact entries and personal names in the access log (see securityPlugin).
 */
export function createApollo(graph: GraphQLSchema | GatewayInterface, opts: ApolloOptions): ApolloServer<Context> {
  return new ApolloServer<Context>({
    ...(graph instanceof GraphQLSchema ? { schema: graph } : { gateway: graph }),
    validationRules: [ArgumentValuesRule],
    includeStacktraceInErrorResponses: !opts.production,
    introspection: true,
    logger: logger.child({ component: 'apollo' }),
    // No inline traces for a gateway: they would carry a subgraph's timings and raw errors outside it.
    plugins: [observabilityPlugin(), securityPlugin({ production: opts.production, servedBy: opts.servedBy ?? 'hub' }), ApolloServerPluginInlineTraceDisabled(), ...(opts.plugins ?? [])],
    formatError: (formatted, error) => formatError(formatted, error, opts.production),
  });
}

export function formatError(formatted: GraphQLFormattedError, error: unknown, production: boolean): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  const inner = original instanceof GraphQLError ? (original.originalError ?? original) : original;
  if (inner instanceof GraphQLError && inner.extensions?.code === 'BAD_USER_INPUT') {
    return { ...formatted, extensions: { ...formatted.extensions, ...inner.extensions, code: 'BAD_USER_INPUT' } };
  }
  const code = formatted.extensions?.code;
  if (production && (code === 'INTERNAL_SERVER_ERROR' || code === undefined)) {
    return { message: 'Internal server error', locations: formatted.locations, path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  }
  return formatted;
}
