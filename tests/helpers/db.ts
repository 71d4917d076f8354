import { createScratchDatabase } from '../../bench/databases.js';
import { openDatabase, type DbHandle } from '../../src/db/database.js';
import { migrateAll } from '../../src/db/migrate.js';
import { allMigrations } from '../../src/connectors.js';

export interface DbTarget {
  name: 'pglite' | 'postgres';
}

/** Every suite runs on the embedded database, and on real Postgres when TEST_DATABASE_URL is set. */
export const dbTargets: DbTarget[] = [{ name: 'pglite' }, ...(process.env.TEST_DATABASE_URL ? [{ name: 'postgres' as const }] : [])];

/** A test database; on Postgres with its URL (for what connects on its own, like pg-boss). */
export type TestDb = DbHandle & { url?: string };

/**
 * A freshly migrated, empty database: PGlite in memory, or a new database on the Postgres server
 * that is dropped again on close, so test files never see each other's rows.
 */
export async function freshDatabase(target: DbTarget): Promise<TestDb> {
  if (target.name === 'pglite') {
    const handle = await openDatabase({});
    await migrateAll(handle.db, allMigrations);
    return handle;
  }
  const scratch = await createScratchDatabase(process.env.TEST_DATABASE_URL!, 'indgang_test');
  const handle = await openDatabase({ databaseUrl: scratch.url, poolSize: 4 });
  await migrateAll(handle.db, allMigrations);
  return {
    ...handle,
    url: scratch.url,
    async close() {
      await handle.close();
      await scratch.drop();
    },
  };
}
