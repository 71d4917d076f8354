import { defineConnector } from '../../src/connector.js';
import * as m0001 from './migrations/0001_callers_and_access_log.js';
import { resolvers } from './resolvers.js';

/** The hub's own security data: callers with API keys, and the append-only access log. */
export const security = defineConnector({
  folder: import.meta.url,
  name: 'security',
  resolvers,
  migrations: { '0001_callers_and_access_log': m0001 },
  sources: [],
});
