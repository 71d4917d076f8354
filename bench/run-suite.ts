/**
 * Runs one suite file and prints its figures, until bench/run.ts discovers bench/suites/*.ts itself:
 *   npx tsx bench/run-suite.ts bench/suites/serve.ts
 * Same settings as npm run bench: BENCH_SIZES (first size used by serve), BENCH_SECONDS, BENCH_DATABASE_URL.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BenchContext, BenchSuite } from './context.js';

const file = process.argv[2];
if (!file) throw new Error('usage: tsx bench/run-suite.ts bench/suites/<name>.ts');
const { suite } = (await import(pathToFileURL(path.resolve(file)).href)) as { suite: BenchSuite };
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `indgang-bench-${suite.name}-`));
const ctx: BenchContext = {
  sizes: (process.env.BENCH_SIZES ?? '100000,1000000').split(',').map(Number),
  seconds: Number(process.env.BENCH_SECONDS ?? 10),
  adminUrl: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  tmp,
  log: (line) => console.error(line),
};
try {
  const figures = await suite.run(ctx);
  for (const [name, value] of Object.entries(figures)) console.log(`${name.padEnd(40)} ${Number.isInteger(value) ? value : value.toFixed(2)}`);
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
