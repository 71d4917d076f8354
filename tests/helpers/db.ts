import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type DbHandle } from '../../src/db/database.js';
import { migrateAll } from '../../src/db/migrate.js';
import { allMigrations } from '../../src/connectors.js';

export interface DbTarget {
  name: 'pglite' | 'postgres';
}

/** Every suite runs on the embedded database, and on real Postgres when TEST_DATABASE_URL is set. */
export const dbTargets: DbTarget[] = [{ name: 'pglite' }, ...(process.env.TEST_DATABASE_URL ? [{ name: 'postgres' as const }] : [])];

/**
 * A freshly migrated, empty database: PGlite in memory, or a new database on the Postgres server
 * that is dropped again on close, so test files never see each other's rows.
 */
export async function freshDatabase(target: DbTarget): Promise<DbHandle> {
  if (target.name === 'pglite') {
    const handle = await openDatabase({});
    await migrateAll(handle.db, allMigrations);
    return handle;
  }
  const adminUrl = process.env.TEST_DATABASE_URL!;
  const name = `indgang_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ databaseUrl: url.toString(), poolSize: 4 });
  await migrateAll(handle.db, allMigrations);
  return {
    ...handle,
    async close() {
      await handle.close();
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      // The pool's end() resolves before its sockets have closed; a forced drop would cut them off mid-close
      // (an uncaught "terminating connection" on an orphaned client). Wait for the sessions to go first.
      for (let i = 0; i < 50; i++) {
        const open = await c.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [name]);
        if (open.rows[0].n === 0) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
