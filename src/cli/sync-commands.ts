import { allSources } from '../connectors.js';
import type { Db } from '../db/database.js';
import { logger } from '../logger.js';
import { watchQueueDepth } from '../observability/metrics.js';
import { loadSyncConfig, type SyncConfig } from '../sync/config.js';
import { runSync } from '../sync/run.js';
import { formatStatuses, syncStatuses } from '../sync/status.js';
import { openBoss, queueOf, startInProcessWorker, startQueueWorker } from '../sync/worker.js';
import { startBossDeliveries, startInProcessDeliveries, type WebhookQueue } from '../../connectors/insights/changes/delivery-queue.js';

const sourceNames = () => allSources.map((s) => s.name);

/** The checked sync configuration, or the list of what is wrong (printed; exit code 2). */
export function syncConfigOrErrors(): { syncs: SyncConfig[] } | { errors: string[]; path: string } {
  const r = loadSyncConfig(sourceNames());
  return r.ok ? { syncs: r.syncs } : { errors: r.errors, path: r.path };
}

function report(errors: string[], path: string): number {
  console.error(`indgang: the sync configuration ${path} is wrong:\n${errors.map((e) => `  ${e}`).join('\n')}`);
  return 2;
}

export async function syncList(db: Db, opts: { json?: boolean }): Promise<number> {
  const c = syncConfigOrErrors();
  if ('errors' in c) return report(c.errors, c.path);
  const list = await syncStatuses(db, c.syncs);
  console.log(opts.json ? JSON.stringify(list, null, 2) : formatStatuses(list));
  return list.some((s) => s.lastFailedAt && (!s.lastSucceededAt || s.lastFailedAt > s.lastSucceededAt)) ? 1 : 0;
}

/** `sync run <name>`: queued on Postgres (a worker runs it), run here on the embedded database or with --here. */
export async function syncRun(db: Db, name: string, opts: { databaseUrl?: string; here?: boolean }): Promise<number> {
  const c = syncConfigOrErrors();
  if ('errors' in c) return report(c.errors, c.path);
  const sync = c.syncs.find((s) => s.name === name);
  if (!sync) {
    console.error(`indgang: no sync named "${name}"; configured: ${c.syncs.map((s) => s.name).join(', ') || 'none'}`);
    return 2;
  }
  if (opts.databaseUrl && !opts.here) {
    const boss = await openBoss(opts.databaseUrl, [sync]);
    try {
      const id = await boss.send(queueOf(name), {});
      console.log(`queued ${name} as job ${id} (queue ${queueOf(name)}); a worker runs it — see indgang sync status`);
    } finally {
      await boss.stop({ graceful: false });
    }
    return 0;
  }
  const r = await runSync(db, sync);
  for (const run of r.runs)
    console.log(
      `run ${run.runId} ${run.status}: read=${run.read} inserted=${run.inserted} updated=${run.updated} unchanged=${run.unchanged} rejected=${run.rejected}  ${run.file}`,
    );
  console.log(
    r.status === 'succeeded' ? `${name}: succeeded in ${r.seconds.toFixed(1)} s, cursor ${r.cursor ?? '-'}` : `${name}: failed: ${r.error}`,
  );
  return r.status === 'succeeded' ? 0 : 1;
}

/**
 * The scheduler and worker of `serve` and `indgang worker`: pg-boss on Postgres (one instance for the sync
 * runs and the webhook deliveries), the in-process runners on the embedded database. A wrong sync
 * configuration is logged, naming sync and field, and no sync runs; webhooks are still delivered and the
 * server keeps serving.
 */
export async function startSyncWorker(db: Db, databaseUrl: string | undefined): Promise<{ stop(): Promise<void> } | null> {
  const c = syncConfigOrErrors();
  if ('errors' in c) logger.error({ config: c.path, errors: c.errors }, 'sync configuration is wrong; no syncs will run');
  const syncs = 'errors' in c ? [] : c.syncs;
  const boss = databaseUrl ? await openBoss(databaseUrl, [], { schedule: true }) : null;
  const deliveries = boss ? await startBossDeliveries(db, boss) : startInProcessDeliveries(db);
  const webhooks = keepWebhooksDelivered(deliveries);
  const worker =
    syncs.length === 0 ? null : boss ? await startQueueWorker(db, databaseUrl!, syncs, { boss }) : startInProcessWorker(db, syncs);
  if (worker) logger.info({ syncs: syncs.map((s) => s.name), worker: worker.kind }, 'sync worker started');
  const unwatch = watchQueueDepth(async () => ({ ...(await deliveries.depth()), ...(await worker?.depth()) }));
  return {
    async stop() {
      unwatch();
      await webhooks.stop();
      await deliveries.stop();
      await worker?.stop();
      await boss?.stop({ graceful: true, timeout: 30_000 });
    },
  };
}

/** Webhook batches are made every few seconds and queued; the queue POSTs them and retries failures with backoff. */
function keepWebhooksDelivered(
  queue: WebhookQueue,
  everyMs = Number(process.env.INDGANG_WEBHOOK_INTERVAL_MS || 5000),
): { stop(): Promise<void> } {
  let busy: Promise<unknown> | null = null;
  const timer = setInterval(() => {
    if (busy) return;
    busy = queue
      .step()
      .catch((e: Error) => logger.error({ err: e }, 'making webhook batches failed'))
      .finally(() => {
        busy = null;
      });
  }, everyMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await busy;
    },
  };
}
