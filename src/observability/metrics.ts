import client from 'prom-client';
import type pg from 'pg';

/**
 * The hub's Prometheus metrics, served on GET /metrics. One registry per process: the request
 * histogram and error counter (by operation and error code), the database pool, and ingest rows and
 * rejects by source, plus Node's default process metrics.
 */
export const registry = new client.Registry();
client.collectDefaultMetrics({ register: registry, prefix: 'indgang_' });

export const requestDuration = new client.Histogram({
  name: 'indgang_graphql_request_duration_seconds',
  help: 'GraphQL requests, from the start of parsing to the response, by operation name ("anonymous" when unnamed) and outcome',
  labelNames: ['operation', 'outcome'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

export const graphqlErrors = new client.Counter({
  name: 'indgang_graphql_errors_total',
  help: 'GraphQL errors sent to clients, by extensions.code (e.g. BAD_USER_INPUT, FORBIDDEN, INTERNAL_SERVER_ERROR)',
  labelNames: ['code'] as const,
  registers: [registry],
});

export const ingestRows = new client.Counter({
  name: 'indgang_ingest_rows_total',
  help: 'Records read by ingest runs, by source and outcome (inserted, updated, unchanged, rejected)',
  labelNames: ['source', 'outcome'] as const,
  registers: [registry],
});

export const ingestRejects = new client.Counter({
  name: 'indgang_ingest_rejects_total',
  help: 'Records an ingest run rejected (see indgang rejects), by source',
  labelNames: ['source'] as const,
  registers: [registry],
});

export const ingestRuns = new client.Counter({
  name: 'indgang_ingest_runs_total',
  help: 'Ingest runs by source and status (succeeded, failed)',
  labelNames: ['source', 'status'] as const,
  registers: [registry],
});

const pools = new Set<pg.Pool>();

/** Postgres pool usage (real Postgres only; the embedded database has a single connection). */
export function watchPool(pool: pg.Pool): void {
  pools.add(pool);
}
export function unwatchPool(pool: pg.Pool): void {
  pools.delete(pool);
}
const sum = (f: (p: pg.Pool) => number) => [...pools].reduce((n, p) => n + f(p), 0);
new client.Gauge({
  name: 'indgang_db_pool_connections',
  help: 'Postgres pool connections by state: total, idle, waiting (requests queued for a connection)',
  labelNames: ['state'] as const,
  registers: [registry],
  collect() {
    this.set(
      { state: 'total' },
      sum((p) => p.totalCount),
    );
    this.set(
      { state: 'idle' },
      sum((p) => p.idleCount),
    );
    this.set(
      { state: 'waiting' },
      sum((p) => p.waitingCount),
    );
  },
});
new client.Gauge({
  name: 'indgang_db_pool_max',
  help: 'The most connections the Postgres pools may open',
  registers: [registry],
  collect() {
    this.set(sum((p) => p.options.max ?? 10));
  },
});

export interface IngestOutcome {
  source: string;
  status: 'succeeded' | 'failed';
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
}

export function recordIngest(s: IngestOutcome): void {
  ingestRuns.inc({ source: s.source, status: s.status });
  for (const outcome of ['inserted', 'updated', 'unchanged', 'rejected'] as const)
    ingestRows.inc({ source: s.source, outcome }, s[outcome]);
  ingestRejects.inc({ source: s.source }, s.rejected);
}

/** Reads of a gauge's current values by label, registered by what owns them (a job queue, the sync state). */
export type Readings = () => Promise<Record<string, number>> | Record<string, number>;

function readingsGauge(name: string, help: string, label: string) {
  const sources = new Set<Readings>();
  new client.Gauge({
    name,
    help,
    labelNames: [label],
    registers: [registry],
    async collect() {
      this.reset();
      for (const read of sources) {
        for (const [key, value] of Object.entries(await read())) this.set({ [label]: key }, value);
      }
    },
  });
  /** Adds a source of readings; returns its removal. */
  return (read: Readings) => {
    sources.add(read);
    return () => void sources.delete(read);
  };
}

/** Jobs waiting in each queue (queued or waiting for a retry, not yet running): pg-boss on Postgres, the in-process runners on PGlite. */
export const watchQueueDepth = readingsGauge(
  'indgang_queue_depth',
  'Jobs waiting in each job queue (queued or waiting for a retry, not running): sync runs (indgang-sync-<name>) and webhook deliveries (indgang-webhook-delivery)',
  'queue',
);

/** Seconds since each configured sync last succeeded (absent until it first succeeds). */
export const watchSyncLag = readingsGauge(
  'indgang_sync_lag_seconds',
  'Seconds since each configured sync last succeeded; absent for a sync that never has',
  'sync',
);
