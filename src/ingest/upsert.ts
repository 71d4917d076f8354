import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../db/database.js';
import type { UpsertCounts } from './types.js';

export interface UpsertSpec {
  /** Schema-qualified table, e.g. "registry.company". */
  table: string;
  /** Conflict key columns. */
  key: string[];
  /** Data columns with their Postgres types, as named in the JSON rows. */
  columns: Record<string, string>;
  /** Extra columns set on insert and on change (SQL expressions). */
  stamp?: Record<string, RawBuilder<unknown>>;
  /**
   * Column whose values are returned for changed rows (usually the company CVR): the new value, and the
   * stored one when a row moves to another company, so both companies' derived data follow.
   */
  touched?: string;
  /**
   * Optional SQL condition (on `t` = stored row, `excluded` = incoming) that must hold for an update,
   * e.g. to keep an older record from overwriting a newer one.
   */
  updateWhen?: string;
}

/**
 * One set-based upsert for a batch: the rows travel as one JSON parameter, are expanded by
 * json_to_recordset, and are inserted or updated with ON CONFLICT. A row that is identical to
 * the stored one is left alone, so re-running a feed changes nothing.
 */
export async function upsertRows(db: Db, spec: UpsertSpec, rows: object[]): Promise<UpsertCounts> {
  if (rows.length === 0) return { inserted: 0, updated: 0, unchanged: 0, touched: [] };
  const cols = Object.keys(spec.columns);
  const dataCols = cols.filter((c) => !spec.key.includes(c));
  const stamp = spec.stamp ?? {};
  const stampCols = Object.keys(stamp);
  const recordType = cols.map((c) => `${q(c)} ${spec.columns[c]}`).join(', ');
  const insertCols = [...cols, ...stampCols].map(q).join(', ');
  const selectExprs = sql.join([...cols.map((c) => sql.raw(q(c))), ...stampCols.map((c) => stamp[c]!)]);
  const setList = sql.join([
    ...dataCols.map((c) => sql.raw(`${q(c)} = excluded.${q(c)}`)),
    ...stampCols.map((c) => sql`${sql.raw(q(c))} = excluded.${sql.raw(q(c))}`),
  ]);
  const differs = `(${dataCols.map((c) => `t.${q(c)}`).join(', ')}) IS DISTINCT FROM (${dataCols.map((c) => `excluded.${q(c)}`).join(', ')})`;
  const where = spec.updateWhen ? `${differs} AND (${spec.updateWhen})` : differs;
  const touched = spec.touched ? q(spec.touched) : 'NULL::text';
  const keyMatch = spec.key.map((k) => `t.${q(k)} = x.${q(k)}`).join(' AND ');
  // The stored value of rows whose touched column changes, read before the upsert in the same snapshot.
  const previous = spec.touched ? `SELECT t.${touched} FROM ${spec.table} t JOIN x ON ${keyMatch} WHERE t.${touched} IS DISTINCT FROM x.${touched}` : 'SELECT NULL::text WHERE false';
  const result = await sql<{ inserted: number; updated: number; touched: string[] | null }>`
    WITH x AS (
      SELECT * FROM json_to_recordset(${JSON.stringify(rows)}::json) AS x(${sql.raw(recordType)})
    ), previous AS (${sql.raw(previous)}
    ), up AS (
      INSERT INTO ${sql.raw(spec.table)} AS t (${sql.raw(insertCols)})
      SELECT ${selectExprs} FROM x
      ON CONFLICT (${sql.raw(spec.key.map(q).join(', '))}) DO UPDATE SET ${setList}
      WHERE ${sql.raw(where)}
      RETURNING (xmax = 0) AS was_inserted, ${sql.raw(touched)} AS touched
    )
    SELECT count(*) FILTER (WHERE was_inserted)::int AS inserted,
           count(*) FILTER (WHERE NOT was_inserted)::int AS updated,
           (SELECT array_agg(DISTINCT v) FROM (SELECT touched FROM up UNION SELECT * FROM previous) AS u(v) WHERE v IS NOT NULL) AS touched
    FROM up`.execute(db);
  const r = result.rows[0]!;
  return { inserted: r.inserted, updated: r.updated, unchanged: rows.length - r.inserted - r.updated, touched: r.touched ?? [] };
}

function q(ident: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(ident)) throw new Error(`unsafe identifier ${ident}`);
  return `"${ident}"`;
}
