import { Cron } from 'croner';
import { sql } from 'kysely';
import type { PgBoss } from 'pg-boss';
import type { Db } from '../db/database.js';
import { logger } from '../logger.js';
import { nextRun, type SyncConfig } from './config.js';
import { runSync, type SyncResult } from './run.js';
import { setNextRun } from './state.js';

/** A sync run's queue: one per sync, so each keeps its own schedule and retry policy. */
export const queueOf = (name: string) => `indgang-sync-${name}`;

/** Retries of a whole failed sync run by the queue (besides the HTTP retries inside a run). */
export const RUN_RETRIES = 3;
export const RUN_RETRY_DELAY_SECONDS = 30;

export interface SyncWorker {
  kind: 'pg-boss' | 'in-process';
  /** Queues a run now; resolves with the job id (pg-boss) or the run's result (in-process). */
  enqueue(name: string): Promise<string | SyncResult>;
  /** Jobs waiting per queue (queued or waiting for a retry), for indgang_queue_depth. */
  depth(): Promise<Record<string, number>>;
  stop(): Promise<void>;
}

/** Jobs waiting (created, or failed and waiting for their retry) in pg-boss queues, read from its job table in the hub's database. */
export async function bossQueueDepths(db: Db, schema: string, queues: readonly string[]): Promise<Record<string, number>> {
  const depths: Record<string, number> = Object.fromEntries(queues.map((q) => [q, 0]));
  const r = await sql<{ name: string; n: number }>`
    SELECT name, count(*)::int AS n FROM ${sql.id(schema, 'job')} WHERE name = ANY(${[...queues]}::text[]) AND state IN ('created', 'retry') GROUP BY name`.execute(
    db,
  );
  for (const row of r.rows) depths[row.name] = Number(row.n);
  return depths;
}

/** A pg-boss instance on the hub's Postgres (schema pgboss), with a queue per sync. */
export async function openBoss(
  databaseUrl: string,
  syncs: readonly SyncConfig[],
  opts: { schedule?: boolean; schema?: string } = {},
): Promise<PgBoss> {
  // Loaded here, not with the module: a server on the embedded database never needs it (0.08-0.12 s of a start).
  const { PgBoss: Boss } = await import('pg-boss');
  const boss = new Boss({
    connectionString: databaseUrl,
    schema: opts.schema ?? 'pgboss',
    schedule: opts.schedule ?? false,
    supervise: opts.schedule ?? false,
  });
  boss.on('error', (e) => logger.error({ err: e }, 'job queue error'));
  await boss.start();
  await createSyncQueues(boss, syncs);
  return boss;
}

async function createSyncQueues(boss: PgBoss, syncs: readonly SyncConfig[]): Promise<void> {
  for (const s of syncs) {
    if (!(await boss.getQueue(queueOf(s.name)))) {
      await boss.createQueue(queueOf(s.name), { retryLimit: RUN_RETRIES, retryDelay: RUN_RETRY_DELAY_SECONDS, retryBackoff: true });
    }
  }
}

/**
 * The worker on real Postgres: pg-boss fetches each job with FOR UPDATE SKIP LOCKED, so several
 * workers on one database never run the same job twice; a failed run is retried with backoff.
 * With `schedule`, the syncs' cron schedules are kept in pg-boss too (one timekeeper fires them).
 */
export async function startQueueWorker(
  db: Db,
  databaseUrl: string,
  syncs: readonly SyncConfig[],
  opts: { schedule?: boolean; pollingIntervalSeconds?: number; env?: NodeJS.ProcessEnv; schema?: string; boss?: PgBoss } = {},
): Promise<SyncWorker> {
  // A boss passed in (shared with the webhook deliveries) is started and stopped by its owner.
  const owned = !opts.boss;
  const boss = opts.boss ?? (await openBoss(databaseUrl, syncs, { schedule: opts.schedule ?? true, schema: opts.schema }));
  if (!owned) await createSyncQueues(boss, syncs);
  for (const s of syncs) {
    await boss.work<object>(queueOf(s.name), { pollingIntervalSeconds: opts.pollingIntervalSeconds ?? 2 }, async () => {
      const r = await runSync(db, s, opts.env);
      logger.info({ sync: s.name, status: r.status, runs: r.runs.length, error: r.error }, 'sync run');
      if (s.schedule) await setNextRun(db, s.name, s.source, nextRun(s.schedule));
      if (r.status === 'failed') throw new Error(r.error);
      return { cursor: r.cursor };
    });
    if ((opts.schedule ?? true) && s.schedule) {
      await boss.schedule(queueOf(s.name), s.schedule, {}, { tz: 'UTC' });
      await setNextRun(db, s.name, s.source, nextRun(s.schedule));
    }
  }
  return {
    kind: 'pg-boss',
    enqueue: async (name) => (await boss.send(queueOf(name), {})) ?? '',
    depth: () =>
      bossQueueDepths(
        db,
        opts.schema ?? 'pgboss',
        syncs.map((s) => queueOf(s.name)),
      ),
    stop: async () => {
      if (owned) await boss.stop({ graceful: true, timeout: 30_000 });
      else for (const s of syncs) await boss.offWork(queueOf(s.name));
    },
  };
}

/**
 * The embedded database (PGlite) has one connection and no pg-boss: an in-process runner does the same
 * work, one run per sync at a time (croner's protect), retrying a failed run with backoff.
 */
export function startInProcessWorker(
  db: Db,
  syncs: readonly SyncConfig[],
  opts: { schedule?: boolean; retryDelayMs?: number; env?: NodeJS.ProcessEnv } = {},
): SyncWorker {
  const running = new Map<string, Promise<SyncResult>>();
  const timers = new Set<NodeJS.Timeout>();
  const waiting = new Set<string>();
  let stopped = false;
  const byName = new Map(syncs.map((s) => [s.name, s]));
  const runWithRetries = async (s: SyncConfig): Promise<SyncResult> => {
    let r = await runSync(db, s, opts.env);
    for (let i = 0; r.status === 'failed' && i < RUN_RETRIES && !stopped; i++) {
      waiting.add(s.name);
      await new Promise<void>((res) => {
        const t = setTimeout(
          () => {
            timers.delete(t);
            res();
          },
          (opts.retryDelayMs ?? RUN_RETRY_DELAY_SECONDS * 1000) * 2 ** i,
        );
        timers.add(t);
      });
      waiting.delete(s.name);
      if (stopped) break;
      r = await runSync(db, s, opts.env);
    }
    if (s.schedule) await setNextRun(db, s.name, s.source, nextRun(s.schedule));
    logger.info({ sync: s.name, status: r.status, runs: r.runs.length, error: r.error }, 'sync run');
    return r;
  };
  const enqueue = (name: string): Promise<SyncResult> => {
    const s = byName.get(name);
    if (!s) return Promise.reject(new Error(`no sync named ${name}`));
    // A run already under way for this sync is joined, not started twice.
    const current = running.get(name);
    if (current) return current;
    const p = runWithRetries(s).finally(() => running.delete(name));
    running.set(name, p);
    return p;
  };
  const crons =
    (opts.schedule ?? true)
      ? syncs
          .filter((s) => s.schedule)
          .map((s) => {
            void setNextRun(db, s.name, s.source, nextRun(s.schedule)).catch(() => {});
            return new Cron(s.schedule!, { timezone: 'UTC', protect: true }, () => enqueue(s.name).then(() => undefined));
          })
      : [];
  return {
    kind: 'in-process',
    enqueue,
    // A run starts at once; what waits is a failed run's retry.
    depth: async () => Object.fromEntries(syncs.map((s) => [queueOf(s.name), waiting.has(s.name) ? 1 : 0])),
    async stop() {
      stopped = true;
      for (const c of crons) c.stop();
      for (const t of timers) clearTimeout(t);
      await Promise.allSettled(running.values());
    },
  };
}
