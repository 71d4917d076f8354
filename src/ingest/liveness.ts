import fs from 'node:fs';
import os from 'node:os';
import { sql, type SqlBool } from 'kysely';
import { z } from 'zod';
import type { Db } from '../db/database.js';
import { logger } from '../logger.js';

/**
 * Telling a dead ingest from a running one. On Postgres the owner holds a session-level advisory lock
 * keyed by the run id on a connection of its own for the whole run: when the process dies, its connection
 * goes and Postgres drops the lock, so any reader that can take the lock knows the owner is gone. The
 * embedded database has one session (a lock would always be "ours"), so there the run records its host,
 * process id and process start time, and a reader on the same host checks whether that process still lives.
 */

/** First key of the two-key advisory lock: the runs' own namespace (hashtext of a fixed name). */
const LOCK_NAMESPACE = sql<number>`hashtext('indgang.ingest.run')`;

export const ABANDONED_ERROR = 'the process running it stopped before it finished (killed or crashed); nothing of it was committed';

/** The embedded database (PGlite) reports a version compiled by emscripten. */
export async function isEmbedded(db: Db): Promise<boolean> {
  const { v } = await db.selectNoFrom(sql<string>`version()`.as('v')).executeTakeFirstOrThrow();
  return /emscripten|wasm/i.test(v);
}

/** When a process started, in clock ticks since boot (Linux); '' where /proc is not there. */
export function processStarted(pid: number | 'self'): string {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22 (starttime); fields after the ")" of the command name, which may itself hold spaces.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? '';
  } catch {
    return '';
  }
}

function processAlive(pid: number, started: string | null): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    // EPERM: it exists, under another user.
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  // A process id reused by a later process is not the owner.
  return !started || processStarted(pid) === '' || processStarted(pid) === started;
}

const ownedRow = z.object({ id: z.number(), started_at: z.date() });

export interface OwnedRun {
  id: number;
  startedAt: Date;
  /** The connection holding the run's lock (Postgres), for the run's own transaction: a run takes one pooled connection, not two. */
  db?: Db;
  /** Releases what keeps the run "alive" (the lock's connection); call after its last write. */
  release(): Promise<void>;
}

/**
 * Inserts a run row owned by this process. On Postgres the row is inserted and the lock taken in one
 * statement on a reserved connection, so no reader ever sees the row without its lock.
 */
export async function insertOwnedRun(db: Db, source: string, file: string): Promise<OwnedRun> {
  const owner = { owner_host: os.hostname(), owner_pid: process.pid, owner_started: processStarted('self') };
  if (await isEmbedded(db)) {
    const row = await db
      .insertInto('ingest.run')
      .values({ source, file, owner_lock: 'pid', ...owner })
      .returning(['id', 'started_at'])
      .executeTakeFirstOrThrow();
    return { id: row.id, startedAt: row.started_at, release: async () => {} };
  }
  let started!: (row: { id: number; started_at: Date }) => void;
  let failed!: (e: unknown) => void;
  const inserted = new Promise<{ id: number; started_at: Date }>((resolve, reject) => ((started = resolve), (failed = reject)));
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  let held: Db | undefined;
  const holder = db
    .connection()
    .execute(async (conn) => {
      held = conn;
      // Raw: the insert and the lock must be one statement (a CTE); its row is checked here.
      const { rows } = await sql<unknown>`
        WITH r AS (
          INSERT INTO ingest.run (source, file, owner_lock, owner_host, owner_pid, owner_started)
          VALUES (${source}, ${file}, 'advisory', ${owner.owner_host}, ${owner.owner_pid}, ${owner.owner_started})
          RETURNING id, started_at)
        SELECT id, started_at, pg_advisory_lock(${LOCK_NAMESPACE}, id) FROM r`.execute(conn);
      const row = ownedRow.parse(rows[0]);
      started(row);
      await finished;
      await sql`SELECT pg_advisory_unlock(${LOCK_NAMESPACE}, ${row.id})`.execute(conn);
    })
    .catch((e: unknown) => {
      failed(e);
      // Losing the lock's connection mid-run only means a reader may call the run abandoned early.
      logger.warn({ err: { message: (e as Error).message } }, 'ingest run lock connection failed');
    });
  const row = await inserted;
  return {
    id: row.id,
    startedAt: row.started_at,
    db: held,
    release: async () => {
      finish();
      await holder;
    },
  };
}

/**
 * Marks every `running` run whose owner is gone as `abandoned`: on Postgres those whose advisory lock a
 * transaction-level try-lock gets (released again when the statement's transaction ends), on the embedded
 * database those whose owner process on this host no longer lives. Returns how many it marked.
 */
export async function markAbandonedRuns(db: Db): Promise<number> {
  const running = await db
    .selectFrom('ingest.run')
    .select(['id', 'owner_lock', 'owner_host', 'owner_pid', 'owner_started'])
    .where('status', '=', 'running')
    .execute();
  if (running.length === 0) return 0;
  const dead: number[] = [];
  const locked: number[] = [];
  const host = os.hostname();
  for (const r of running) {
    if (r.owner_lock === 'advisory') locked.push(r.id);
    else if (r.owner_lock === 'pid' && r.owner_host === host && r.owner_pid !== null && !processAlive(r.owner_pid, r.owner_started))
      dead.push(r.id);
  }
  let marked = 0;
  if (dead.length) {
    const res = await db
      .updateTable('ingest.run')
      .set({ status: 'abandoned', finished_at: sql<Date>`clock_timestamp()`, error: ABANDONED_ERROR })
      .where('id', 'in', dead)
      .where('status', '=', 'running')
      .executeTakeFirst();
    marked += Number(res.numUpdatedRows);
  }
  if (locked.length && !(await isEmbedded(db))) {
    // The try-lock is the last condition, after the subquery that picks the running rows, as before.
    const res = await db
      .updateTable('ingest.run')
      .set({ status: 'abandoned', finished_at: sql<Date>`clock_timestamp()`, error: ABANDONED_ERROR })
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('ingest.run')
          .select('id')
          .where('status', '=', 'running')
          .where('id', '=', sql<number>`any(${locked}::int[])`),
      )
      .where(({ ref }) => sql<SqlBool>`pg_try_advisory_xact_lock(${LOCK_NAMESPACE}, ${ref('id')})`)
      .executeTakeFirst();
    marked += Number(res.numUpdatedRows);
  }
  return marked;
}
