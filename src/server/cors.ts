import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * CORS for the browser origins listed in INDGANG_CORS_ORIGINS (exact matches, e.g.
 * https://app.example.dk); none by default, so browsers on other sites cannot call the API. An `onRequest`
 * hook of the GraphQL route: a preflight from an allowed origin is answered here (204).
 */
export function cors(origins: string[]) {
  const allowed = new Set(origins);
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const origin = request.headers.origin;
    if (!origin || !allowed.has(origin)) return;
    reply.header('access-control-allow-origin', origin);
    reply.header('vary', 'Origin');
    reply.header(
      'access-control-expose-headers',
      'x-request-id, retry-after, ratelimit-limit, ratelimit-remaining, ratelimit-reset, ratelimit-policy',
    );
    if (request.method === 'OPTIONS') {
      reply.header('access-control-allow-methods', 'GET, POST, OPTIONS');
      reply.header('access-control-allow-headers', 'authorization, content-type, apollo-require-preflight');
      reply.header('access-control-max-age', '600');
      return reply.code(204).send();
    }
  };
}
