/**
 * A small typed client for indgang. Operations live in ../operations.graphql; `npm run codegen`
 * generates their TypedDocumentNodes (./generated), so results and variables are typed end to end:
 *
 *   const client = createClient({ url: 'http://localhost:4000/graphql', apiKey: process.env.INDGANG_API_KEY });
 *   const { company } = await client.request(CompanyProfileDocument, { cvr: '…' });
 */
import { print } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';

export * from './generated/graphql.js';

export interface ClientOptions {
  url: string;
  /** An API key from `indgang callers add` (sent as a bearer token); unset in development. */
  apiKey?: string;
  fetch?: typeof fetch;
}

/** One GraphQL error as indgang sends it; `extensions.requestId` names a masked fault's request. */
export interface GraphQLErrorBody {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; requestId?: string; [k: string]: unknown };
}

export class IndgangError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly errors: GraphQLErrorBody[],
    readonly requestId: string | null,
  ) {
    super(message);
  }
}

export interface Client {
  request<R, V extends Record<string, unknown>>(document: TypedDocumentNode<R, V>, variables: V): Promise<R>;
}

export function createClient(opts: ClientOptions): Client {
  const doFetch = opts.fetch ?? fetch;
  return {
    async request(document, variables) {
      const res = await doFetch(opts.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          ...(opts.apiKey ? { authorization: `Bearer ${opts.apiKey}` } : {}),
        },
        body: JSON.stringify({ query: print(document), variables }),
      });
      const requestId = res.headers.get('x-request-id');
      const body = (await res.json().catch(() => ({}))) as { data?: unknown; errors?: GraphQLErrorBody[] };
      if (body.errors?.length || !res.ok || !body.data) {
        const errors = body.errors ?? [];
        const first = errors[0]?.message ?? `HTTP ${res.status}`;
        throw new IndgangError(
          `${first}${errors[0]?.extensions?.code ? ` (${errors[0].extensions.code})` : ''}; request ${requestId ?? 'unknown'}`,
          res.status,
          errors,
          requestId,
        );
      }
      return body.data as never;
    },
  };
}
