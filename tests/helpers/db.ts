import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase, type DbHandle } from '../../src/db/database.js';
import { dropWhenIdle } from './pg-admin.js';

export interface DbTarget {
  name: 'pglite' | 'postgres';
}

/** Every suite runs on the embedded database, and on real Postgres when TEST_DATABASE_URL is set. */
export const dbTargets: DbTarget[] = [{ name: 'pglite' }, ...(process.env.TEST_DATABASE_URL ? [{ name: 'postgres' as const }] : [])];

/**
 * A freshly migrated, empty database: PGlite in memory, or a new database on the Postgres server
 * that is dropped again on close, so test files never see each other's rows. Both are copies of the
 * template the run migrated once (tests/helpers/global-setup.ts) rather than migrated here.
 */
export async function freshDatabase(target: DbTarget): Promise<DbHandle> {
  if (target.name === 'pglite') {
    const tarball = inject('pgliteTemplate');
    return openDatabase({ loadDataDir: new Blob([fs.readFileSync(tarball)]) });
  }
  const template = inject('postgresTemplate');
  if (!template) throw new Error('no Postgres template: TEST_DATABASE_URL was not set when the test run started');
  const adminUrl = process.env.TEST_DATABASE_URL!;
  const name = `indgang_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ databaseUrl: url.toString(), poolSize: 4 });
  return {
    ...handle,
    async close() {
      await handle.close();
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await dropWhenIdle(c, name);
      await c.end();
    },
  };
}

/**
 * Fills an empty data folder for a CLI process's embedded database with the run's migrated template,
 * so the process skips creating and migrating a database (its own migration run finds nothing to do).
 */
export function migratedDataDir(dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  execFileSync('tar', ['-xf', inject('pgliteTemplate'), '-C', dir], { stdio: 'ignore' });
  return dir;
}
