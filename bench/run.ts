/**
 * npm run bench — prints, for the embedded database and for real Postgres:
 *   ingest rate of generated CVR records (rows/s) at 100,000 and 1,000,000 records, with peak RSS of the ingest process;
 *   server throughput and latency (p50, p99) for company(cvr) and companies(first: 50) with municipality and industry.
 * BENCH_SIZES=100000,1000000 and BENCH_DATABASE_URL (default: local Postgres) override; BENCH_SECONDS sets load duration.
 */
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import { writeCvrBenchFile } from './cvr-file.js';

const run = promisify(execFile);
const sizes = (process.env.BENCH_SIZES ?? '100000,1000000').split(',').map(Number);
const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'indgang-bench-'));
const tsx = ['--import', 'tsx'];

interface Target {
  name: string;
  env: () => Promise<NodeJS.ProcessEnv>;
  cleanup: () => Promise<void>;
}

const pgliteTarget = (size: number): Target => {
  const dir = path.join(tmp, `pglite-${size}`);
  return { name: 'pglite', env: async () => ({ INDGANG_DATA_DIR: dir, DATABASE_URL: '' }), cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }) };
};

const postgresTarget = (size: number): Target => {
  const db = `indgang_bench_${size}`;
  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    await c.query(sql);
    await c.end();
  };
  const url = new URL(adminUrl);
  url.pathname = `/${db}`;
  return {
    name: 'postgres',
    env: async () => {
      await admin(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
      await admin(`CREATE DATABASE ${db}`);
      return { DATABASE_URL: url.toString() };
    },
    cleanup: () => admin(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`),
  };
};

async function ingest(env: NodeJS.ProcessEnv, file: string) {
  const { stdout } = await run(process.execPath, [...tsx, 'bench/ingest-child.ts', 'cvr', file], { env: { ...process.env, ...env }, maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split('\n').at(-1)!);
}

/** The server runs in production, so requests need an API key: one caller for the benchmark, made before it starts. */
async function benchKey(env: NodeJS.ProcessEnv, name: string): Promise<string> {
  const { stdout } = await run(process.execPath, [...tsx, 'src/cli/main.ts', 'callers', 'add', '--name', name, '--scopes', 'read:registry,read:insights'], { env: { ...process.env, ...env } });
  return stdout.trim();
}

async function serve(env: NodeJS.ProcessEnv, port: number): Promise<() => void> {
  const child = spawn(process.execPath, [...tsx, 'src/cli/main.ts', 'serve'], { env: { ...process.env, ...env, PORT: String(port), LOG_LEVEL: 'warn', NODE_ENV: 'production' }, stdio: 'inherit' });
  for (let i = 0; i < 120; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`)).ok) return () => child.kill('SIGTERM');
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  child.kill('SIGKILL');
  throw new Error('server did not start');
}

async function load(port: number, key: string, title: string, bodies: () => string) {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/graphql`,
    connections: 10,
    duration: seconds,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    requests: [{ setupRequest: (req: any) => ({ ...req, body: bodies() }) }],
  });
  const errors = result.errors + result.non2xx;
  console.log(
    `  ${title.padEnd(44)} ${result.requests.average.toFixed(0).padStart(6)} req/s   p50 ${String(result.latency.p50).padStart(4)} ms   p99 ${String(result.latency.p99).padStart(4)} ms${errors ? `   errors ${errors}` : ''}`,
  );
}

async function main() {
  console.log(`indgang benchmark on ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`);
  for (const size of sizes) {
    const file = path.join(tmp, `cvr-${size}.ndjson`);
    await writeCvrBenchFile(file, size);
    const mb = fs.statSync(file).size / 2 ** 20;
    console.log(`\n${size.toLocaleString('en')} CVR records (${mb.toFixed(0)} MB NDJSON)`);
    for (const target of [pgliteTarget(size), postgresTarget(size)]) {
      const env = await target.env();
      const first = await ingest(env, file);
      const again = await ingest(env, file);
      console.log(
        `  ${target.name.padEnd(9)} ingest ${(first.read / first.seconds).toFixed(0).padStart(7)} rows/s (${first.seconds.toFixed(1)} s, peak RSS ${first.maxRssMb.toFixed(0)} MB)   re-run ${(again.read / again.seconds).toFixed(0)} rows/s, inserted=${again.inserted} updated=${again.updated} unchanged=${again.unchanged}`,
      );
      if (size === sizes[0]) {
        const port = 4100 + Math.floor(Math.random() * 800);
        const key = await benchKey(env, `bench-${port}`);
        const stop = await serve(env, port);
        const cvrs = (await fetchCvrs(port, key)).map((c: any) => c.node.cvr);
        let i = 0;
        await load(port, key, `${target.name}: company(cvr)`, () => JSON.stringify({ query: `{ company(cvr: "${cvrs[i++ % cvrs.length]}") { cvr name address { street postcode city } municipality { name } industry { code title } employees { band } } }` }));
        await load(port, key, `${target.name}: companies(first: 50) + municipality, industry`, () =>
          JSON.stringify({ query: `{ companies(first: 50, filter: { municipality: "${['657', '751', '615', '730'][i++ % 4]}" }) { edges { node { cvr name municipality { code name } industry { code title } } } pageInfo { hasNextPage endCursor } } }` }),
        );
        stop();
        await new Promise((r) => setTimeout(r, 1000));
      }
      await target.cleanup();
    }
    fs.rmSync(file, { force: true });
  }
  fs.rmSync(tmp, { recursive: true, force: true });
}

async function fetchCvrs(port: number, key: string) {
  const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query: '{ companies(first: 100, orderBy: CVR_ASC) { edges { node { cvr } } } }' }),
  });
  return ((await res.json()) as any).data.companies.edges;
}

await main();
