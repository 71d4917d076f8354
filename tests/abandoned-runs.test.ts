import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createScratchDatabase } from '../bench/databases.js';
import { endRun, listRuns, startRun } from '../src/ingest/runs.js';
import { ABANDONED_ERROR } from '../src/ingest/liveness.js';
import { dbTargets, freshDatabase, migratedDataDir } from './helpers/db.js';
import { runIndgang } from './helpers/cli.js';
import { ndjson, testCvr, vrv } from './helpers/cvr.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'indgang-abandoned-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A feed that sends one record and then hangs, so the ingest reading it is mid-run until killed. */
async function hangingFeed(): Promise<{ url: string; requested: Promise<void>; close(): void }> {
  let requested!: () => void;
  const seen = new Promise<void>((r) => (requested = r));
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/x-ndjson' });
    res.write(ndjson([vrv({ cvr: testCvr(7) })]) + '\n');
    requested();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/feed`,
    requested: seen,
    close: () => server.closeAllConnections(),
  };
}

async function runsJson(
  env: NodeJS.ProcessEnv,
): Promise<{ id: number; status: string; error: string | null; finished_at: string | null }[]> {
  return JSON.parse((await runIndgang(env, 'runs', '--json')).stdout);
}

// The two tests share nothing (a database each), so they run at once.
describe.each(dbTargets)('abandoned ingest runs ($name)', { timeout: 240_000, concurrent: true }, (target) => {
  it('a run whose owner lives stays running; once its owner is gone it reads as abandoned', async () => {
    const h = await freshDatabase(target);
    try {
      const run = await startRun(h.db, 'cvr', 'live.ndjson');
      expect((await listRuns(h.db)).map((r) => [r.id, r.status])).toEqual([[run.id, 'running']]);
      if (target.name === 'postgres') {
        // Released without a recorded outcome: the owner's lock is gone, so a reader calls it abandoned.
        await endRun(run);
      } else {
        // The same process id with another start time is a later process that reused the id, not the owner.
        await h.db.updateTable('ingest.run').set({ owner_started: '1' }).where('id', '=', run.id).execute();
      }
      expect((await listRuns(h.db))[0]).toMatchObject({ id: run.id, status: 'abandoned', error: ABANDONED_ERROR });
      await endRun(run);
    } finally {
      await h.close();
    }
  });

  it('an ingest killed with SIGKILL mid-run reads as abandoned in indgang runs', async () => {
    const feed = await hangingFeed();
    // Both start migrated (copies of the run's template), so the child goes straight to its run.
    const pgdb =
      target.name === 'postgres'
        ? await createScratchDatabase(process.env.TEST_DATABASE_URL!, 'indgang_test', inject('postgresTemplate'))
        : undefined;
    const dataDir = pgdb ? path.join(dir, 'data-postgres') : migratedDataDir(path.join(dir, 'data-pglite'));
    const env = { ...process.env, INDGANG_DATA_DIR: dataDir, DATABASE_URL: pgdb?.url ?? '', INDGANG_LOG_LEVEL: 'error' };
    try {
      const child = spawn(process.execPath, ['bin/indgang.js', 'ingest', '--source', 'cvr', feed.url], { env, stdio: 'ignore' });
      const exited = new Promise<NodeJS.Signals | null>((r) => child.once('exit', (_code, signal) => r(signal)));
      // The run row exists before its input is opened: once the feed is asked for, the run is under way.
      await feed.requested;
      if (pgdb) {
        // Another process sees the live run as running: its owner still holds the lock.
        const live = await runsJson(env);
        expect(live[0]).toMatchObject({ status: 'running', finished_at: null });
      }
      child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');
      // The embedded database's folder lock would go stale after 30 s; remove it instead of waiting.
      if (!pgdb) fs.rmSync(`${dataDir}.lock`, { recursive: true, force: true });
      const runs = await runsJson(env);
      expect(runs).toHaveLength(1);
      expect(runs[0]).toMatchObject({ status: 'abandoned', error: ABANDONED_ERROR });
      expect(runs[0]!.finished_at).not.toBeNull();
      const text = await runIndgang(env, 'runs');
      expect(text.stdout).toMatch(/^\s+1 cvr\s+abandoned /m);
    } finally {
      feed.close();
      await pgdb?.drop();
    }
  });
});
