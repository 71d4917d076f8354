import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import '../src/connectors.js';
import { openDatabase } from '../src/db/database.js';
import { migratedDataDir } from './helpers/db.js';
import { ingestText } from './helpers/graph.js';
import { ndjson, testCvr, vrv } from './helpers/cvr.js';
import { servingUrl } from './helpers/cli.js';

// A production process (NODE_ENV=production, where Apollo would otherwise stop the server itself on SIGTERM) told
// to stop: /readyz answers 503 for INDGANG_DRAIN_SECONDS, so a load balancer stops sending, and only then it drains and exits.
describe('SIGTERM in production', { timeout: 300_000 }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'indgang-drain-'));
  let child: ChildProcess | undefined;
  afterAll(() => {
    if (child?.exitCode === null) child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers 503 "draining" on /readyz before it stops, then exits 0', async () => {
    const dataDir = migratedDataDir(path.join(dir, 'data'));
    // One company, so the embedded database is not empty and serve skips the demo data.
    const h = await openDatabase({ dataDir });
    await ingestText(h.db, 'cvr', ndjson([vrv({ cvr: testCvr(1), name: 'Lukker ApS' })]));
    await h.close();
    child = spawn(process.execPath, [inject('compiledCli'), 'serve'], {
      env: {
        ...process.env,
        NODE_ENV: 'production',
        PORT: '0',
        DATABASE_URL: '',
        INDGANG_DATA_DIR: dataDir,
        INDGANG_WORKER: '0',
        INDGANG_DRAIN_SECONDS: '3',
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const exited = new Promise<string>((r) => child!.once('exit', (code, signal) => r(`code ${code}, signal ${signal}`)));
    const running = () => child!.exitCode === null && child!.signalCode === null;
    const readyz = (await servingUrl(child)).replace('/graphql', '/readyz');
    expect((await fetch(readyz)).status).toBe(200);
    child.kill('SIGTERM');
    const seen: (number | string)[] = [];
    // Polled until the process is gone (3 s of draining, bounded by the test's timeout, not by a guess).
    while (running()) {
      try {
        const res = await fetch(readyz);
        seen.push(res.status === 503 ? `503 ${(await res.json()).status}` : res.status);
      } catch {
        seen.push('refused');
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(seen, JSON.stringify(seen)).toContain('503 draining');
    // Nothing refused a connection before readiness had said "draining".
    expect(seen.indexOf('refused') === -1 || seen.indexOf('refused') > seen.indexOf('503 draining'), JSON.stringify(seen)).toBe(true);
    expect(await exited).toBe('code 0, signal null');
  });
});
