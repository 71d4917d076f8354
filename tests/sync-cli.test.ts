import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createScratchDatabase, type ScratchDatabase } from '../bench/databases.js';
import { dbTargets, migratedDataDir } from './helpers/db.js';
import { ndjson, testCvr, vrv } from './helpers/cvr.js';
import { runIndgang } from './helpers/cli.js';

// Each command starts a process with its own database connection: slow on a busy 2-core machine.
// The tests share nothing they change (a database each), so they run at once.
describe.each(dbTargets)('indgang sync list / status on $name', { timeout: 240_000, concurrent: true }, (target) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'indgang-sync-cli-'));
  const config = path.join(dir, 'sync.config.json');
  const scratches: ScratchDatabase[] = [];
  let databases = 0;

  /** `indgang` on a database of the test's own (a copy of the run's migrated template), reading `syncConfig`. */
  async function freshIndgang(syncConfig = config) {
    const scratch =
      target.name === 'postgres'
        ? await createScratchDatabase(process.env.TEST_DATABASE_URL!, 'indgang_test', inject('postgresTemplate'))
        : null;
    if (scratch) scratches.push(scratch);
    const env = {
      ...process.env,
      INDGANG_DATA_DIR: scratch ? path.join(dir, 'unused') : migratedDataDir(path.join(dir, `data-${++databases}`)),
      DATABASE_URL: scratch?.url ?? '',
      INDGANG_SYNC_CONFIG: syncConfig,
      LOG_LEVEL: 'warn',
    };
    return (...args: string[]) => runIndgang(env, ...args);
  }

  beforeAll(async () => {
    fs.mkdirSync(path.join(dir, 'in'));
    fs.writeFileSync(path.join(dir, 'in', 'cvr-1.ndjson'), ndjson([vrv({ cvr: testCvr(901) }), vrv({ cvr: testCvr(902) })]));
    fs.writeFileSync(
      config,
      JSON.stringify({
        syncs: [
          { name: 'cvr-files', source: 'cvr', schedule: '0 3 * * *', fetch: { kind: 'file', glob: path.join(dir, 'in', 'cvr-*.ndjson') } },
          // Port 9 (discard) is one fetch refuses to connect to: the run fails at once, naming the URL and why.
          {
            name: 'jobs',
            source: 'jobnet',
            retry: { attempts: 1, baseMs: 1, timeoutMs: 2000 },
            fetch: { kind: 'http', url: 'http://127.0.0.1:9/jobs.json' },
          },
        ],
      }),
    );
  });
  afterAll(async () => {
    for (const scratch of scratches) await scratch.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('lists every configured sync before any has run', async () => {
    const indgang = await freshIndgang();
    const r = await indgang('sync', 'list');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /^cvr-files\s+cvr\s+file\s+0 3 \* \* \*\s+last ok never\s+next \d{4}-\d\d-\d\dT03:00:00\.000Z\s+cursor -\s+STALE$/,
    );
    expect(lines[1]).toMatch(/^jobs\s+jobnet\s+http\s+\(manual\)\s+last ok never\s+next -\s+cursor -\s+STALE$/);
  });

  it('shows a run that succeeded and one that failed, as JSON, with exit code 1 while one has failed', async () => {
    const indgang = await freshIndgang();
    const ok = await indgang('sync', 'run', 'cvr-files', '--here');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/read=2 inserted=2/);
    const bad = await indgang('sync', 'run', 'jobs', '--here');
    expect(bad.code).toBe(1);
    const r = await indgang('sync', 'status', '--json');
    expect(r.code).toBe(1);
    const list = JSON.parse(r.stdout);
    const mtime = fs.statSync(path.join(dir, 'in', 'cvr-1.ndjson')).mtime.toISOString();
    expect(list).toEqual([
      expect.objectContaining({
        name: 'cvr-files',
        source: 'cvr',
        kind: 'file',
        schedule: '0 3 * * *',
        cursor: mtime,
        lastSucceededAt: expect.any(String),
        lastFailedAt: null,
        lastError: null,
        stale: false,
      }),
      expect.objectContaining({
        name: 'jobs',
        source: 'jobnet',
        kind: 'http',
        schedule: null,
        cursor: null,
        lastSucceededAt: null,
        lastFailedAt: expect.any(String),
        lastError: expect.stringMatching(/^GET http:\/\/127\.0\.0\.1:9\/jobs\.json: .*gave up after 1 attempt/),
        stale: true,
      }),
    ]);
    expect(Date.parse(list[0].nextRunAt)).toBeGreaterThan(Date.parse(list[0].lastSucceededAt));
    // The text form says the same.
    const text = await indgang('sync', 'status');
    expect(text.stdout).toMatch(new RegExp(`^cvr-files .*cursor ${mtime.replace(/\./g, '\\.')}$`, 'm'));
    expect(text.stdout).toMatch(/^jobs .*last failed .*STALE\n {4}error: /m);
  });

  it('names the sync and field of a wrong configuration, with exit code 2', async () => {
    const wrong = path.join(dir, 'wrong.config.json');
    fs.writeFileSync(wrong, JSON.stringify({ syncs: [{ name: 'cvr', source: 'nope', fetch: { kind: 'file', glob: '*.ndjson' } }] }));
    const indgang = await freshIndgang(wrong);
    const r = await indgang('sync', 'status', '--json');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/cvr.*source.*unknown source "nope"/);
  });
});
