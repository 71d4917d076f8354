import { defineConnector } from '../../src/connector.js';
import { meetingTimeline, referralTimeline } from './timeline.js';
import { writeCrmFiles } from './demo.js';
import { crmSources } from './ingest/sources.js';
import { crmLoaders } from './loaders.js';
import * as m0001 from './migrations/0001_crm.js';
import { resolvers } from './resolvers.js';

/** The Erhvervshus (business house) CRM: advisory accounts, meetings, guidance programmes, referrals. */
export const crm = defineConnector({
  folder: import.meta.url,
  name: 'crm',
  resolvers,
  migrations: { '0001_crm': m0001 },
  sources: crmSources,
  loaders: crmLoaders,
  // CRM rows are matched against the registry, so they load after cvr.
  demo: { files: writeCrmFiles },
  timeline: [meetingTimeline, referralTimeline],
  provenance: ['crm-accounts', 'crm-meetings', 'crm-programmes', 'crm-referrals'],
});
