import type { Db } from '../../src/db/database.js';
import { connectors } from '../../src/connectors.js';
import { subgraphSchema } from '../../src/graphql/schema.js';
import { startHttpServer, type RunningServer } from '../../src/server/http.js';

export interface RunningSubgraph {
  connector: (typeof connectors)[number];
  url: string;
  server: RunningServer;
}

/** Every connector served as its own production subgraph on a free port, trusting only a gateway with `key`. */
export async function startSubgraphs(db: Db, key: Uint8Array): Promise<RunningSubgraph[]> {
  const started: RunningSubgraph[] = [];
  for (const connector of connectors) {
    const server = await startHttpServer({
      schema: subgraphSchema(connector),
      db,
      port: 0,
      production: true,
      sandbox: false,
      auth: { kind: 'gateway', key },
      servedBy: connector.name,
    });
    started.push({ connector, url: server.url.replace('localhost', '127.0.0.1'), server });
  }
  return started;
}
