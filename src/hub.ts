import fs from 'node:fs';
import lockfile from 'proper-lockfile';
import type { Config } from './config.js';
import { openDatabase, type DbHandle } from './db/database.js';
import { migrateAll } from './db/migrate.js';
import { allMigrations } from './connectors.js';

/** The embedded database's folder is locked by another process (a server, another command). */
export class HubInUse extends Error {}

/**
 * Opens the configured database (real Postgres with DATABASE_URL, else embedded PGlite in the data
 * folder) and brings every schema up to date. The embedded database has one writer: a lock on the
 * data folder turns a second process into a clear error instead of a corrupted folder.
 */
export async function openHub(
  config: Pick<Config, 'databaseUrl' | 'dataDir'> & Partial<Pick<Config, 'requestTimeoutMs' | 'dbConnectTimeoutMs' | 'preparedStatements'>>,
  opts: { memory?: boolean } = {},
): Promise<DbHandle> {
  let release: (() => Promise<void>) | undefined;
  if (!config.databaseUrl && !opts.memory) {
    fs.mkdirSync(config.dataDir, { recursive: true });
    try {
      release = await lockfile.lock(config.dataDir, { stale: 30_000, update: 10_000 });
    } catch {
      throw new HubInUse(
        `the embedded database in ${config.dataDir} is in use by another indgang process (stop it first, or set DATABASE_URL to share a Postgres server)`,
      );
    }
  }
  let handle: DbHandle;
  try {
    handle = await openDatabase({
      databaseUrl: config.databaseUrl,
      dataDir: opts.memory ? undefined : config.dataDir,
      connectTimeoutMs: config.dbConnectTimeoutMs,
      // No statement outlives the request deadline: Postgres cancels it (57014, answered as TIMEOUT).
      statementTimeoutMs: config.requestTimeoutMs,
      preparedStatements: config.preparedStatements,
    });
  } catch (e) {
    // A data folder PGlite cannot open must not stay locked for the next try; the open's fault is the one to report.
    await release?.().catch(() => {});
    throw e;
  }
  try {
    await migrateAll(handle.db, allMigrations);
  } catch (e) {
    await handle.close();
    await release?.();
    throw e;
  }
  return {
    ...handle,
    async close() {
      await handle.close();
      await release?.();
    },
  };
}
