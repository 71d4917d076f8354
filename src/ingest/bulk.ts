import { sql } from 'kysely';
import { textArray } from '../db/arrays.js';
import type { Db } from '../db/database.js';

/**
 * Loading into an empty table is much faster without its secondary indexes: maintaining a trigram
 * or GIN index row by row costs more than building it once from sorted data. For each empty table
 * this drops the indexes that back no constraint and returns their definitions, to be rebuilt by
 * `restoreIndexes` in the same transaction. Definitions come from the catalogue, so migrations stay
 * the only place that says which indexes exist.
 */
export async function deferIndexesIfEmpty(tx: Db, tables: string[]): Promise<string[]> {
  const deferred: string[] = [];
  for (const table of tables) {
    const [schema, name] = table.split('.');
    const empty = await sql<{ empty: boolean }>`SELECT NOT EXISTS (SELECT 1 FROM ${sql.table(table)}) AS empty`.execute(tx);
    if (!empty.rows[0]!.empty) continue;
    const indexes = await sql<{ schemaname: string; indexname: string; indexdef: string }>`
      SELECT i.schemaname, i.indexname, i.indexdef FROM pg_indexes i
      WHERE i.schemaname = ${schema} AND i.tablename = ${name}
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = (quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass)`.execute(
      tx,
    );
    for (const ix of indexes.rows) {
      await sql`DROP INDEX ${sql.id(ix.schemaname, ix.indexname)}`.execute(tx);
      deferred.push(ix.indexdef);
    }
  }
  return deferred;
}

export async function restoreIndexes(tx: Db, definitions: string[]): Promise<void> {
  if (definitions.length === 0) return;
  // A trigram or GIN index over a million rows builds several times faster when its sort fits in memory
  // (the default is 64 MB).
  await serverSetting(tx, 'maintenance_work_mem', '512MB');
  for (const def of definitions) await sql.raw(def).execute(tx);
}

/**
 * Memory for the sorts and hash joins of the statements over a whole large scope (a load's derivation, a rebuild):
 * with the default 4 MB each spills to disk in batches. It is per sort or hash step (a hash may take twice that,
 * hash_mem_multiplier), a statement has a few, and it holds for the rest of the transaction: at a million
 * companies the new profiles alone are 210 MB to sort.
 */
export async function bulkWorkMemory(tx: Db): Promise<void> {
  await serverSetting(tx, 'work_mem', '256MB');
}

/** On the server only, for this transaction: embedded PGlite's memory is this process's. */
async function serverSetting(tx: Db, name: string, value: string): Promise<void> {
  await sql`SELECT set_config(${name}, ${value}, true) WHERE version() NOT LIKE '%emscripten%' AND version() NOT LIKE '%wasm%'`.execute(tx);
}

/**
 * Statistics for tables a transaction changed in bulk, before it reads them again (the derivation that
 * follows a run, the next request): a planner that still believes a table is empty or a tenth of its size
 * scans it whole where an index would do (measured at 100,000 companies: deriving 100 companies took
 * 2.1 s on the statistics of before a load, 0.17 s after ANALYZE). Autovacuum gets there too, but only a
 * minute or more later, and not at all where it is off. A table is analysed when `changed` rows are at
 * least a tenth of what the statistics say it holds (and at least 1,000).
 */
export async function analyzeIfChangedInBulk(tx: Db, tables: readonly string[], changed: number): Promise<string[]> {
  if (changed < 1000 || tables.length === 0) return [];
  const r = await sql<{ name: string }>`
    SELECT t.name FROM unnest(${textArray(tables)}) AS t(name)
    WHERE ${changed} >= 0.1 * greatest((SELECT c.reltuples FROM pg_class c WHERE c.oid = t.name::regclass), 0)`.execute(tx);
  const names = r.rows.map((x) => x.name);
  await analyze(tx, names);
  return names;
}

/** Fresh planner statistics for these tables, inside the transaction (its own rows included). */
export async function analyze(tx: Db, tables: readonly string[]): Promise<void> {
  for (const name of tables) await sql`ANALYZE ${sql.table(name)}`.execute(tx);
}
