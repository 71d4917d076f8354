import type express from 'express';
import type { Logger } from 'pino';
import { takeOperation } from './apollo-plugin.js';

type Locals = { requestId?: string; context?: { operationName?: string | null }; forwarded?: { principal?: { id: string } } };
const QUIET = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * One log line per request through pino: request id, method, path (never the query string: a GET request's
 * variables may hold personal data), status, duration, the GraphQL operation and the caller. Health checks,
 * metrics scrapes and sandbox assets are not logged.
 *
 * Written here rather than with pino-http, which made two child loggers per request (binding the request
 * and its custom properties) even when the line's level was off: about a tenth of a `{ __typename }`
 * request's CPU under load. This writes the same line, and builds it only when its level is on.
 */
export function requestLog(logger: Logger): express.RequestHandler {
  const log = logger.child({ component: 'http' });
  return (req, res, next) => {
    const path = pathOf(req.originalUrl ?? req.url);
    if (QUIET.has(path) || path.startsWith('/sandbox/')) return next();
    const started = Date.now();
    let logged = false;
    // 'close' alone when the client went away first; either way one line, at info as pino-http wrote them
    // (a 5xx with its err, an answer never sent with status null).
    const done = () => {
      if (logged) return;
      logged = true;
      const l = (res.locals ?? {}) as Locals;
      // Taken out whether or not the line is written, so the map of names in flight does not fill up.
      const named = takeOperation(l.requestId);
      if (!log.isLevelEnabled('info')) return;
      const status = res.headersSent ? res.statusCode : null;
      const operation = named ?? l.context?.operationName ?? undefined;
      log.info(
        {
          requestId: l.requestId,
          ...(operation ? { operation } : {}),
          ...(l.forwarded?.principal ? { caller: l.forwarded.principal.id } : {}),
          req: { method: req.method, path },
          res: { status },
          ...(status !== null && status >= 500 ? { err: { type: 'Error', message: `failed with status code ${status}` } } : {}),
          durationMs: Date.now() - started,
        },
        `${req.method} ${path} ${status ?? 'not answered'}`,
      );
    };
    res.once('finish', done);
    res.once('close', done);
    next();
  };
}

function pathOf(url: string | undefined): string {
  const q = (url ?? '').indexOf('?');
  return q < 0 ? (url ?? '') : url!.slice(0, q);
}
