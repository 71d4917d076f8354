import { sql } from 'kysely';
import type { Db } from '../../../src/db/database.js';
import type { RunContext, UpsertCounts } from '../../../src/ingest/types.js';
import type { CompanyRef } from '../domain.js';

/** A validated CRM row: its own columns plus how it points at its company. */
export type CrmRow = CompanyRef & { source_key: string } & Record<string, unknown>;

const MATCH_COLUMNS = { given_cvr: 'text', company_name: 'text', municipality_code: 'text', cvr: 'text', problem: 'text' };

/**
 * One statement per batch: expands the rows, matches those without a valid CVR on name plus
 * municipality against the registry, and upserts. A row is matched only when exactly one company
 * fits; otherwise it is stored unmatched (cvr null) with the number of candidates, never dropped.
 *
 * This is the one place the CRM connector reads another schema: registry.company is the spine every
 * source is tied to, and resolving a company from its name is a lookup in it, not a copy of it.
 */
export async function upsertMatched(
  db: Db,
  table: string,
  columns: Record<string, string>,
  rows: CrmRow[],
  run: RunContext,
): Promise<UpsertCounts> {
  if (rows.length === 0) return { inserted: 0, updated: 0, unchanged: 0, touched: [] };
  const all = { source_key: 'text', ...columns, ...MATCH_COLUMNS };
  const own = Object.keys(columns);
  const recordType = Object.entries(all)
    .map(([c, t]) => `${c} ${t}`)
    .join(', ');
  const stored = [...own, 'given_cvr', 'company_name', 'municipality_code', 'problem', 'cvr', 'matched_by', 'name_candidates'];
  const setList = [...stored, 'run_id', 'changed_at'].map((c) => `${c} = excluded.${c}`).join(', ');
  const differs = `(${stored.map((c) => `t.${c}`).join(', ')}) IS DISTINCT FROM (${stored.map((c) => `excluded.${c}`).join(', ')})`;
  const r = await sql<{ inserted: number; updated: number; matched_by_name: number; unmatched: number; touched: string[] | null }>`
    WITH x AS (
      SELECT * FROM json_to_recordset(${JSON.stringify(rows)}::json) AS x(${sql.raw(recordType)})
    ), matched AS (
      -- Each row without a valid CVR looks its company up on the registry's normalised-name key (indexed with the
      -- municipality), not by a similarity search. Every later part reads this one list: joining two of the
      -- statement's lists to each other, the planner guesses one row for one of them and compares every pair.
      SELECT x.*, m.n,
             coalesce(x.cvr, CASE WHEN m.n = 1 THEN m.cvr END) AS match_cvr
      FROM x LEFT JOIN LATERAL (
        SELECT min(c.cvr) AS cvr, count(*)::int AS n
        FROM registry.company c
        WHERE c.municipality_code = x.municipality_code AND c.name_key = registry.name_key(x.company_name)
      ) m ON x.cvr IS NULL AND x.company_name IS NOT NULL AND x.municipality_code IS NOT NULL
    ), previous AS (
      -- A row re-matched to another company: the company it leaves is touched too.
      SELECT t.cvr FROM ${sql.raw(table)} t JOIN matched x USING (source_key)
      WHERE t.cvr IS NOT NULL AND t.cvr IS DISTINCT FROM x.match_cvr
    ), up AS (
      INSERT INTO ${sql.raw(table)} AS t (source_key, ${sql.raw(stored.join(', '))}, run_id, changed_at)
      SELECT x.source_key, ${sql.raw(own.map((c) => `x.${c}`).join(', '))}, x.given_cvr, x.company_name, x.municipality_code, x.problem,
             x.match_cvr,
             CASE WHEN x.cvr IS NOT NULL THEN 'CVR' WHEN x.n = 1 THEN 'NAME_AND_MUNICIPALITY' END,
             CASE WHEN x.cvr IS NULL THEN coalesce(x.n, 0) END,
             ${run.id}::int, now()
      FROM matched x
      ON CONFLICT (source_key) DO UPDATE SET ${sql.raw(setList)}
      WHERE ${sql.raw(differs)}
      RETURNING (xmax = 0) AS was_inserted, cvr, matched_by
    )
    SELECT count(*) FILTER (WHERE was_inserted)::int AS inserted,
           count(*) FILTER (WHERE NOT was_inserted)::int AS updated,
           (SELECT count(*) FROM matched WHERE cvr IS NULL AND n = 1)::int AS matched_by_name,
           (SELECT count(*) FROM matched WHERE cvr IS NULL AND n IS DISTINCT FROM 1)::int AS unmatched,
           (SELECT array_agg(DISTINCT v) FROM (SELECT cvr FROM up UNION SELECT cvr FROM previous) AS u(v) WHERE v IS NOT NULL) AS touched
    FROM up`.execute(db);
  const c = r.rows[0]!;
  // Counted over every row read, changed or not, so each run says how many rows still lack a company.
  if (c.matched_by_name) run.notes.matchedByName = (run.notes.matchedByName ?? 0) + c.matched_by_name;
  if (c.unmatched) run.notes.unmatched = (run.notes.unmatched ?? 0) + c.unmatched;
  return { inserted: c.inserted, updated: c.updated, unchanged: rows.length - c.inserted - c.updated, touched: c.touched ?? [] };
}
