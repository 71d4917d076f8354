/**
 * Runs one benchmark suite by name and prints its figures: `tsx bench/run-one.ts limits`.
 * The same BenchContext as `npm run bench` gives (BENCH_SIZES, BENCH_SECONDS, BENCH_DATABASE_URL).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BenchContext, BenchSuite } from './context.js';

// The served requests' access lines would bury the figures.
process.env.LOG_LEVEL ??= 'warn';
const name = process.argv[2];
if (!name || !/^[\w-]+$/.test(name)) {
  console.error('usage: tsx bench/run-one.ts <suite>   (a file in bench/suites/)');
  process.exit(2);
}
const { suite } = (await import(`./suites/${name}.ts`)) as { suite: BenchSuite };
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `indgang-bench-${name}-`));
const ctx: BenchContext = {
  sizes: (process.env.BENCH_SIZES ?? '100000').split(',').map(Number),
  seconds: Number(process.env.BENCH_SECONDS ?? 10),
  adminUrl: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  tmp,
  log: (line) => process.stderr.write(`${line}\n`),
};
try {
  console.log(`${suite.name} on ${os.cpus().length} cores, node ${process.version} (a busy machine makes timings noisy)`);
  const figures = await suite.run(ctx);
  for (const [k, v] of Object.entries(figures)) console.log(`  ${k.padEnd(56)} ${v}`);
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
