import { Migrator, type Kysely, type Migration } from 'kysely';

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
