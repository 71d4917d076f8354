import { randomUUID } from 'node:crypto';
import DataLoader from 'dataloader';
import type { Db } from '../db/database.js';
import { StatementCounter } from '../db/counting.js';
import { lastSyncedBySource } from '../ingest/runs.js';
import { activeConnectors } from '../connector.js';
import { today } from '../today.js';
import { AccessRecorder } from '../security/access.js';
import { LOCAL_DEVELOPER, type Principal } from '../security/principal.js';

export { LOCAL_DEVELOPER, type Principal } from '../security/principal.js';

/**
 * Per-request DataLoaders: the hub's own, plus one set per connector under its name. Each connector
 * adds its set's type here by declaration merging in its loaders.ts (`declare module`), so this
 * file never imports connectors/; src/connectors.ts checks that the list and the types agree.
 */
export interface Loaders {
  /** When a source last synced, by source name (provenance). */
  syncedAt: DataLoader<string, Date | null>;
}

export interface Context {
  db: Db;
  /** The handle every request shares, without this request's statement counter: for work requests do together (group commit of writes). */
  sharedDb: Db;
  /** Who is asking; field scopes and write rules are checked against it. */
  principal: Principal;
  loaders: Loaders;
  /** The request's calendar day (yyyy-mm-dd, INDGANG_TODAY or the date at the request's start): one answer, one day. */
  today: string;
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
  const day = today();
  const loaders: Record<string, unknown> = {
    syncedAt: new DataLoader<string, Date | null>(async (sources) => {
      const map = await lastSyncedBySource(db, sources);
      return sources.map((s) => map.get(s) ?? null);
    }),
  };
  const active = activeConnectors();
  // Without the app's list every connector field would fail on a missing loader: say why instead.
  if (active.length === 0)
    throw new Error('no connectors are active: import src/connectors.ts (the app composes the hub) before creating a request context');
  // Made when a resolver first asks for them: most operations read two or three connectors, and a set is
  // a few dozen DataLoaders.
  for (const c of active) {
    const make = c.loaders;
    if (!make) continue;
    Object.defineProperty(loaders, c.name, {
      configurable: true,
      enumerable: true,
      get() {
        const made = make(db, { today: day });
        Object.defineProperty(loaders, c.name, { value: made, enumerable: true });
        return made;
      },
    });
  }
  return {
    db,
    sharedDb: baseDb,
    principal,
    statements,
    access: new AccessRecorder(),
    logDb: baseDb.withPlugin(logStatements),
    logStatements,
    operationName: request.operationName ?? null,
    requestId: request.requestId ?? randomUUID(),
    loaders: loaders as unknown as Loaders,
    today: day,
  };
}
