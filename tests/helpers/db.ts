import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { inject, onTestFinished } from 'vitest';
import { createScratchDatabase } from '../../bench/databases.js';
import { openDatabase, type DbHandle } from '../../src/db/database.js';

export interface DbTarget {
  name: 'pglite' | 'postgres';
}

/** Every suite runs on the embedded database, and on real Postgres when TEST_DATABASE_URL is set. */
export const dbTargets: DbTarget[] = [{ name: 'pglite' }, ...(process.env.TEST_DATABASE_URL ? [{ name: 'postgres' as const }] : [])];

/** A test database; on Postgres with its URL (for what connects on its own, like pg-boss). */
export type TestDb = DbHandle & { url?: string };

/** The run's PGlite template, read once per worker (workers do not isolate test files). */
let pgliteTemplate: Blob | undefined;

/**
 * A freshly migrated, empty database: PGlite in memory, or a new database on the Postgres server
 * that is dropped again on close, so test files never see each other's rows. Both are copies of the
 * template the run migrated once (tests/helpers/global-setup.ts) rather than migrated here.
 */
export async function freshDatabase(target: DbTarget): Promise<TestDb> {
  if (target.name === 'pglite') {
    pgliteTemplate ??= new Blob([fs.readFileSync(inject('pgliteTemplate'))]);
    return openDatabase({ loadDataDir: pgliteTemplate });
  }
  const template = inject('postgresTemplate');
  if (!template) throw new Error('no Postgres template: TEST_DATABASE_URL was not set when the test run started');
  const scratch = await createScratchDatabase(process.env.TEST_DATABASE_URL!, 'indgang_test', template);
  const handle = await openDatabase({ databaseUrl: scratch.url, poolSize: 4 });
  return {
    ...handle,
    url: scratch.url,
    async close() {
      await handle.close();
      await scratch.drop();
    },
  };
}

/**
 * A fresh database for the running test alone, closed when the test finishes: for a test that changes
 * what other tests of its file read, or reads what they change, so that it passes in any order and alone.
 * Call it inside the test; `load` fills it with what the test reads.
 */
export async function ownDatabase(target: DbTarget, load?: (h: TestDb) => Promise<unknown>): Promise<TestDb> {
  const h = await freshDatabase(target);
  onTestFinished(() => h.close());
  await load?.(h);
  return h;
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
