import type { Forwarded } from '../security/gateway-trust.js';

/**
 * What a request carries between the server's hooks (src/server/http.ts) and its log line (request-log.ts): the caller
 * it was authenticated as and the GraphQL context made for it. Declared on Fastify's request, and set to
 * null for every request (`decorateRequest`) so each request object has the same shape.
 */
declare module 'fastify' {
  interface FastifyRequest {
    forwarded: Forwarded | null;
    graphqlContext: { operationName?: string | null } | null;
  }
}

export {};
