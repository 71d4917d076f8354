import fs from 'node:fs';
import { Kysely, PostgresDialect, type KyselyPlugin } from 'kysely';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { PGliteDialect } from 'kysely-pglite-dialect';
import type { Database } from './schema.js';
import { watchPool } from './health.js';
import { PreparingClient } from './prepared.js';
import { unwatchPool, watchPool as countPool } from '../observability/metrics.js';

export type Db = Kysely<Database>;

/** Which engine a handle talks to; embedded PGlite serialises all work on one connection. */
export type DbKind = 'pglite' | 'postgres';

export interface DbHandle {
  db: Db;
  kind: DbKind;
  /** Human-readable target for logs: a data folder or a redacted URL. */
  target: string;
  close(): Promise<void>;
}

// Postgres bigint and numeric come back as strings by default; counts here fit in a JS number.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));
// Dates stay ISO strings: a calendar date has no time zone and must not shift through JS Date.
pg.types.setTypeParser(1082, (v) => v);

export interface OpenOptions {
  databaseUrl?: string;
  /** Data folder for PGlite; undefined means in memory (tests). */
  dataDir?: string;
  /** PGlite only: start from this data directory tarball (from `dumpDataDir()`), e.g. a migrated test template. */
  loadDataDir?: Blob;
  plugins?: KyselyPlugin[];
  poolSize?: number;
  /** Postgres only: how long to wait for a pooled connection before failing (default 10 s). */
  connectTimeoutMs?: number;
  /** Postgres only: `statement_timeout` for every connection of the pool (0 or undefined: none). */
  statementTimeoutMs?: number;
  /** Postgres only: send statements as named prepared statements (default true; see prepared.ts). */
  preparedStatements?: boolean;
}

/** Extensions every embedded database loads; a data directory made elsewhere must be opened with the same ones. */
export const pgliteExtensions = { pg_trgm };

export async function openDatabase(opts: OpenOptions): Promise<DbHandle> {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: opts.databaseUrl,
      max: opts.poolSize ?? 10,
      connectionTimeoutMillis: opts.connectTimeoutMs ?? 10_000,
      ...(opts.preparedStatements === false ? {} : { Client: PreparingClient }),
      ...(opts.statementTimeoutMs ? { statement_timeout: opts.statementTimeoutMs } : {}),
    });
    watchPool(pool, redact(opts.databaseUrl));
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), plugins: opts.plugins });
    countPool(pool);
    return { db, kind: 'postgres', target: redact(opts.databaseUrl), close: () => (unwatchPool(pool), db.destroy()) };
  }
  if (opts.dataDir) fs.mkdirSync(opts.dataDir, { recursive: true });
  const pglite = await PGlite.create({
    dataDir: opts.dataDir,
    loadDataDir: opts.loadDataDir,
    extensions: pgliteExtensions,
    parsers: { 1082: (v: string) => v, 20: (v: string) => Number(v), 1700: (v: string) => Number(v) },
  });
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite), plugins: opts.plugins });
  // Kysely's destroy() does nothing for a handle that never ran a query, so the engine is closed here too.
  const close = async () => {
    await db.destroy();
    if (!pglite.closed) await pglite.close();
  };
  return { db, kind: 'pglite', target: opts.dataDir ?? 'memory', close };
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres';
  }
}
