/**
 * npm run bench:changes — the change feed suite (bench/suites/changes.ts) alone: the time to read
 * BENCH_CHANGES (default 1,000,000) companies' changes through companyChanges on real Postgres
 * (BENCH_DATABASE_URL, default the local server; a throwaway database), and on the embedded database
 * with BENCH_CHANGES_PGLITE=1. The machine may be busy with other work: the figures are noisy.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { suite } from './suites/changes.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'indgang-bench-changes-'));
try {
  const figures = await suite.run({
    sizes: [],
    seconds: Number(process.env.BENCH_SECONDS ?? 10),
    adminUrl: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    tmp,
    log: (line) => console.error(line),
  });
  for (const [k, v] of Object.entries(figures)) console.log(`${k.padEnd(40)} ${v.toLocaleString('en')}`);
  const n = figures['changes.read.postgres.companies']!;
  const s = figures['changes.read.postgres.seconds']!;
  const estimate = n >= 1_000_000 ? s : (s * 1_000_000) / n;
  console.log(`target: under 120 s for 1,000,000 companies on Postgres: ${estimate.toFixed(0)} s${n >= 1_000_000 ? '' : ` (extrapolated from ${n.toLocaleString('en')})`}`);
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
