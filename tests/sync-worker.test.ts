import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allSources } from '../src/connectors.js';
import type { DbHandle } from '../src/db/database.js';
import { parseSyncConfig, type SyncConfig } from '../src/sync/config.js';
import { stateOf } from '../src/sync/state.js';
import { startInProcessWorker, startQueueWorker, type SyncWorker } from '../src/sync/worker.js';
import { dbTargets, freshDatabase } from './helpers/db.js';
import { testCvr, vrv } from './helpers/cvr.js';
import { elasticsearch, fakeServer, type FakeServer } from './helpers/fake-servers.js';

const SOURCES = allSources.map((s) => s.name);
const docs = [1, 2, 3].map((n) => ({ Vrvirksomhed: vrv({ cvr: testCvr(600 + n), updated: `2026-05-0${n}T10:00:00.000+02:00` }) }));

/** `attempts`: HTTP requests per fetch within a run; with one, a single transient failure fails the run. */
function syncOf(url: string, attempts = 1): SyncConfig {
  const r = parseSyncConfig(
    {
      syncs: [
        {
          name: 'cvr',
          source: 'cvr',
          retry: { attempts, baseMs: 1, timeoutMs: 60_000 },
          fetch: { kind: 'es-scroll', url: `${url}/cvr-permanent/virksomhed`, cursorField: 'Vrvirksomhed.sidstOpdateret', pageSize: 2 },
        },
      ],
    },
    SOURCES,
    {},
  );
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.syncs[0]!;
}

// Bounded only so a lost job fails the test rather than hanging it: far beyond what a busy machine needs.
const until = async (check: () => Promise<boolean>, ms = 180_000) => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('timed out');
};

describe.each(dbTargets)('the in-process sync runner on $name', (target) => {
  let h: DbHandle;
  let es: FakeServer;
  beforeAll(async () => {
    h = await freshDatabase(target);
    es = await fakeServer(elasticsearch(() => docs, 'Vrvirksomhed.sidstOpdateret'));
  });
  afterAll(async () => {
    await es?.close();
    await h?.close();
  });

  it('retries a failed run with backoff and joins a run already under way', async () => {
    const w = startInProcessWorker(h.db, [syncOf(es.url)], { schedule: false, retryDelayMs: 10, env: {} });
    try {
      es.faults.push({ path: '/cvr-permanent', fault: '500' });
      const [a, b] = await Promise.all([w.enqueue('cvr'), w.enqueue('cvr')]);
      expect(a).toBe(b);
      expect(a).toMatchObject({ status: 'succeeded', cursor: '2026-05-03T10:00:00.000+02:00' });
      expect(await stateOf(h.db, 'cvr')).toMatchObject({
        lastError: null,
        lastFailedAt: expect.any(Date),
        cursor: '2026-05-03T10:00:00.000+02:00',
      });
      await expect(w.enqueue('nope')).rejects.toThrow(/no sync named nope/);
    } finally {
      await w.stop();
    }
  });
});

describe.runIf(process.env.TEST_DATABASE_URL)('the pg-boss queue on Postgres', () => {
  let h: DbHandle;
  let es: FakeServer;
  const schema = `pgboss_test_${randomBytes(4).toString('hex')}`;
  beforeAll(async () => {
    h = await freshDatabase({ name: 'postgres' });
    es = await fakeServer(elasticsearch(() => docs, 'Vrvirksomhed.sidstOpdateret'));
  });
  afterAll(async () => {
    await es?.close();
    await h?.close();
    const c = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await c.connect();
    await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await c.end();
  });

  it('two workers on one Postgres run each job once', async () => {
    // A request on a kept-alive connection the test server has just closed breaks off; the run retries it
    // (as a configured sync does) instead of failing, which would have the queue retry the whole job.
    const sync = syncOf(es.url, 3);
    const url = process.env.TEST_DATABASE_URL!;
    const workers: SyncWorker[] = [];
    try {
      workers.push(await startQueueWorker(h.db, url, [sync], { schedule: false, pollingIntervalSeconds: 0.5, schema, env: {} }));
      workers.push(await startQueueWorker(h.db, url, [sync], { schedule: false, pollingIntervalSeconds: 0.5, schema, env: {} }));
      const searches = () => es.requests.filter((r) => r.url.startsWith('/cvr-permanent')).length;
      const ids = [];
      for (let i = 0; i < 4; i++) ids.push(await workers[i % 2]!.enqueue('cvr'));
      expect(new Set(ids).size).toBe(4);
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        // Every job finished one way or the other, then all of them succeeded: a failed job names itself.
        const finished = async () =>
          (await c.query(`SELECT state FROM ${schema}.job WHERE state IN ('completed', 'failed', 'cancelled')`)).rows.map((r) => r.state);
        await until(async () => (await finished()).length === 4);
        expect(await finished()).toEqual(['completed', 'completed', 'completed', 'completed']);
        // None was retried by the queue: the first attempt of each succeeded.
        expect((await c.query(`SELECT retry_count FROM ${schema}.job`)).rows.map((r) => r.retry_count)).toEqual([0, 0, 0, 0]);
      } finally {
        await c.end();
      }
      await new Promise((r) => setTimeout(r, 1500));
      // Each job ran once: four ingest runs, none failed (a job run twice, or retried after a failed run,
      // leaves a fifth). The source was searched at least once per run; a request the sync's HTTP policy
      // retried within a run (a connection the test server closed as it was reused) searches once more.
      const runs = await h.db.selectFrom('ingest.run').select('status').where('source', '=', 'cvr').execute();
      expect(runs.map((r) => r.status)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded']);
      expect(searches()).toBeGreaterThanOrEqual(4);
      expect((await stateOf(h.db, 'cvr'))!.cursor).toBe('2026-05-03T10:00:00.000+02:00');
    } finally {
      for (const w of workers) await w.stop();
    }
  });
});
