import { Migrator, sql, type Kysely, type Migration } from 'kysely';
import { textArray } from './arrays.js';

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
    if (await upToDate(conn, all)) return;
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

/**
 * Whether every schema has applied exactly the migrations the code lists: then there is nothing to do,
 * and two statements say so where the migrators take a dozen each with their locks (measured on an
 * embedded database at each start: 1.3-2.0 s for all schemas, the largest part of a later `npm start`).
 * Any difference (a new migration, a table missing, one the code does not know) goes the full way,
 * where the migrators lock, apply, or refuse as before.
 */
async function upToDate(db: Kysely<any>, all: SchemaMigrations[]): Promise<boolean> {
  const schemas = all.map((a) => a.schema);
  const present = await sql<{ schema: string }>`
    SELECT table_schema AS schema FROM information_schema.tables
    WHERE table_name = 'kysely_migration' AND table_schema = ANY(${textArray(schemas)})`.execute(db);
  if (present.rows.length !== new Set(schemas).size) return false;
  const applied = await sql<{ schema: string; name: string }>`${sql.join(
    schemas.map((s) => sql`SELECT ${s}::text AS schema, name FROM ${sql.table(`${s}.kysely_migration`)}`),
    sql` UNION ALL `,
  )}`.execute(db);
  const key = (schema: string, name: string) => `${schema}\0${name}`;
  const expected = new Set(all.flatMap((a) => Object.keys(a.migrations).map((n) => key(a.schema, n))));
  const found = new Set(applied.rows.map((r) => key(r.schema, r.name)));
  return found.size === expected.size && [...expected].every((k) => found.has(k));
}
