/**
 * PostGraphile v5, the peer the serve benchmark compares `companies(first: 50)` with: served on the same
 * database, over the views of bench/serve-lib.ts (schema `bench_peer`: the register with the profile's
 * municipality and open-vacancy count, and the vacancies), so it answers the same query shape.
 * Run as its own process: PEER_DATABASE_URL and PORT; prints "ready" when it listens.
 * PostGraphile 5 declares Node >= 22; on Node 20 it needs Promise.withResolvers, which bench/node20-shim.ts
 * adds (imported first, before PostGraphile's modules load).
 */
import './node20-shim.js';
import { createServer } from 'node:http';
import { postgraphile } from 'postgraphile';
import { makePgService } from 'postgraphile/adaptors/pg';
import { grafserv } from 'postgraphile/grafserv/node';
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber';

const preset: GraphileConfig.Preset = {
  extends: [PostGraphileAmberPreset],
  pgServices: [makePgService({ connectionString: process.env.PEER_DATABASE_URL!, schemas: ['bench_peer'], poolConfig: { max: 10 } })],
  grafserv: { graphqlPath: '/graphql', watch: false },
  grafast: { explain: false },
  // Views have no indexes; without this PostGraphile offers no order or condition on their columns.
  disablePlugins: ['PgIndexBehaviorsPlugin'],
};

const pgl = postgraphile(preset);
const serv = pgl.createServ(grafserv);
const server = createServer();
serv.addTo(server);
server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('ready'));
process.on('SIGTERM', () => {
  server.close();
  void Promise.resolve(pgl.release()).then(() => process.exit(0));
});
