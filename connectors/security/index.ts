import fs from 'node:fs';
import { parse } from 'graphql';
import type { Connector } from '../../src/connector.js';
import * as m0001 from './migrations/0001_callers_and_access_log.js';
import { resolvers } from './resolvers.js';

/** The hub's own security data: callers with API keys, and the append-only access log. */
export const security: Connector<Record<string, never>> = {
  name: 'security',
  typeDefs: parse(fs.readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8')),
  resolvers,
  migrations: { '0001_callers_and_access_log': m0001 },
  sources: [],
  loaders: () => ({}),
};
