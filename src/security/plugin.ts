import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, visit, type DocumentNode } from 'graphql';
import type { Context } from '../graphql/context.js';
import { logger } from '../logger.js';
import { insertAccessLog } from './store.js';

/** Per parsed document (Apollo keeps them), so a repeated operation is not walked again. */
const introspects = new WeakMap<DocumentNode, boolean>();

function asksForIntrospection(doc: DocumentNode): boolean {
  const known = introspects.get(doc);
  if (known !== undefined) return known;
  let asks = false;
  visit(doc, {
    Field(node) {
      if (node.name.value === '__schema' || node.name.value === '__type') asks = true;
    },
  });
  introspects.set(doc, asks);
  return asks;
}

export interface SecurityPluginOptions {
  production: boolean;
  /** What serves the graph, as the access log names it: "hub", or a subgraph's name. */
  servedBy: string;
}

/**
 * Per request: notes the operation name for the access log and the gateway's assertions; refuses
 * introspection in production to callers without `admin`; and, once the answer is complete, writes the
 * request's reads of contact entries and personal names to the access log in one statement, through the
 * log's own handle, so the request's statement count never includes it. If the log cannot be written, the
 * data is not sent: nothing personal leaves unlogged.
 */
export function securityPlugin(opts: SecurityPluginOptions): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue: ctx, operationName, document }) {
          // Behind a gateway the subgraph keeps the client's operation name from the gateway's assertion.
          ctx.operationName ??= operationName ?? null;
          if (opts.production && !ctx.principal?.scopes.includes('admin') && asksForIntrospection(document)) {
            throw new GraphQLError('introspection needs the scope admin in production', {
              extensions: { code: 'FORBIDDEN', missingScopes: ['admin'], http: { status: 403 } },
            });
          }
        },
        async willSendResponse({ contextValue: ctx, response }) {
          if (!ctx.access || ctx.access.empty || !ctx.logDb) return;
          try {
            await insertAccessLog(ctx.logDb, {
              caller: ctx.principal.id,
              operation: ctx.operationName,
              requestId: ctx.requestId,
              servedBy: opts.servedBy,
              reads: [...ctx.access.reads].sort(),
              cvrs: [...ctx.access.cvrs].sort(),
            });
          } catch (e) {
            logger.error({ err: e, requestId: ctx.requestId }, 'access log not written; answer withheld');
            if (response.body.kind === 'single') {
              response.body.singleResult.data = null;
              response.body.singleResult.errors = [
                {
                  message: 'the access log could not be written, so the answer is withheld; try again',
                  extensions: { code: 'ACCESS_LOG_UNAVAILABLE' },
                },
              ];
            }
            response.http.status = 503;
          }
        },
      };
    },
  };
}
