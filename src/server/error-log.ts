import type { ApolloServerPlugin } from '@apollo/server';
import type { Context } from '../graphql/context.js';
import { logger } from '../logger.js';

const CLIENT_CODES = new Set([
  'BAD_USER_INPUT',
  'GRAPHQL_VALIDATION_FAILED',
  'GRAPHQL_PARSE_FAILED',
  'FORBIDDEN',
  'UNAUTHENTICATED',
  'PERSISTED_QUERY_NOT_FOUND',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_REQUEST',
]);

/**
 * Faults (errors that are not the client's) are logged server-side with the request id, and the
 * answer's masked error carries the same `requestId`, so a report quoting it finds the log line.
 */
export function errorLogPlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ contextValue, errors, operationName }) {
          for (const e of errors) {
            const code = e.extensions?.code;
            if (typeof code === 'string' && CLIENT_CODES.has(code)) continue;
            if (code === 'RATE_LIMITED' || code === 'QUERY_TOO_COSTLY' || /^TOO_MANY_|^QUERY_TOO_/.test(String(code))) continue;
            logger.error(
              { requestId: contextValue?.requestId, operation: operationName, path: e.path, code, err: e.originalError ?? e },
              'request failed',
            );
          }
        },
        async willSendResponse({ contextValue, response }) {
          if (response.body.kind !== 'single' || !response.body.singleResult.errors || !contextValue?.requestId) return;
          response.body.singleResult.errors = response.body.singleResult.errors.map((e) =>
            e.extensions?.code === 'INTERNAL_SERVER_ERROR' ||
            e.extensions?.code === 'DATABASE_UNAVAILABLE' ||
            e.extensions?.code === 'TIMEOUT' ||
            e.extensions?.code === 'SOURCE_UNAVAILABLE'
              ? { ...e, extensions: { ...e.extensions, requestId: contextValue.requestId } }
              : e,
          );
        },
      };
    },
  };
}
