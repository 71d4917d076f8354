import fs from 'node:fs';
import { parse } from 'graphql';
import type { Connector } from '../../src/connector.js';
import { contactsSource } from './ingest/contacts.js';
import { coordinationLoaders } from './loaders.js';
import * as m0001 from './migrations/0001_contacts.js';
import * as m0002 from './migrations/0002_idempotency_per_caller.js';
import * as m0003 from './migrations/0003_recorded_at_index.js';
import { resolvers } from './resolvers.js';

/** The hub's own writable log of contacts with companies, shared by jobcentres, business houses and VEU providers. */
export const coordination: Connector<ReturnType<typeof coordinationLoaders>> = {
  name: 'coordination',
  typeDefs: parse(fs.readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8')),
  resolvers,
  migrations: { '0001_contacts': m0001, '0002_idempotency_per_caller': m0002, '0003_recorded_at_index': m0003 },
  sources: [contactsSource],
  loaders: coordinationLoaders,
};
