import type http from 'node:http';
import type express from 'express';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { takeOperation } from './apollo-plugin.js';

type Locals = { requestId?: string; context?: { operationName?: string | null }; forwarded?: { principal?: { id: string } } };
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
      req: (req: { method: string; url: string; raw?: { originalUrl?: string } }) => ({
        method: req.method,
        path: pathOf(req.raw?.originalUrl ?? req.url),
      }),
      res: (res: { statusCode: number }) => ({ status: res.statusCode }),
    },
    // Called when the request starts (nothing known yet) and again for the line written when it ends.
    customProps: (_req, res) => {
      if (!res.headersSent) return {};
      const l = locals(res);
      const operation = takeOperation(l.requestId) ?? l.context?.operationName ?? undefined;
      return {
        requestId: l.requestId,
        ...(operation ? { operation } : {}),
        ...(l.forwarded?.principal ? { caller: l.forwarded.principal.id } : {}),
      };
    },
    customSuccessMessage: (req, res) => `${req.method} ${pathOf(urlOf(req))} ${res.statusCode}`,
    customErrorMessage: (req, res) => `${req.method} ${pathOf(urlOf(req))} ${res.statusCode}`,
  }) as unknown as express.RequestHandler;
}

function pathOf(url: string | undefined): string {
  return (url ?? '').split('?')[0]!;
}

const urlOf = (req: http.IncomingMessage) => (req as express.Request).originalUrl ?? req.url ?? '';
