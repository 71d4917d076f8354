import fs from 'node:fs';
import { parse } from 'graphql';
import type { Connector } from '../../src/connector.js';
import { crmSources } from './ingest/sources.js';
import { crmLoaders } from './loaders.js';
import * as m0001 from './migrations/0001_crm.js';
import { resolvers } from './resolvers.js';

/** The Erhvervshus (business house) CRM: advisory accounts, meetings, guidance programmes, referrals. */
export const crm: Connector<ReturnType<typeof crmLoaders>> = {
  name: 'crm',
  typeDefs: parse(fs.readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8')),
  resolvers,
  migrations: { '0001_crm': m0001 },
  sources: crmSources,
  loaders: crmLoaders,
};
