import DataLoader from 'dataloader';
import type { Db } from '../db/database.js';
import { StatementCounter } from '../db/counting.js';
import { lastSyncedBySource } from '../ingest/runs.js';
import { registryLoaders } from '../../connectors/registry/loaders.js';
import { veuLoaders } from '../../connectors/veu/loaders.js';
import { crmLoaders } from '../../connectors/crm/loaders.js';
import { jobcentreLoaders } from '../../connectors/jobcentre/loaders.js';
import { coordinationLoaders } from '../../connectors/coordination/loaders.js';
import { insightsLoaders } from '../../connectors/insights/loaders.js';

/** Who is asking. The security issue fills this from a token; in development it is the local developer. */
export interface Principal {
  id: string;
  scopes: string[];
}

export const LOCAL_DEVELOPER: Principal = { id: 'local-developer', scopes: ['*'] };

export interface Loaders {
  registry: ReturnType<typeof registryLoaders>;
  veu: ReturnType<typeof veuLoaders>;
  crm: ReturnType<typeof crmLoaders>;
  jobcentre: ReturnType<typeof jobcentreLoaders>;
  coordination: ReturnType<typeof coordinationLoaders>;
  insights: ReturnType<typeof insightsLoaders>;
  /** When a source last synced, by source name (provenance). */
  syncedAt: DataLoader<string, Date | null>;
}

export interface Context {
  db: Db;
  principal: Principal;
  loaders: Loaders;
  /** SQL statements this request sent (tests assert batching with it). */
  statements: StatementCounter;
}

/** A fresh context per request: its own DataLoaders (no cross-request caching) and statement counter. */
export function createContext(baseDb: Db, principal: Principal = LOCAL_DEVELOPER): Context {
  const statements = new StatementCounter();
  const db = baseDb.withPlugin(statements);
  return {
    db,
    principal,
    statements,
    loaders: {
      registry: registryLoaders(db),
      veu: veuLoaders(db),
      crm: crmLoaders(db),
      jobcentre: jobcentreLoaders(db),
      coordination: coordinationLoaders(db),
      insights: insightsLoaders(db),
      syncedAt: new DataLoader(async (sources) => {
        const map = await lastSyncedBySource(db, sources);
        return sources.map((s) => map.get(s) ?? null);
      }),
    },
  };
}
