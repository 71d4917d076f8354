/**
 * What the serve benchmark needs around a running server: starting indgang (one process, subgraphs, a
 * gateway) and the PostGraphile peer as child processes, an API key, timing requests one at a time and
 * under load, and the peak RSS of a process. Ports, API keys and child processes come from bench/lib.ts.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import autocannon from 'autocannon';
import pg from 'pg';
import { benchKey as sharedBenchKey, freePort, tsx } from './lib.js';

export { freePort };

/** Every read scope the company view touches. */
const ALL_READS = 'read:registry,read:jobcentre,read:crm,read:veu,read:contacts,read:insights';

/** An API key that may read the whole company view (bench/lib.ts makes it). */
export const benchKey = (env: NodeJS.ProcessEnv, name: string) => sharedBenchKey(env, name, ALL_READS);

export interface Served {
  port: number;
  pid: number;
  stop(): Promise<void>;
}

function stopper(child: ChildProcess): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
    });
}

async function waitFor(url: string, child: ChildProcess, what: string, ok: (res: Response) => boolean = (r) => r.ok): Promise<void> {
  for (let i = 0; i < 480; i++) {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}`);
    try {
      if (ok(await fetch(url))) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  child.kill('SIGKILL');
  throw new Error(`${what} did not start`);
}

let build: Promise<unknown> | undefined;

/**
 * `indgang <args>` (serve, serve --subgraph x, gateway …) in production mode on a free port, once it is
 * ready: the compiled build, started as `npm run start:prod` starts it (built once per bench run). Under
 * tsx the same server spent about a fifth more CPU per company view and peaked 100 MB higher, which is
 * the cost of compiling on the fly rather than of serving.
 */
export async function startIndgang(env: NodeJS.ProcessEnv, args: string[], what = args.join(' ')): Promise<Served> {
  build ??= promisify(execFile)('npm', ['run', '-s', 'build'], { maxBuffer: 1 << 24 });
  await build;
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', './dist/src/observability/tracing.js', 'dist/src/cli/main.js', ...args], {
    env: { ...process.env, ...env, PORT: String(port), LOG_LEVEL: 'warn', NODE_ENV: 'production' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  await waitFor(`http://127.0.0.1:${port}/readyz`, child, what);
  return { port, pid: child.pid!, stop: stopper(child) };
}

/** PostGraphile v5 over the `bench_peer` views of the same database (bench/postgraphile-peer.ts). */
export async function startPeer(databaseUrl: string): Promise<Served> {
  const port = await freePort();
  const child = spawn(process.execPath, [...tsx, 'bench/postgraphile-peer.ts'], {
    env: { ...process.env, PEER_DATABASE_URL: databaseUrl, PORT: String(port), NODE_ENV: 'production' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  // PostGraphile answers a GET of /graphql with 4xx (no query); any HTTP answer means it listens.
  await waitFor(`http://127.0.0.1:${port}/graphql`, child, 'PostGraphile', () => true);
  return { port, pid: child.pid!, stop: stopper(child) };
}

/**
 * The peer's view of the same tables, in a schema of its own that the benchmark creates and drops:
 * companies with their municipality, whether they have open vacancies and the profile's name that indgang sorts
 * by (the register joined to the profile, as indgang's `companies` reads them), and the vacancies, related by CVR through smart tags (the tables
 * have no foreign key, as ads may name companies the register does not hold). Plain views: the planner
 * inlines them, so PostGraphile reads the same tables and indexes.
 */
export async function createPeerViews(databaseUrl: string): Promise<void> {
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    await c.query(`
      DROP SCHEMA IF EXISTS bench_peer CASCADE;
      CREATE SCHEMA bench_peer;
      CREATE VIEW bench_peer.company AS
        SELECT r.cvr, r.name, p.name AS sort_name, p.municipality_code, p.open_vacancies > 0 AS has_open_vacancies FROM registry.company r JOIN insights.company_profile p ON p.cvr = r.cvr;
      COMMENT ON VIEW bench_peer.company IS E'@primaryKey cvr';
      CREATE VIEW bench_peer.vacancy AS
        SELECT v.id, v.cvr, v.title, v.positions, v.posted_at, v.apply_by FROM jobcentre.vacancy v;
      COMMENT ON VIEW bench_peer.vacancy IS E'@primaryKey id\\n@foreignKey (cvr) references bench_peer.company (cvr)|@fieldName company|@foreignFieldName vacancies';
    `);
  } finally {
    await c.end();
  }
}

export async function dropPeerViews(databaseUrl: string): Promise<void> {
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  await c.query('DROP SCHEMA IF EXISTS bench_peer CASCADE');
  await c.end();
}

export async function post(port: number, key: string | null, query: string, variables?: Record<string, unknown>): Promise<any> {
  const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as any;
  if (!res.ok || body.errors) throw new Error(`HTTP ${res.status}: ${JSON.stringify(body.errors ?? body).slice(0, 500)}`);
  return body.data;
}

export const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

/** p50 and p99 of `n` requests sent one at a time (unloaded: one connection, nothing else asking). */
export async function sequentialLatency(n: number, send: (i: number) => Promise<unknown>): Promise<{ p50: number; p99: number }> {
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await send(i);
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  return { p50: percentile(ms, 50), p99: percentile(ms, 99) };
}

/** Requests per second under load (autocannon, 10 connections); any error or non-2xx answer fails the run. */
export async function throughput(
  port: number,
  key: string | null,
  seconds: number,
  body: (i: number) => string,
): Promise<{ reqPerSecond: number; p50: number; p99: number }> {
  let i = 0;
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/graphql`,
    connections: 10,
    duration: seconds,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    requests: [{ setupRequest: (req: any) => ({ ...req, body: body(i++) }) }],
  });
  if (result.errors + result.non2xx > 0) throw new Error(`${result.errors} errors, ${result.non2xx} non-2xx answers under load`);
  return { reqPerSecond: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
}

/** Peak resident set size of a running process (VmHWM), in MB. */
export function peakRssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) / 1024;
}
