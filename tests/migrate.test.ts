import { sql, type Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { allMigrations } from '../src/connectors.js';
import { StatementCounter } from '../src/db/counting.js';
import { migrateAll, type SchemaMigrations } from '../src/db/migrate.js';
import { dbTargets, freshDatabase, type TestDb } from './helpers/db.js';

/** A schema of this test's own with one migration, added to the app's list. */
const extra: SchemaMigrations = {
  schema: 'migrate_test',
  migrations: {
    '0001_thing': {
      async up(db: Kysely<any>) {
        await sql`CREATE SCHEMA IF NOT EXISTS migrate_test`.execute(db);
        await sql`CREATE TABLE migrate_test.thing (id int PRIMARY KEY)`.execute(db);
      },
    },
  },
};

describe.each(dbTargets)('migrating on $name', (target) => {
  let h: TestDb;
  beforeEach(async () => {
    h = await freshDatabase(target);
  });
  afterEach(() => h?.close());

  const counted = async (list: SchemaMigrations[]) => {
    const counter = new StatementCounter();
    await migrateAll(h.db.withPlugin(counter), list);
    return counter.count;
  };

  it('sees in two statements that a migrated database is up to date', async () => {
    expect(await counted(allMigrations)).toBe(2);
  });

  it('applies a migration the database lacks, and is then up to date again', async () => {
    expect(await counted([...allMigrations, extra])).toBeGreaterThan(2);
    await sql`INSERT INTO migrate_test.thing VALUES (1)`.execute(h.db);
    expect(await counted([...allMigrations, extra])).toBe(2);
  });

  it('refuses a database with a migration the code does not know, as before', async () => {
    await migrateAll(h.db, [...allMigrations, extra]);
    await expect(migrateAll(h.db, [...allMigrations, { ...extra, migrations: {} }])).rejects.toThrow(
      /migration of schema "migrate_test" failed/,
    );
  });
});
