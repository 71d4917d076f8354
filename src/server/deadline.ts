import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { Context } from '../graphql/context.js';

/** Default per-request deadline (INDGANG_REQUEST_TIMEOUT_MS). */
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

export function timeoutError(timeoutMs: number): GraphQLError {
  return new GraphQLError(
    `the request ran past its deadline of ${timeoutMs} ms and was stopped; ask for less (smaller pages, fewer fields)`,
    {
      extensions: { code: 'TIMEOUT', limit: timeoutMs },
    },
  );
}

/** Postgres cancelled a statement: statement_timeout (57014 query_canceled) at the request deadline. */
export function isStatementTimeout(error: unknown): boolean {
  let e: unknown = error;
  for (let i = 0; i < 5 && e && typeof e === 'object'; i++) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (code === '57014' || (typeof message === 'string' && /canceling statement due to statement timeout/.test(message))) return true;
    e = (e as { originalError?: unknown }).originalError;
  }
  return false;
}

const deadlines = new WeakMap<object, RequestDeadline>();

export interface RequestDeadline {
  /** When the request must be answered (epoch ms). */
  at: number;
  timeoutMs: number;
}

/** The deadline of the request a context belongs to (a gateway gives its subgraph fetches only the time left). */
export function deadlineOf(context: object): RequestDeadline | undefined {
  return deadlines.get(context);
}

/**
 * A per-request deadline: once it has passed, no further resolver starts (each one that would start
 * answers TIMEOUT, so execution winds down instead of running on; field-guard.ts checks it). SQL that
 * is already running is cancelled by Postgres itself: every pooled connection has `statement_timeout`
 * set to the deadline (see openHub), and a cancelled statement also answers TIMEOUT.
 */
export function deadlinePlugin(timeoutMs: number = DEFAULT_REQUEST_TIMEOUT_MS): ApolloServerPlugin<Context> {
  return {
    async requestDidStart({ contextValue }) {
      if (contextValue && typeof contextValue === 'object') deadlines.set(contextValue, { at: Date.now() + timeoutMs, timeoutMs });
    },
  };
}
