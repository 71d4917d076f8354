import http from 'node:http';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLSchema } from 'graphql';
import type { GatewayInterface } from '@apollo/server-gateway-interface';
import type { Db } from '../db/database.js';
import { createContext, type Context } from '../graphql/context.js';
import { AuthError, clientAuthenticator, type Authenticate } from '../security/authenticate.js';
import { PRINCIPAL_HEADER, verifyPrincipal, type Forwarded } from '../security/gateway-trust.js';
import { createApollo } from './apollo.js';
import { sandboxAssets, sandboxPage } from './sandbox.js';
import { requestId } from './request-id.js';
import { cors } from './cors.js';
import { checkDatabase, isDatabaseUnavailable } from '../db/health.js';
import { logger } from '../logger.js';
import { requestLog } from '../observability/request-log.js';
import { registry } from '../observability/metrics.js';

/**
 * How a server knows who calls it. `client`: clients' API keys and tokens (the hub, a gateway).
 * `gateway`: only requests a gateway signed with the shared key (a subgraph in distributed mode).
 */
export type ServerAuth = { kind: 'client'; authenticate: Authenticate } | { kind: 'gateway'; key: Uint8Array };

export interface HttpOptions {
  /** The merged schema, one subgraph's schema, or a federation gateway. */
  schema: GraphQLSchema | GatewayInterface;
  /** The hub database; a gateway has none of its own to resolve from (its subgraphs do). */
  db?: Db;
  port: number;
  production: boolean;
  sandbox: boolean;
  /** Default: API keys from `db`, no tokens, and credentials required in production only. */
  auth?: ServerAuth;
  /** What serves the graph, for the access log: "hub" or a subgraph's name. */
  servedBy?: string;
  /** Per-request deadline in ms (default 10 s). */
  requestTimeoutMs?: number;
  /** Default cost points per minute per caller (INDGANG_RATE_LIMIT; 0: only callers' own limits). */
  defaultRateLimit?: number;
  /** Browser origins CORS allows (INDGANG_CORS_ORIGINS); none by default. */
  corsOrigins?: string[];
  /** On stop, how long /readyz answers 503 before the server drains (so a load balancer stops sending first). */
  drainDelayMs?: number;
}

/** A gateway resolves nothing itself; its context carries the caller and the request to forward. */
function gatewayContext(f: Forwarded): Context {
  return { principal: f.principal, operationName: f.operationName, requestId: f.requestId } as unknown as Context;
}

export interface RunningServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

function variablesOf(req: express.Request): unknown {
  if (req.method === 'GET' && typeof req.query.variables === 'string') {
    try {
      return JSON.parse(req.query.variables);
    } catch {
      return undefined;
    }
  }
  return req.body?.variables;
}

/**
 * 401 with a Bearer challenge (RFC 6750) and one UNAUTHENTICATED error: a clear message and nothing
 * about the schema.
 */
function unauthenticated(res: express.Response, e: AuthError): void {
  const description = e.message.replace(/["\\]/g, "'");
  res
    .status(401)
    .set(
      'WWW-Authenticate',
      e.reason === 'missing'
        ? 'Bearer realm="indgang"'
        : `Bearer realm="indgang", error="invalid_token", error_description="${description}"`,
    )
    .json({ errors: [{ message: e.message, extensions: { code: 'UNAUTHENTICATED' } }] });
}

const SCHEMA_FILE = fileURLToPath(new URL('../../schema.graphql', import.meta.url));

/** The hub's HTTP face: /graphql (API and, for browsers, the sandbox), /healthz and /readyz. */
export async function startHttpServer(opts: HttpOptions): Promise<RunningServer> {
  const app = express();
  const httpServer = http.createServer(app);
  const apollo = createApollo(opts.schema, {
    production: opts.production,
    servedBy: opts.servedBy,
    requestTimeoutMs: opts.requestTimeoutMs,
    // A subgraph behind its gateway does not count again: the gateway counted the client's operation.
    rateLimit:
      opts.auth?.kind === 'gateway' ? false : opts.defaultRateLimit === undefined ? undefined : { defaultPoints: opts.defaultRateLimit },
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer }), ApolloServerPluginLandingPageDisabled()],
  });
  await apollo.start();
  const auth: ServerAuth = opts.auth ?? { kind: 'client', authenticate: clientAuthenticator({ db: opts.db, required: opts.production }) };

  app.disable('x-powered-by');
  app.use(requestId, requestLog(logger));
  let draining = false;
  app.get('/metrics', async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  });
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    if (draining) {
      res.status(503).json({ status: 'draining' });
      return;
    }
    const r = opts.db ? await checkDatabase(opts.db) : { ready: true };
    if (r.ready) res.json({ status: 'ready' });
    else res.status(503).json({ status: 'unavailable', reason: r.reason });
  });
  if (opts.sandbox) {
    app.use('/sandbox', sandboxAssets());
    // The schema file for download; in production introspection needs admin, so the file stays in the repository.
    if (!opts.production) app.get('/schema.graphql', (_req, res) => res.attachment('schema.graphql').sendFile(SCHEMA_FILE));
    app.get('/graphql', (req, res, next) => {
      if (req.accepts(['application/json', 'text/html']) === 'text/html' && !req.query.query)
        res.type('html').send(sandboxPage('/graphql', { schemaLink: !opts.production }));
      else next();
    });
  }
  const authenticate: express.RequestHandler = async (req, res, next) => {
    try {
      if (auth.kind === 'client') {
        res.locals.forwarded = {
          principal: await auth.authenticate(req.get('authorization')),
          operationName: null,
          requestId: res.locals.requestId as string,
        } satisfies Forwarded;
      } else {
        const query = req.method === 'GET' ? req.query.query : req.body?.query;
        res.locals.forwarded = await verifyPrincipal(auth.key, req.get(PRINCIPAL_HEADER), {
          query: typeof query === 'string' ? query : undefined,
          variables: variablesOf(req),
        });
      }
      next();
    } catch (e) {
      if (e instanceof AuthError) unauthenticated(res, e);
      else if (isDatabaseUnavailable(e))
        res
          .status(503)
          .json({ errors: [{ message: 'the database is unavailable; try again shortly', extensions: { code: 'DATABASE_UNAVAILABLE' } }] });
      else next(e);
    }
  };
  app.use(
    '/graphql',
    requestId,
    cors(opts.corsOrigins ?? []),
    express.json({ limit: '1mb' }),
    authenticate,
    expressMiddleware(apollo, {
      context: async ({ res }) => {
        const f = res.locals.forwarded as Forwarded;
        const context = opts.db ? createContext(opts.db, f.principal, f) : gatewayContext(f);
        res.locals.context = context;
        return context;
      },
    }),
  );

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(opts.port, resolve);
  });
  const address = httpServer.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  return {
    url: `http://localhost:${port}/graphql`,
    port,
    stop: async () => {
      // Readiness off first, then drain: in-flight requests finish, new ones go to other instances.
      draining = true;
      logger.info({ drainDelayMs: opts.drainDelayMs ?? 0 }, 'stopping: readiness off (/readyz answers 503), then draining');
      if (opts.drainDelayMs) await new Promise((r) => setTimeout(r, opts.drainDelayMs));
      await apollo.stop();
      logger.info('drained: no requests in flight');
    },
  };
}
