import fs from 'node:fs';
import { parse } from 'graphql';
import type { Connector } from '../../src/connector.js';
import { cvrSource } from './ingest/cvr.js';
import { registryLoaders } from './loaders.js';
import * as m0001 from './migrations/0001_company.js';
import * as m0002 from './migrations/0002_production_units.js';
import * as m0003 from './migrations/0003_name_key.js';
import { resolvers } from './resolvers.js';

/** The CVR register: companies, their addresses, industries, size and production units. */
export const registry: Connector<ReturnType<typeof registryLoaders>> = {
  name: 'registry',
  typeDefs: parse(fs.readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8')),
  resolvers,
  migrations: { '0001_company': m0001, '0002_production_units': m0002, '0003_name_key': m0003 },
  sources: [cvrSource],
  loaders: registryLoaders,
};
