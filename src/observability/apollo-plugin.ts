import type { ApolloServerPlugin } from '@apollo/server';
import type { Context } from '../graphql/context.js';
import { graphqlErrors, requestDuration } from './metrics.js';

/** What the request log adds once Apollo knows it: the operation's name. Keyed by the request's context. */
export const operationOf = new WeakMap<object, string>();

/**
 * Times every GraphQL request by operation, counts the errors sent by code, names the request id in
 * internal errors, and tells the request log
 * the operation name (a request that never parses is "anonymous").
 */
export function observabilityPlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart({ contextValue }) {
      const end = requestDuration.startTimer();
      let operation = 'anonymous';
      return {
        async didResolveOperation({ operationName }) {
          if (operationName) {
            operation = operationName;
            operationOf.set(contextValue, operationName);
          }
        },
        async willSendResponse({ response, errors }) {
          const sent = response.body.kind === 'single' ? (response.body.singleResult.errors ?? []) : (errors ?? []);
          // A masked fault names the request, so the caller can quote it and the operator find its log line.
          if (response.body.kind === 'single' && response.body.singleResult.errors) {
            response.body.singleResult.errors = response.body.singleResult.errors.map((e) =>
              e.extensions?.code === 'INTERNAL_SERVER_ERROR' && !e.extensions.requestId ? { ...e, extensions: { ...e.extensions, requestId: contextValue.requestId } } : e,
            );
          }
          for (const e of sent) graphqlErrors.inc({ code: String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR') });
          end({ operation, outcome: sent.length ? 'error' : 'ok' });
        },
      };
    },
  };
}
