import http from 'node:http';
import express from 'express';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { sql } from 'kysely';
import type { GraphQLSchema } from 'graphql';
import type { GatewayInterface } from '@apollo/server-gateway-interface';
import type { Db } from '../db/database.js';
import { createContext, LOCAL_DEVELOPER, type Context } from '../graphql/context.js';
import { createApollo } from './apollo.js';
import { sandboxAssets, sandboxPage } from './sandbox.js';

export interface HttpOptions {
  /** The merged schema, one subgraph's schema, or a federation gateway. */
  schema: GraphQLSchema | GatewayInterface;
  /** The hub database; a gateway has none (its subgraphs do). */
  db?: Db;
  port: number;
  production: boolean;
  sandbox: boolean;
}

/** A gateway resolves nothing itself; its context only carries the caller to forward. */
function gatewayContext() {
  return { principal: LOCAL_DEVELOPER } as unknown as Context;
}

export interface RunningServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** The hub's HTTP face: /graphql (API and, for browsers, the sandbox), /healthz and /readyz. */
export async function startHttpServer(opts: HttpOptions): Promise<RunningServer> {
  const app = express();
  const httpServer = http.createServer(app);
  const apollo = createApollo(opts.schema, {
    production: opts.production,
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer }), ApolloServerPluginLandingPageDisabled()],
  });
  await apollo.start();

  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    try {
      if (opts.db) await sql`SELECT 1`.execute(opts.db);
      res.json({ status: 'ready' });
    } catch (e) {
      res.status(503).json({ status: 'unavailable', reason: opts.production ? 'database not answering' : (e as Error).message });
    }
  });
  if (opts.sandbox) {
    app.use('/sandbox', sandboxAssets());
    app.get('/graphql', (req, res, next) => {
      if (req.accepts(['application/json', 'text/html']) === 'text/html' && !req.query.query) res.type('html').send(sandboxPage('/graphql'));
      else next();
    });
  }
  app.use('/graphql', express.json({ limit: '1mb' }), expressMiddleware(apollo, { context: async () => (opts.db ? createContext(opts.db) : gatewayContext()) }));

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(opts.port, resolve);
  });
  const address = httpServer.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  return {
    url: `http://localhost:${port}/graphql`,
    port,
    stop: () => apollo.stop(),
  };
}
