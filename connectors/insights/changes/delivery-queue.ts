import { CompiledQuery } from 'kysely';
import type { PgBoss } from 'pg-boss';
import type { Db } from '../../../src/db/database.js';
import { bossQueueDepths } from '../../../src/sync/worker.js';
import { logger } from '../../../src/logger.js';
import { attemptDelivery, makeDeliveries, MAX_ATTEMPTS, pendingDeliveries, type AttemptOutcome } from './webhooks.js';

/** The pg-boss queue of webhook deliveries: one job per delivery, retried by pg-boss with backoff. */
export const WEBHOOK_QUEUE = 'indgang-webhook-delivery';

/** Backoff between attempts of one delivery: delaySeconds × 2^(attempt−1), at most maxDelaySeconds (30 s, 1, 2, 4 min by default). */
export interface RetryPolicy {
  delaySeconds: number;
  maxDelaySeconds: number;
}
export const DEFAULT_RETRY: RetryPolicy = { delaySeconds: 30, maxDelaySeconds: 3600 };

export interface WebhookQueue {
  kind: 'pg-boss' | 'in-process';
  /** Makes the next batch of every subscription that has none pending and queues it; returns the deliveries made. */
  step(): Promise<string[]>;
  /** Deliveries waiting (queued or waiting for a retry), for indgang_queue_depth. */
  depth(): Promise<Record<string, number>>;
  stop(): Promise<void>;
}

function log(id: string, r: AttemptOutcome): void {
  if (r.outcome === 'failed')
    logger.warn({ delivery: id, attempts: r.attempts, error: r.error }, 'webhook delivery failed; subscription disabled');
  else if (r.outcome === 'retry')
    logger.info({ delivery: id, attempts: r.attempts, error: r.error }, 'webhook delivery failed; retried with backoff');
}

/**
 * Deliveries as pg-boss jobs on the hub's Postgres: a batch's job is inserted in the transaction that
 * makes the batch (pg-boss's `db` option), so neither exists without the other; a failed POST throws, and
 * pg-boss retries the job with exponential backoff (retryLimit = MAX_ATTEMPTS − 1). Several workers never
 * take the same job. The delivery row stays the record `webhookDeliveries` shows.
 */
export async function startBossDeliveries(
  db: Db,
  boss: PgBoss,
  opts: { retry?: RetryPolicy; pollingIntervalSeconds?: number; timeoutMs?: number; schema?: string } = {},
): Promise<WebhookQueue> {
  const retry = opts.retry ?? DEFAULT_RETRY;
  const queue = { retryLimit: MAX_ATTEMPTS - 1, retryDelay: retry.delaySeconds, retryBackoff: true, retryDelayMax: retry.maxDelaySeconds };
  if (await boss.getQueue(WEBHOOK_QUEUE)) await boss.updateQueue(WEBHOOK_QUEUE, queue);
  else await boss.createQueue(WEBHOOK_QUEUE, queue);
  const workerId = await boss.work<{ delivery: string }>(
    WEBHOOK_QUEUE,
    { pollingIntervalSeconds: opts.pollingIntervalSeconds ?? 2 },
    async ([job]) => {
      const id = job!.data.delivery;
      const r = await attemptDelivery(db, id, { timeoutMs: opts.timeoutMs });
      log(id, r);
      // Thrown, the job is retried by pg-boss after its backoff.
      if (r.outcome === 'retry') throw new Error(`delivery ${id}: ${r.error}`);
      return r;
    },
  );
  return {
    kind: 'pg-boss',
    step: () =>
      makeDeliveries(db, (tx, id) =>
        boss.send(
          WEBHOOK_QUEUE,
          { delivery: id },
          { db: { executeSql: (text: string, values?: unknown[]) => tx.executeQuery(CompiledQuery.raw(text, values ?? [])) as never } },
        ),
      ),
    depth: () => bossQueueDepths(db, opts.schema ?? 'pgboss', [WEBHOOK_QUEUE]),
    stop: () => boss.offWork(WEBHOOK_QUEUE, { id: workerId }),
  };
}

/**
 * The embedded database has no pg-boss: the same work in this process. Each delivery is tried, and after a
 * failure tried again after the same backoff; deliveries still pending at start (a restart) are picked up again.
 */
export function startInProcessDeliveries(db: Db, opts: { retry?: RetryPolicy; timeoutMs?: number } = {}): WebhookQueue {
  const retry = opts.retry ?? DEFAULT_RETRY;
  const timers = new Set<NodeJS.Timeout>();
  const running = new Set<Promise<void>>();
  const queued = new Set<string>();
  let stopped = false;
  const attempt = (id: string): void => {
    const p = attemptDelivery(db, id, { timeoutMs: opts.timeoutMs })
      .then((r) => {
        log(id, r);
        if (r.outcome === 'retry' && !stopped)
          later(id, Math.min(retry.maxDelaySeconds, retry.delaySeconds * 2 ** (r.attempts - 1)) * 1000);
        else queued.delete(id);
      })
      .catch((e: Error) => {
        queued.delete(id);
        logger.error({ err: e, delivery: id }, 'webhook delivery attempt failed');
      })
      .finally(() => running.delete(p));
    running.add(p);
  };
  const later = (id: string, ms: number): void => {
    const t = setTimeout(() => {
      timers.delete(t);
      if (!stopped) attempt(id);
    }, ms);
    t.unref();
    timers.add(t);
  };
  const enqueue = (id: string) => {
    if (stopped || queued.has(id)) return;
    queued.add(id);
    attempt(id);
  };
  const recovered = pendingDeliveries(db)
    .then((ids) => ids.forEach(enqueue))
    .catch((e: Error) => logger.error({ err: e }, 'could not pick up pending webhook deliveries'));
  return {
    kind: 'in-process',
    async step() {
      await recovered;
      const ids = await makeDeliveries(db, async () => {});
      ids.forEach(enqueue);
      return ids;
    },
    // An attempt starts at once; what waits is a failed delivery's retry.
    depth: async () => ({ [WEBHOOK_QUEUE]: timers.size }),
    async stop() {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      await recovered;
      while (running.size > 0) await Promise.allSettled([...running]);
    },
  };
}
