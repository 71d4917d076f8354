import { sql } from 'kysely';
import type { Db } from '../db/database.js';

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

const toState = (r: any): SyncState => ({
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

export async function allStates(db: Db): Promise<SyncState[]> {
  const r = await sql`SELECT * FROM sync.state ORDER BY name`.execute(db);
  return r.rows.map(toState);
}

export async function stateOf(db: Db, name: string): Promise<SyncState | null> {
  const r = await sql`SELECT * FROM sync.state WHERE name = ${name}`.execute(db);
  return r.rows[0] ? toState(r.rows[0]) : null;
}

export async function markStarted(db: Db, name: string, source: string): Promise<void> {
  await sql`
    INSERT INTO sync.state (name, source, last_started_at) VALUES (${name}, ${source}, now())
    ON CONFLICT (name) DO UPDATE SET source = excluded.source, last_started_at = now()`.execute(db);
}

/** The checkpoint: run inside the run's own transaction (the ingest pipeline's beforeCommit), so cursor and rows commit together. */
export async function saveCheckpoint(tx: Db, name: string, source: string, cursor: string | null, runId: number | null): Promise<void> {
  await sql`
    INSERT INTO sync.state (name, source, cursor, last_run_id, last_succeeded_at) VALUES (${name}, ${source}, ${cursor}, ${runId}, now())
    ON CONFLICT (name) DO UPDATE SET cursor = excluded.cursor, last_run_id = coalesce(excluded.last_run_id, sync.state.last_run_id),
      last_succeeded_at = now(), last_error = NULL`.execute(tx);
}

export async function markFailed(db: Db, name: string, source: string, error: string): Promise<void> {
  await sql`
    INSERT INTO sync.state (name, source, last_failed_at, last_error) VALUES (${name}, ${source}, now(), ${error})
    ON CONFLICT (name) DO UPDATE SET last_failed_at = now(), last_error = excluded.last_error`.execute(db);
}

export async function setNextRun(db: Db, name: string, source: string, at: Date | null): Promise<void> {
  await sql`
    INSERT INTO sync.state (name, source, next_run_at) VALUES (${name}, ${source}, ${at})
    ON CONFLICT (name) DO UPDATE SET next_run_at = excluded.next_run_at`.execute(db);
}
