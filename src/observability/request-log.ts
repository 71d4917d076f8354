import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { takeOperation } from './apollo-plugin.js';
import './request-state.js';

const QUIET = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * One log line per request through pino: request id, method, path (never the query string: a GET request's
 * variables may hold personal data), status, duration, the GraphQL operation and the caller. Health checks,
 * metrics scrapes and sandbox assets are not logged. Hooks on the server rather than Fastify's own logger,
 * which logs two lines per request (received, completed) and builds them whatever the level.
 */
export function logRequests(app: FastifyInstance, logger: Logger): void {
  const log = logger.child({ component: 'http' });
  // On the response's 'close', which comes after the answer was sent and also when the client went away first
  // (then status null), whether or not the request's body had arrived: one line either way, at info.
  app.addHook('onRequest', async (request, reply) => {
    const path = pathOf(request.url);
    if (QUIET.has(path) || path.startsWith('/sandbox/')) return;
    reply.raw.once('close', () => {
      // Taken out whether or not the line is written, so the map of names in flight does not fill up.
      const named = takeOperation(request.id);
      if (!log.isLevelEnabled('info')) return;
      const status = reply.raw.headersSent ? reply.statusCode : null;
      const operation = named ?? request.graphqlContext?.operationName ?? undefined;
      log.info(
        {
          requestId: request.id,
          ...(operation ? { operation } : {}),
          ...(request.forwarded?.principal ? { caller: request.forwarded.principal.id } : {}),
          req: { method: request.method, path },
          res: { status },
          ...(status !== null && status >= 500 ? { err: { type: 'Error', message: `failed with status code ${status}` } } : {}),
          durationMs: Math.round(reply.elapsedTime),
        },
        `${request.method} ${path} ${status ?? 'not answered'}`,
      );
    });
  });
}

function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}
