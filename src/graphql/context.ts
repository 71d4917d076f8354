import { randomUUID } from 'node:crypto';
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
import { AccessRecorder } from '../security/access.js';
import { LOCAL_DEVELOPER, type Principal } from '../security/principal.js';

export { LOCAL_DEVELOPER, type Principal } from '../security/principal.js';

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
  /** Who is asking; field scopes and write rules are checked against it. */
  principal: Principal;
  loaders: Loaders;
  /** SQL statements this request sent (tests assert batching with it). */
  statements: StatementCounter;
  /** Companies whose contact entries or personal names this request returned, for the access log. */
  access: AccessRecorder;
  /** The access log's own handle: outside `statements`, so the log never changes a request's count. */
  logDb: Db;
  /** Statements the access log sent for this request (at most one). */
  logStatements: StatementCounter;
  /** The client's operation name (behind a gateway: the name the client gave the gateway). */
  operationName: string | null;
  /** Id of the client request; behind a gateway the gateway's, so every subgraph's log row shares it. */
  requestId: string;
}

export interface RequestInfo {
  operationName?: string | null;
  requestId?: string;
}

/** A fresh context per request: its own DataLoaders (no cross-request caching) and statement counter. */
export function createContext(baseDb: Db, principal: Principal = LOCAL_DEVELOPER, request: RequestInfo = {}): Context {
  const statements = new StatementCounter();
  const logStatements = new StatementCounter();
  const db = baseDb.withPlugin(statements);
  return {
    db,
    principal,
    statements,
    access: new AccessRecorder(),
    logDb: baseDb.withPlugin(logStatements),
    logStatements,
    operationName: request.operationName ?? null,
    requestId: request.requestId ?? randomUUID(),
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
