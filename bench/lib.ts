/**
 * Helpers the benchmark suites share (bench/suites/*.ts): throwaway databases, child processes for
 * ingest and the server, and an API key for a production server.
 */
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

export const run = promisify(execFile);
/** Node flags that run a TypeScript entry point through tsx. */
export const tsx = ['--import', 'tsx'];

/** Where indgang lives: the runner's working directory. */
export const root = process.cwd();

/** A database an indgang process can be pointed at through its environment. */
export interface Target {
  name: 'pglite' | 'postgres';
  /** Creates the (empty) database and returns the environment that selects it. */
  env(): Promise<NodeJS.ProcessEnv>;
  cleanup(): Promise<void>;
}

/** An embedded database in a directory of the run's scratch space. */
export function pgliteTarget(tmp: string, label: string): Target {
  const dir = path.join(tmp, `pglite-${label}`);
  return {
    name: 'pglite',
    env: async () => {
      fs.rmSync(dir, { recursive: true, force: true });
      return { INDGANG_DATA_DIR: dir, DATABASE_URL: '' };
    },
    cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** Runs one statement on the admin database (CREATE/DROP DATABASE). */
export async function admin(adminUrl: string, text: string): Promise<void> {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    await c.query(text);
  } finally {
    await c.end();
  }
}

/** A database `indgang_bench_<label>` on the bench's Postgres server, created empty and dropped afterwards. */
export function postgresTarget(adminUrl: string, label: string): Target {
  const db = `indgang_bench_${label.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}`;
  return {
    name: 'postgres',
    env: async () => {
      await admin(adminUrl, `DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
      await admin(adminUrl, `CREATE DATABASE ${db}`);
      return { DATABASE_URL: databaseUrl(adminUrl, db) };
    },
    cleanup: () => admin(adminUrl, `DROP DATABASE IF EXISTS ${db} WITH (FORCE)`),
  };
}

export function databaseUrl(adminUrl: string, db: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${db}`;
  return url.toString();
}

/** A port nobody listens on right now (port 0 asks the kernel), so parallel benches do not collide. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** The server runs in production, so requests need an API key: one caller for the benchmark, made before it starts. */
export async function benchKey(env: NodeJS.ProcessEnv, name: string, scopes = 'read:registry,read:insights'): Promise<string> {
  const { stdout } = await run(process.execPath, [...tsx, 'src/cli/main.ts', 'callers', 'add', '--name', name, '--scopes', scopes], {
    env: { ...process.env, ...env },
  });
  return stdout.trim();
}

/** Starts `indgang serve` in production mode and waits for /readyz; returns a function that stops it. */
export async function serve(env: NodeJS.ProcessEnv, port: number, timeoutSeconds = 60): Promise<() => void> {
  const child = spawn(process.execPath, [...tsx, 'src/cli/main.ts', 'serve'], {
    env: { ...process.env, ...env, PORT: String(port), LOG_LEVEL: 'warn', NODE_ENV: 'production' },
    stdio: 'inherit',
  });
  for (let i = 0; i < timeoutSeconds * 2; i++) {
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

/** What bench/ingest-child.ts prints: the run summary with the child's peak RSS. */
export interface IngestResult {
  read: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  seconds: number;
  /** Of `seconds`, deriving the insights of the changed companies. */
  deriveSeconds: number;
  status: string;
  maxRssMb: number;
}

/** Runs one ingest in its own process, so its peak RSS is the ingest's alone. */
export async function ingestInChild(env: NodeJS.ProcessEnv, source: string, file: string): Promise<IngestResult> {
  const { stdout } = await run(process.execPath, [...tsx, 'bench/ingest-child.ts', source, file], {
    env: { ...process.env, ...env },
    maxBuffer: 1 << 20,
  });
  const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as IngestResult;
  if (result.status !== 'succeeded') throw new Error(`ingest ${source} ${file} failed: ${JSON.stringify(result)}`);
  return result;
}
