import { sql, type Selectable } from 'kysely';
import type { Db } from '../db/database.js';
import type { SyncStateTable } from './tables.js';

export interface SyncState {
  name: string;
  source: string;
  cursor: string | null;
  lastRunId: number | null;
  lastStartedAt: Date | null;
  lastSucceededAt: Date | null;
  lastFailedAt: Date | null;
  lastError: string | null;
  nextRunAt: Date | null;
}

const toState = (r: Selectable<SyncStateTable>): SyncState => ({
  name: r.name,
  source: r.source,
  cursor: r.cursor,
  lastRunId: r.last_run_id,
  lastStartedAt: r.last_started_at,
  lastSucceededAt: r.last_succeeded_at,
  lastFailedAt: r.last_failed_at,
  lastError: r.last_error,
  nextRunAt: r.next_run_at,
});

const now = sql<Date>`now()`;

export async function allStates(db: Db): Promise<SyncState[]> {
  return (await db.selectFrom('sync.state').selectAll().orderBy('name').execute()).map(toState);
}

export async function stateOf(db: Db, name: string): Promise<SyncState | null> {
  const r = await db.selectFrom('sync.state').selectAll().where('name', '=', name).executeTakeFirst();
  return r ? toState(r) : null;
}

export async function markStarted(db: Db, name: string, source: string): Promise<void> {
  await db
    .insertInto('sync.state')
    .values({ name, source, last_started_at: now })
    .onConflict((oc) => oc.column('name').doUpdateSet((eb) => ({ source: eb.ref('excluded.source'), last_started_at: now })))
    .execute();
}

/** The checkpoint: run inside the run's own transaction (the ingest pipeline's beforeCommit), so cursor and rows commit together. */
export async function saveCheckpoint(tx: Db, name: string, source: string, cursor: string | null, runId: number | null): Promise<void> {
  await tx
    .insertInto('sync.state')
    .values({ name, source, cursor, last_run_id: runId, last_succeeded_at: now })
    .onConflict((oc) =>
      oc.column('name').doUpdateSet((eb) => ({
        cursor: eb.ref('excluded.cursor'),
        last_run_id: eb.fn.coalesce('excluded.last_run_id', 'sync.state.last_run_id'),
        last_succeeded_at: now,
        last_error: null,
      })),
    )
    .execute();
}

export async function markFailed(db: Db, name: string, source: string, error: string): Promise<void> {
  await db
    .insertInto('sync.state')
    .values({ name, source, last_failed_at: now, last_error: error })
    .onConflict((oc) => oc.column('name').doUpdateSet((eb) => ({ last_failed_at: now, last_error: eb.ref('excluded.last_error') })))
    .execute();
}

export async function setNextRun(db: Db, name: string, source: string, at: Date | null): Promise<void> {
  await db
    .insertInto('sync.state')
    .values({ name, source, next_run_at: at })
    .onConflict((oc) => oc.column('name').doUpdateSet((eb) => ({ next_run_at: eb.ref('excluded.next_run_at') })))
    .execute();
}
