/**
 * npm run bench:writes — the writes suite alone (bench/suites/writes.ts): BENCH_WRITES (200) concurrent
 * contactRecord calls for different companies on real Postgres (BENCH_DATABASE_URL, default the local server).
 * Prints its figures (p50, p99, slowest, wall time, failed calls).
 */
import { benchWrites } from './suites/writes.js';

const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const figures = await benchWrites({ adminUrl, log: (line) => console.error(line) });
for (const [name, value] of Object.entries(figures)) console.log(`${name.padEnd(40)} ${value}`);
