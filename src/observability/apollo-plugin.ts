import type { ApolloServerPlugin } from '@apollo/server';
import type { Context } from '../graphql/context.js';
import { graphqlErrors, requestDuration } from './metrics.js';

/**
 * Times every GraphQL request by operation, counts the errors sent by code, names the request id in
 * internal errors.
 * A request that never parses counts as "anonymous".
 */
/**
 * The operation name of requests in flight, by request id, for the request log's line (Apollo hands
 * plugins a copy of the context, so it cannot be written there). The log takes each name out when the
 * response ends; the map never holds more than a few thousand.
 */
export const operationByRequest = new Map<string, string>();

export function takeOperation(requestId: string | undefined): string | undefined {
  if (!requestId) return undefined;
  const name = operationByRequest.get(requestId);
  operationByRequest.delete(requestId);
  return name;
}

export function observabilityPlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart({ contextValue }) {
      const end = requestDuration.startTimer();
      let operation = 'anonymous';
      return {
        async didResolveOperation({ operationName }) {
          if (operationName) {
            operation = operationName;
            if (operationByRequest.size > 5000) operationByRequest.clear();
            operationByRequest.set(contextValue.requestId, operationName);
          }
        },
        async willSendResponse({ response, errors }) {
          const sent = response.body.kind === 'single' ? (response.body.singleResult.errors ?? []) : (errors ?? []);
          // A masked fault names the request, so the caller can quote it and the operator find its log line.
          if (response.body.kind === 'single' && response.body.singleResult.errors) {
            response.body.singleResult.errors = response.body.singleResult.errors.map((e) =>
              e.extensions?.code === 'INTERNAL_SERVER_ERROR' && !e.extensions.requestId
                ? { ...e, extensions: { ...e.extensions, requestId: contextValue.requestId } }
                : e,
            );
          }
          for (const e of sent) graphqlErrors.inc({ code: String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR') });
          end({ operation, outcome: sent.length ? 'error' : 'ok' });
        },
      };
    },
  };
}
