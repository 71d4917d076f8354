import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ndjson, testCvr, vrv } from './helpers/cvr.js';
import { migratedDataDir } from './helpers/db.js';
import { searchPosting, searchResponse } from './helpers/jobnet.js';
import { runIndgang } from './helpers/cli.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'indgang-cli-'));
let databases = 0;

/** `indgang` on an embedded database of its own (a copy of the run's migrated template): each test starts empty. */
function freshIndgang() {
  const env = { ...process.env, INDGANG_DATA_DIR: migratedDataDir(path.join(dir, `data-${++databases}`)), DATABASE_URL: '' };
  return (...args: string[]) => runIndgang(env, ...args);
}

/** Two companies and a line that is not JSON. */
let files = 0;
function cvrFile(): string {
  const file = path.join(dir, `cvr-${++files}.ndjson`);
  fs.writeFileSync(file, ndjson([vrv({ cvr: testCvr(1) }), vrv({ cvr: testCvr(2) })]) + 'not json\n');
  return file;
}

// Each command starts a process with its own embedded database: minutes per command on a busy 2-core machine.
// The tests share nothing, so they run at once: their processes fill the cores while the other worker idles.
describe('indgang CLI (embedded database)', { timeout: 600_000, concurrent: true }, () => {
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('lists the sources with their formats', async () => {
    const indgang = freshIndgang();
    const r = await indgang('ingest', '--list');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^cvr\s+registry\s+CVR distribution JSON/m);
  });

  it('loads a file, prints one summary line, and shows runs and rejects', async () => {
    const indgang = freshIndgang();
    const file = cvrFile();
    const r = await indgang('ingest', '--source', 'cvr', file);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^run 1 cvr succeeded: read=3 inserted=2 updated=0 unchanged=0 rejected=1 in [\d.]+s \(derived data [\d.]+s\)$/m,
    );
    const again = await indgang('ingest', '--source', 'cvr', file);
    expect(again.stdout).toMatch(/read=3 inserted=0 updated=0 unchanged=2 rejected=1/);
    const runs = await indgang('runs');
    expect(runs.stdout).toMatch(/^\s+2 cvr\s+succeeded/m);
    const rejects = await indgang('rejects', '--run', '1');
    expect(rejects.stdout).toContain(`run 1 ${file} line 3: malformed JSON`);
    expect(rejects.stdout).toContain('not json');
  });

  it('rebuilds and refreshes the derived insights', async () => {
    const indgang = freshIndgang();
    expect((await indgang('ingest', '--source', 'cvr', cvrFile())).code).toBe(0);
    const rebuilt = await indgang('insights', 'rebuild');
    expect(rebuilt.code).toBe(0);
    expect(rebuilt.stdout).toMatch(/^insights rebuilt for 2 companies in [\d.]+s$/m);
    const refreshed = await indgang('insights', 'refresh');
    expect(refreshed.stdout).toMatch(/^insights refreshed for 0 companies in [\d.]+s$/m);
  });

  it('exits non-zero when the file cannot be read, and records the failed run', async () => {
    const indgang = freshIndgang();
    const r = await indgang('ingest', '--source', 'cvr', path.join(dir, 'missing.ndjson'));
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/failed/);
    expect(r.stderr).toMatch(/no such file/);
  });

  it('prints runs and rejects as JSON with --json', async () => {
    const indgang = freshIndgang();
    expect((await indgang('ingest', '--source', 'cvr', cvrFile())).code).toBe(0);
    const runs = await indgang('runs', '--json');
    expect(runs.code).toBe(0);
    const parsed = JSON.parse(runs.stdout) as { id: number; source: string; status: string }[];
    expect(parsed.some((r) => r.source === 'cvr' && r.status === 'succeeded')).toBe(true);
    const rejects = JSON.parse((await indgang('rejects', '--json')).stdout) as { run_id: number; reason: string }[];
    expect(rejects.some((r) => r.reason.includes('malformed JSON'))).toBe(true);
  });

  it('prints its version, and exits with 2 for every usage error', async () => {
    const indgang = freshIndgang();
    const v = await indgang('--version');
    expect(v.code).toBe(0);
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    for (const args of [['nonsense'], ['runs', '--bogus'], ['runs', '--limit', 'many'], ['ingest', '--source', 'cvr']]) {
      const r = await indgang(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout, args.join(' ')).toBe('');
      expect(r.stderr.length, args.join(' ')).toBeGreaterThan(0);
    }
    expect((await indgang('--help')).code).toBe(0);
  });

  it('lists the occupation labels that map to no DISCO code, and maps the stored ads again', async () => {
    const indgang = freshIndgang();
    const file = path.join(dir, 'jobnet-search.json');
    const label = 'Drømmejob i det blå';
    fs.writeFileSync(
      file,
      JSON.stringify(
        searchResponse([searchPosting({ id: '7000001', occupation: label }), searchPosting({ id: '7000002', occupation: label })]),
        null,
        4,
      ),
    );
    expect((await indgang('ingest', '--source', 'jobnet', file)).stdout).toMatch(
      /jobnet succeeded: read=2 inserted=2 .*withoutOccupation=2/,
    );
    const text = await indgang('codes', 'unmapped');
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`      2  ${label}\n`);
    expect(text.stderr).toContain('occupation-labels.csv');
    const json = await indgang('codes', 'unmapped', '--json');
    expect(JSON.parse(json.stdout)).toEqual([{ label, count: 2 }]);
    const remap = await indgang('codes', 'remap');
    expect(remap.code).toBe(0);
    expect(remap.stdout).toMatch(/^run \d+ codes-remap succeeded: looked up=1 vacancies changed=0 job orders changed=0 in [\d.]+s$/m);
  });

  it('refuses an unknown source with usage exit code 2', async () => {
    const indgang = freshIndgang();
    const r = await indgang('ingest', '--source', 'nope', 'x');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown source "nope"');
  });
});
