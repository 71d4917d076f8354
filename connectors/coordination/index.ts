import { sql } from 'kysely';
import { defineConnector } from '../../src/connector.js';
import { contactTimeline } from './timeline.js';
import { writeContactFiles } from './demo.js';
import { contactsSource } from './ingest/contacts.js';
import { coordinationLoaders } from './loaders.js';
import * as m0001 from './migrations/0001_contacts.js';
import * as m0002 from './migrations/0002_idempotency_per_caller.js';
import * as m0003 from './migrations/0003_recorded_at_index.js';
import { resolvers } from './resolvers.js';

/** The hub's own writable log of contacts with companies, shared by jobcentres, business houses and VEU providers. */
export const coordination = defineConnector({
  folder: import.meta.url,
  name: 'coordination',
  resolvers,
  migrations: { '0001_contacts': m0001, '0002_idempotency_per_caller': m0002, '0003_recorded_at_index': m0003 },
  sources: [contactsSource],
  loaders: coordinationLoaders,
  demo: { seedName: 'contacts', files: writeContactFiles },
  timeline: [contactTimeline],
  // The hub's own log has no ingest run for every write: its last write is its sync time (an index-only read).
  provenance: [{ name: 'contact-log', lastChanged: sql`(SELECT max(recorded_at) FROM coordination.contact_version)` }],
});
