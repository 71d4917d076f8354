/**
 * npm run bench — runs every suite in bench/suites/*.ts (each exports `suite: BenchSuite`, see bench/context.ts),
 * prints their figures as one table and merges them into bench/results/latest.json.
 *   BENCH_SIZES=100000,1000000   record/company counts (default both)
 *   BENCH_SECONDS=10             seconds of load per measured operation
 *   BENCH_DATABASE_URL=…         admin URL of the Postgres server (default the local one); throwaway databases are made on it
 *   BENCH_ONLY=ingest,start      run only these suites
 * A figure of a suite not run this time stays in latest.json from the previous file, with the date it was measured.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import type { BenchContext, BenchSuite, Figures } from './context.js';

const here = path.dirname(new URL(import.meta.url).pathname);
const resultsFile = path.join(here, 'results', 'latest.json');

/** One figure as stored: its value, when and on what it was measured. */
interface StoredFigure {
  value: number;
  suite: string;
  measuredAt: string;
  /** Sizes the suite ran at, so a quick run's figures are not mistaken for a full one's. */
  sizes: number[];
  /** The version and bulk-load settings of the Postgres server at BENCH_DATABASE_URL then (a figure of PGlite did not use it). */
  postgres?: string;
}

interface Results {
  machine: Machine;
  date: string;
  figures: Record<string, StoredFigure>;
}

interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  platform: string;
  /** Load average when the run started: the machine may be shared. */
  loadAverage: number[];
}

function machine(): Machine {
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

/**
 * The Postgres server's version and memory, WAL and checkpoint settings, recorded with the figures so runs on
 * differently configured servers are not compared as if alike (at 1,000,000 companies the stock 128 MB shared_buffers
 * and 1 GB max_wal_size checkpoint every half gigabyte of WAL during a load).
 */
async function serverSettings(adminUrl: string): Promise<string | undefined> {
  const c = new pg.Client({ connectionString: adminUrl });
  try {
    await c.connect();
    const r = await c.query<{ name: string; setting: string }>(
      `SELECT name, current_setting(name) AS setting FROM unnest($1::text[]) AS name`,
      [['server_version', 'shared_buffers', 'max_wal_size', 'checkpoint_timeout', 'work_mem', 'maintenance_work_mem']],
    );
    return r.rows.map((x) => `${x.name}=${x.setting}`).join(' ');
  } catch {
    return undefined;
  } finally {
    await c.end().catch(() => {});
  }
}

async function discover(): Promise<BenchSuite[]> {
  const dir = path.join(here, 'suites');
  const files = fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .filter((f) => f.endsWith('.ts'))
        .sort()
    : [];
  const suites: BenchSuite[] = [];
  for (const f of files) {
    const mod = (await import(pathToFileURL(path.join(dir, f)).href)) as { suite?: BenchSuite };
    if (!mod.suite || typeof mod.suite.run !== 'function') throw new Error(`bench/suites/${f} does not export suite: BenchSuite`);
    suites.push(mod.suite);
  }
  return suites;
}

function readPrevious(): Results | null {
  try {
    return JSON.parse(fs.readFileSync(resultsFile, 'utf8')) as Results;
  } catch {
    return null;
  }
}

function formatValue(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Math.abs(v) >= 1000) return Math.round(v).toLocaleString('en');
  if (Math.abs(v) >= 10) return v.toFixed(1);
  return v.toFixed(2);
}

async function main() {
  const sizes = (process.env.BENCH_SIZES ?? '100000,1000000').split(',').map((s) => Number(s.replace(/[_\s]/g, '')));
  if (sizes.some((n) => !Number.isInteger(n) || n <= 0))
    throw new Error(`BENCH_SIZES must be whole numbers separated by commas, got ${process.env.BENCH_SIZES}`);
  const seconds = Number(process.env.BENCH_SECONDS ?? 10);
  if (!(seconds > 0)) throw new Error(`BENCH_SECONDS must be a positive number, got ${process.env.BENCH_SECONDS}`);
  const only = process.env.BENCH_ONLY
    ? process.env.BENCH_ONLY.split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : null;
  const all = await discover();
  const unknown = (only ?? []).filter((n) => !all.some((s) => s.name === n));
  if (unknown.length) throw new Error(`BENCH_ONLY names no suite ${unknown.join(', ')}; suites: ${all.map((s) => s.name).join(', ')}`);
  const chosen = only ? all.filter((s) => only.includes(s.name)) : all;

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'indgang-bench-'));
  const ctx: BenchContext = {
    sizes,
    seconds,
    adminUrl: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    tmp,
    log: (line) => process.stderr.write(`[bench] ${line}\n`),
  };
  const m = machine();
  const date = new Date().toISOString();
  ctx.log(
    `${m.cpus} cores (${m.cpuModel}), ${m.memoryGiB} GiB, node ${m.node}, load average ${m.loadAverage.join(' ')}; suites: ${chosen.map((s) => s.name).join(', ')}`,
  );
  const server = await serverSettings(ctx.adminUrl);
  ctx.log(server ? `postgres ${server}` : `postgres not reachable at ${ctx.adminUrl}`);

  const fresh: Record<string, StoredFigure> = {};
  const failures: string[] = [];
  for (const suite of chosen) {
    ctx.log(`suite ${suite.name}`);
    try {
      const figures: Figures = await suite.run(ctx);
      for (const [name, value] of Object.entries(figures))
        fresh[name] = { value, suite: suite.name, measuredAt: new Date().toISOString(), sizes, postgres: server };
    } catch (e) {
      failures.push(`${suite.name}: ${(e as Error).stack ?? e}`);
      ctx.log(`suite ${suite.name} failed: ${(e as Error).message}`);
    }
  }
  fs.rmSync(tmp, { recursive: true, force: true });

  // Figures of suites not run (or failed) this time keep their earlier value and date.
  const previous = readPrevious();
  const figures: Record<string, StoredFigure> = { ...(previous?.figures ?? {}), ...fresh };
  const sorted = Object.fromEntries(Object.entries(figures).sort(([a], [b]) => a.localeCompare(b)));
  fs.mkdirSync(path.dirname(resultsFile), { recursive: true });
  fs.writeFileSync(resultsFile, JSON.stringify({ machine: m, date, figures: sorted } satisfies Results, null, 2) + '\n');

  console.log(
    `indgang benchmark ${date} on ${m.cpus} cores, ${m.memoryGiB} GiB, node ${m.node}, load average at start ${m.loadAverage.join(' ')}`,
  );
  const width = Math.max(20, ...Object.keys(sorted).map((k) => k.length));
  for (const [name, f] of Object.entries(sorted)) {
    const when = name in fresh ? '' : `   (from ${f.measuredAt.slice(0, 16).replace('T', ' ')}, not run now)`;
    console.log(`  ${name.padEnd(width)} ${formatValue(f.value).padStart(12)}   sizes ${f.sizes.join(',')}${when}`);
  }
  console.log(`written to ${path.relative(process.cwd(), resultsFile)}`);
  if (failures.length) {
    console.error(`\n${failures.length} suite(s) failed:\n${failures.join('\n')}`);
    process.exitCode = 1;
  }
}

await main();
