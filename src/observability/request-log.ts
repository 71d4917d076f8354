import type http from 'node:http';
import type express from 'express';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { operationOf } from './apollo-plugin.js';

type Locals = { requestId?: string; context?: object; forwarded?: { principal?: { id: string } } };
const locals = (res: http.ServerResponse) => ((res as express.Response).locals ?? {}) as Locals;
const QUIET = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * One log line per request through pino (pino-http): request id, method, path (never the query string:
 * a GET request's variables may hold personal data), status, duration, the GraphQL operation and the caller.
 * Health checks, metrics scrapes and sandbox assets are not logged.
 */
export function requestLog(logger: Logger): express.RequestHandler {
  return pinoHttp({
    logger: logger.child({ component: 'http' }),
    genReqId: (_req, res) => locals(res).requestId ?? 'unknown',
    autoLogging: { ignore: (req) => QUIET.has(pathOf(req.url)) || pathOf(req.url).startsWith('/sandbox/') },
    customAttributeKeys: { responseTime: 'durationMs' },
    serializers: {
      req: (req: { method: string; url: string }) => ({ method: req.method, path: pathOf(req.url) }),
      res: (res: { statusCode: number }) => ({ status: res.statusCode }),
    },
    customProps: (_req, res) => {
      const l = locals(res);
      const operation = l.context ? operationOf.get(l.context) : undefined;
      return { requestId: l.requestId, ...(operation ? { operation } : {}), ...(l.forwarded?.principal ? { caller: l.forwarded.principal.id } : {}) };
    },
    customSuccessMessage: (req, res) => `${req.method} ${pathOf(req.url ?? '')} ${res.statusCode}`,
    customErrorMessage: (req, res) => `${req.method} ${pathOf(req.url ?? '')} ${res.statusCode}`,
  }) as unknown as express.RequestHandler;
}

function pathOf(url: string | undefined): string {
  return (url ?? '').split('?')[0]!;
}
