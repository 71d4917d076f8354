import { Migrator, sql, type Kysely, type Migration } from 'kysely';

/** A Postgres schema with its own frozen migrations, in name order. */
export interface SchemaMigrations {
  schema: string;
  migrations: Record<string, Migration>;
}

/**
 * Brings every schema up to date. Each schema keeps its own migration table inside itself,
 * so connectors migrate independently and re-running is a no-op.
 */
export async function migrateAll(db: Kysely<any>, all: SchemaMigrations[]): Promise<void> {
  // On one connection without the pool's per-request statement_timeout: a migration over a national-scale
  // table (an index, a new column) takes longer than a request may, and must not be cancelled half-way.
  await db.connection().execute(async (conn) => {
    await sql`SET statement_timeout = 0`.execute(conn);
    try {
      await migrateEach(conn, all);
    } finally {
      await sql`RESET statement_timeout`.execute(conn);
    }
  });
}

async function migrateEach(db: Kysely<any>, all: SchemaMigrations[]): Promise<void> {
  for (const { schema, migrations } of all) {
    const migrator = new Migrator({
      db,
      provider: { getMigrations: async () => migrations },
      migrationTableSchema: schema,
      migrationTableName: 'kysely_migration',
      migrationLockTableName: 'kysely_migration_lock',
    });
    const { error, results } = await migrator.migrateToLatest();
    const failed = results?.find((r) => r.status === 'Error');
    if (error || failed) {
      const cause = error instanceof Error ? error.message : String(error ?? '');
      throw new Error(`migration of schema "${schema}" failed${failed ? ` at ${failed.migrationName}` : ''}: ${cause}`);
    }
  }
}
