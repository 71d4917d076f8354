import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import type { GatewayInterface } from '@apollo/server-gateway-interface';
import { unwrapResolverError } from '@apollo/server/errors';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { GraphQLError, GraphQLSchema, type GraphQLFormattedError } from 'graphql';
import type { Context } from '../graphql/context.js';
import { ArgumentValuesRule } from '../graphql/argument-rule.js';
import { securityPlugin } from '../security/plugin.js';
import { isBadValueForDatabase, isDatabaseUnavailable } from '../db/health.js';
import { errorLogPlugin } from './error-log.js';
import { formatSourceError } from './source-errors.js';
import { guardFields } from './field-guard.js';
import { jitGateway } from './jit.js';
import { inputHygienePlugin } from './input-hygiene.js';
import { armor, limitError, limitsPlugin, LIMITS } from './limits.js';
import { deadlinePlugin, isStatementTimeout, timeoutError, DEFAULT_REQUEST_TIMEOUT_MS } from './deadline.js';
import { logger } from '../logger.js';
import { observabilityPlugin } from '../observability/apollo-plugin.js';

export interface ApolloOptions {
  production: boolean;
  plugins?: ApolloServerPlugin<Context>[];
  /** What serves the graph, for the access log: "hub" (default) or a subgraph's name. */
  servedBy?: string;
  /** Per-request deadline in ms (default 10 s). */
  requestTimeoutMs?: number;
  /** Cost-based rate limits per caller (default: on, DEFAULT_RATE_LIMIT points per minute); false: off. */
  rateLimit?: { defaultPoints: number } | false;
}

/**
 * The Apollo Server every mode uses. Client mistakes keep their BAD_USER_INPUT code even when found
 * during validation; in production, faults reach clients as a bare message without stack traces. Every
 * mode records reads of contact entries and personal names in the access log (see securityPlugin).
 */
export function createApollo(graph: GraphQLSchema | GatewayInterface, opts: ApolloOptions): ApolloServer<Context> {
  const limits = armor();
  return new ApolloServer<Context>({
    ...(graph instanceof GraphQLSchema ? local(guardFields(graph, opts.servedBy ?? 'hub')) : { gateway: graph }),
    validationRules: [...limits.validationRules, ArgumentValuesRule],
    parseOptions: { maxTokens: LIMITS.maxTokens },
    includeStacktraceInErrorResponses: !opts.production,
    introspection: true,
    // The command line stops the server on SIGTERM itself, after /readyz has answered 503 for the drain delay;
    // Apollo's own handler would stop it at once (and Apollo installs it whenever NODE_ENV is not "test").
    stopOnTerminationSignals: false,
    logger: logger.child({ component: 'apollo' }),
    // No inline traces for a gateway: they would carry a subgraph's timings and raw errors outside it.
    plugins: [
      observabilityPlugin(),
      errorLogPlugin(),
      inputHygienePlugin(),
      ...limits.plugins,
      limitsPlugin({ production: opts.production, rateLimit: opts.rateLimit }),
      deadlinePlugin(opts.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS),
      securityPlugin({ production: opts.production, servedBy: opts.servedBy ?? 'hub' }),
      ApolloServerPluginInlineTraceDisabled(),
      ApolloServerPluginCacheControlDisabled(),
      ...(opts.plugins ?? []),
    ],
    formatError: (formatted, error) => formatError(formatted, error, opts.production, opts.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS),
  });
}

/**
 * A local schema runs compiled (jit.ts), except while OpenTelemetry traces: its GraphQL instrumentation
 * wraps graphql-js's own execution, which gives the operation and resolver spans.
 */
function local(schema: GraphQLSchema): { schema: GraphQLSchema } | { gateway: GatewayInterface } {
  return process.env.OTEL_EXPORTER_OTLP_ENDPOINT ? { schema } : { gateway: jitGateway(schema) };
}

export function formatError(
  formatted: GraphQLFormattedError,
  error: unknown,
  production: boolean,
  requestTimeoutMs = DEFAULT_REQUEST_TIMEOUT_MS,
): GraphQLFormattedError {
  const limit = limitError(formatted);
  if (limit) return limit;
  const original = unwrapResolverError(error);
  const inner = original instanceof GraphQLError ? (original.originalError ?? original) : original;
  if (inner instanceof GraphQLError && inner.extensions?.code === 'BAD_USER_INPUT') {
    return { ...formatted, extensions: { ...formatted.extensions, ...inner.extensions, code: 'BAD_USER_INPUT' } };
  }
  if (isStatementTimeout(original)) {
    const t = timeoutError(requestTimeoutMs);
    return { message: t.message, locations: formatted.locations, path: formatted.path, extensions: { ...t.extensions } };
  }
  const source = formatSourceError(formatted, original);
  if (source) return source;
  if (isBadValueForDatabase(original) && formatted.path) {
    // A safety net for a value that only Postgres found wrong (a forged cursor's key, an id of the wrong form):
    // the client's mistake, named by the field it asked for, never the database's message.
    const field = formatted.path.filter((p) => typeof p === 'string').join('.');
    return {
      message: `${field}: an argument is not a value this field accepts (a cursor not returned by this connection, or an id of the wrong form)`,
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: 'BAD_USER_INPUT', field },
    };
  }
  if (isDatabaseUnavailable(original)) {
    return {
      message: 'the database is unavailable; try again shortly',
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: 'DATABASE_UNAVAILABLE' },
    };
  }
  const code = formatted.extensions?.code;
  if (production && (code === 'INTERNAL_SERVER_ERROR' || code === undefined)) {
    return {
      message: 'Internal server error',
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  }
  return formatted;
}
