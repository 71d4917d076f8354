import { useConnectors, type Connector } from './connector.js';
import type { SchemaMigrations } from './db/migrate.js';
import * as ingest0001 from './ingest/migrations/0001_runs_and_rejects.js';
import * as ingest0002 from './ingest/migrations/0002_run_owner.js';
import * as ingest0003 from './ingest/migrations/0003_no_care_of_in_rejects.js';
import * as sync0001 from './sync/migrations/0001_sync_state.js';
import type { IngestSource } from './ingest/types.js';
import type { Loaders } from './graphql/context.js';
import { registry } from '../connectors/registry/index.js';
import { veu } from '../connectors/veu/index.js';
import { crm } from '../connectors/crm/index.js';
import { jobcentre } from '../connectors/jobcentre/index.js';
import { coordination } from '../connectors/coordination/index.js';
import { insights } from '../connectors/insights/index.js';
import { security } from '../connectors/security/index.js';
import { deriveChange } from '../connectors/insights/derive/index.js';
import { onCompaniesChanged } from './changes.js';

/**
 * The app's composition: every connector, in dependency order (the registry first: it is the
 * spine). A new connector is its folder plus one line here.
 */
const list = [registry, jobcentre, crm, veu, coordination, insights, security] as const;
export const connectors: Connector<any>[] = [...list];
useConnectors(connectors);

// Each connector's loaders declared their type into Loaders (declaration merging): the list and the types agree.
type LoadersOf<C> = C extends Connector<infer L> ? L : never;
type ListedLoaders = { [C in (typeof list)[number] as [LoadersOf<C>] extends [never] ? never : C['name']]: LoadersOf<C> };
type Agree<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const loadersAgree: Agree<ListedLoaders, Omit<Loaders, 'syncedAt'>> = true;
void loadersAgree;

// Every transaction that changes company data derives the insights of those companies before it commits.
onCompaniesChanged(deriveChange);

/** The hub's own schemas first, then each connector's. */
export function migrationsOf(list: readonly Connector<any>[]): SchemaMigrations[] {
  return [
    {
      schema: 'ingest',
      migrations: { '0001_runs_and_rejects': ingest0001, '0002_run_owner': ingest0002, '0003_no_care_of_in_rejects': ingest0003 },
    },
    ...list.map((c) => ({ schema: c.name, migrations: c.migrations })),
    { schema: 'sync', migrations: { '0001_sync_state': sync0001 } },
  ];
}

export const allMigrations: SchemaMigrations[] = migrationsOf(connectors);

export const allSources: IngestSource<any>[] = connectors.flatMap((c) => c.sources);

export function sourceByName(name: string): IngestSource<any> | undefined {
  return allSources.find((s) => s.name === name);
}
