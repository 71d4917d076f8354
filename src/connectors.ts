import type { Connector } from './connector.js';
import type { SchemaMigrations } from './db/migrate.js';
import * as ingest0001 from './ingest/migrations/0001_runs_and_rejects.js';
import * as ingest0002 from './ingest/migrations/0002_run_owner.js';
import * as sync0001 from './sync/migrations/0001_sync_state.js';
import type { IngestSource } from './ingest/types.js';
import { registry } from '../connectors/registry/index.js';
import { veu } from '../connectors/veu/index.js';
import { crm } from '../connectors/crm/index.js';
import { jobcentre } from '../connectors/jobcentre/index.js';
import { coordination } from '../connectors/coordination/index.js';
import { insights } from '../connectors/insights/index.js';
import { security } from '../connectors/security/index.js';
import { deriveChange } from '../connectors/insights/derive/index.js';
import { onCompaniesChanged } from './changes.js';

/** Every connector, in dependency order (the registry first: it is the spine). */
export const connectors: Connector<any>[] = [registry, jobcentre, crm, veu, coordination, insights, security];

// Every transaction that changes company data derives the insights of those companies before it commits.
onCompaniesChanged(deriveChange);

/** The hub's own schemas first, then each connector's. */
export const allMigrations: SchemaMigrations[] = [
  { schema: 'ingest', migrations: { '0001_runs_and_rejects': ingest0001, '0002_run_owner': ingest0002 } },
  ...connectors.map((c) => ({ schema: c.name, migrations: c.migrations })),
  { schema: 'sync', migrations: { '0001_sync_state': sync0001 } },
];

export const allSources: IngestSource<any>[] = connectors.flatMap((c) => c.sources);

export function sourceByName(name: string): IngestSource<any> | undefined {
  return allSources.find((s) => s.name === name);
}
