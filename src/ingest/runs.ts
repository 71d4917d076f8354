import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import { insertOwnedRun, markAbandonedRuns, type OwnedRun } from './liveness.js';
import { rejectText } from './privacy.js';
import type { RunContext, SourceRecord } from './types.js';

const owned = new WeakMap<RunContext, OwnedRun>();

/**
 * Records a run as `running`, owned by this process (see liveness.ts: a reader can tell when the owner
 * died). Call endRun once its outcome (finishRun's commit or failRun) is written.
 */
export async function startRun(db: Db, source: string, file: string): Promise<RunContext> {
  const own = await insertOwnedRun(db, source, file);
  const run: RunContext = { id: own.id, source, file, startedAt: own.startedAt, notes: {} };
  owned.set(run, own);
  return run;
}

/** Where the run's transaction should run: the connection holding its lock when it has one, else `db`. */
export function runDb(run: RunContext, db: Db): Db {
  return owned.get(run)?.db ?? db;
}

/** Lets go of what marks the run's owner alive; after this a run still `running` reads as abandoned. */
export async function endRun(run: RunContext): Promise<void> {
  await owned.get(run)?.release();
  owned.delete(run);
}

export interface RunTotals {
  read: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
}

/** The run's checkpoint: written in the same transaction as its rows. */
export async function finishRun(db: Db, run: RunContext, totals: RunTotals): Promise<void> {
  await db
    .updateTable('ingest.run')
    .set({ ...totals, status: 'succeeded', finished_at: sql<Date>`clock_timestamp()`, notes: JSON.stringify(run.notes) })
    .where('id', '=', run.id)
    .execute();
}

export async function failRun(db: Db, run: RunContext, error: string): Promise<void> {
  await db
    .updateTable('ingest.run')
    .set({ status: 'failed', finished_at: sql<Date>`clock_timestamp()`, error })
    .where('id', '=', run.id)
    .execute();
}

export interface Reject {
  record: SourceRecord;
  reason: string;
}

export async function saveRejects(db: Db, run: RunContext, rejects: Reject[]): Promise<void> {
  if (rejects.length === 0) return;
  const rows = rejects.map((r) => ({ line: r.record.line, position: r.record.position, reason: r.reason, raw: rejectText(r.record) }));
  // A set-based insert (json_to_recordset): one parameter for any number of rejects.
  await sql`
    INSERT INTO ingest.reject (run_id, file, line, position, reason, raw)
    SELECT ${run.id}, ${run.file}, line, position, reason, raw
    FROM json_to_recordset(${JSON.stringify(rows)}::json) AS x(line int, position text, reason text, raw text)`.execute(db);
}

/** The newest runs; a `running` run whose process died reads (and is stored) as `abandoned`. */
export async function listRuns(db: Db, limit = 20) {
  await markAbandonedRuns(db);
  return db.selectFrom('ingest.run').selectAll().orderBy('id', 'desc').limit(limit).execute();
}

export async function listRejects(db: Db, runId: number | undefined, limit = 100) {
  let q = db.selectFrom('ingest.reject').selectAll().orderBy('id').limit(limit);
  if (runId !== undefined) q = q.where('run_id', '=', runId);
  return q.execute();
}

/** When each source last finished a successful run: the "syncedAt" of provenance. */
export async function lastSyncedBySource(db: Db, sources: readonly string[]): Promise<Map<string, Date>> {
  if (sources.length === 0) return new Map();
  const rows = await db
    .selectFrom('ingest.run')
    .select(['source', (eb) => eb.fn.max('finished_at').as('synced_at')])
    .where('status', '=', 'succeeded')
    .where('source', 'in', sources)
    .groupBy('source')
    .execute();
  return new Map(rows.filter((r) => r.synced_at).map((r) => [r.source, r.synced_at as Date]));
}
