import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allSources } from '../src/connectors.js';
import type { DbHandle } from '../src/db/database.js';
import { parseSyncConfig } from '../src/sync/config.js';
import { setConfiguredSyncs } from '../src/sync/freshness.js';
import { runSync } from '../src/sync/run.js';
import { dbTargets, freshDatabase } from './helpers/db.js';
import { graph } from './helpers/graph.js';
import { testCvr, vrv } from './helpers/cvr.js';

describe.each(dbTargets)('freshness of the sources on $name', (target) => {
  let h: DbHandle;
  let q: ReturnType<typeof graph>;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sync-fresh-'));
  const cvr = testCvr(700);
  const config = parseSyncConfig(
    {
      syncs: [
        { name: 'cvr-files', source: 'cvr', schedule: '0 3 * * *', staleAfterHours: 24, fetch: { kind: 'file', glob: `${dir}/*.ndjson` } },
        {
          name: 'jobs',
          source: 'jobnet',
          staleAfterHours: 1,
          fetch: { kind: 'http', url: 'http://127.0.0.1:1/jobs.json' },
          retry: { attempts: 1, baseMs: 1, timeoutMs: 500 },
        },
      ],
    },
    allSources.map((s) => s.name),
    {},
  );
  if (!config.ok) throw new Error(config.errors.join('\n'));

  beforeAll(async () => {
    h = await freshDatabase(target);
    q = graph(h.db);
    setConfiguredSyncs(config.syncs);
    fs.writeFileSync(path.join(dir, 'a.ndjson'), JSON.stringify(vrv({ cvr })) + '\n');
  });
  afterAll(async () => {
    setConfiguredSyncs(null);
    await h?.close();
  });

  it('lists every sync with its last success, failure, next run and cursor, and marks sections stale from the real last sync', async () => {
    const before = await q(`{ sources { name source kind stale lastSucceededAt } }`);
    expect(before.errors).toBeUndefined();
    expect(before.data.sources).toEqual([
      { name: 'cvr-files', source: 'cvr', kind: 'file', stale: true, lastSucceededAt: null },
      { name: 'jobs', source: 'jobnet', kind: 'http', stale: true, lastSucceededAt: null },
    ]);
    expect((await runSync(h.db, config.syncs[0]!)).status).toBe('succeeded');
    const failed = await runSync(h.db, config.syncs[1]!);
    expect(failed.status).toBe('failed');

    const r = await q(`{ sources { name schedule lastSucceededAt lastFailedAt lastError nextRunAt cursor stale } }`);
    expect(r.errors).toBeUndefined();
    const [files, jobs] = r.data.sources;
    expect(files).toMatchObject({
      name: 'cvr-files',
      schedule: '0 3 * * *',
      lastFailedAt: null,
      lastError: null,
      stale: false,
      cursor: expect.any(String),
    });
    expect(new Date(files.nextRunAt).getUTCHours()).toBe(3);
    expect(jobs).toMatchObject({ name: 'jobs', lastSucceededAt: null, lastError: expect.stringMatching(/jobs\.json/), stale: true });

    const c = await q(`{ company(cvr: "${cvr}") { source { name syncedAt stale } recruitment { source { name stale } } } }`);
    expect(c.errors).toBeUndefined();
    expect(c.data.company.source).toMatchObject({ name: 'cvr', stale: false });
    expect(c.data.company.recruitment.source).toEqual({ name: 'jobnet', stale: true });
  });
});
