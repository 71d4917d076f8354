import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../../../src/db/database.js';
import { copyInto, copyLine } from '../../../src/ingest/copy.js';

/** No profile yet (`p`, beside the register row `c`). */
const FRESH = sql`p.cvr IS NULL`;
/** No profile yet, or the register names another municipality than the profile. */
const MOVED = sql`p.cvr IS NULL OR p.municipality_code IS DISTINCT FROM c.municipality_code`;
// Set as the rows go in: an UPDATE of the whole scope afterwards took 6.2 s of a 1,000,000-company load.
const FLAGS = sql`${FRESH}, ${MOVED}`;

/**
 * The companies one derivation covers, as a temporary table every step joins: `touched` companies
 * had their own source data changed (their change sequence always moves); the others are derived
 * again because something they depend on changed (a balance, the date) and move only if their
 * derived data differs. `fresh` companies have no profile yet (the register had not named them when
 * their other data arrived): every timeline source is derived for them. `moved` companies changed
 * municipality, which renames their jobcentre. Only registry companies are derived: the others have
 * no Company to show it on.
 */
export async function createScope(
  tx: Db,
  touched: readonly string[],
  related: RawBuilder<unknown> | null,
  { large }: { large: boolean },
): Promise<Scope> {
  await newScopeTable(tx);
  // Two inserts, not one over a UNION ALL of both lists: the planner cannot count the groups of such a union
  // (it guesses 200), and at a million companies it then probed the register once per company (15.4 s of a
  // 1,000,000-company load; 3.5 s with the counted list below and hash joins).
  await sql`
    INSERT INTO insights_scope (cvr, touched, fresh, moved)
    SELECT c.cvr, true, ${FLAGS}
    FROM (${await companyList(tx, touched, large)}) AS t(cvr)
    JOIN registry.company c ON c.cvr = t.cvr
    LEFT JOIN insights.company_profile p ON p.cvr = c.cvr`.execute(tx);
  if (related) {
    await sql`
      INSERT INTO insights_scope (cvr, touched, fresh, moved)
      SELECT c.cvr, false, ${FLAGS}
      FROM (SELECT DISTINCT r.cvr FROM (${related}) AS r(cvr)) t
      JOIN registry.company c ON c.cvr = t.cvr
      LEFT JOIN insights.company_profile p ON p.cvr = c.cvr
      ON CONFLICT (cvr) DO NOTHING`.execute(tx);
  }
  return finishScope(tx);
}

/**
 * The CVRs, each once, as a relation to select from. A short list is an array parameter: the planner takes an
 * unnested array for a handful of rows and probes the register's key for each, which suits a few. The
 * list of a large derivation (a load) is copied into a temporary table and counted, so the planner joins
 * it whole.
 */
async function companyList(tx: Db, named: readonly string[], large: boolean): Promise<RawBuilder<unknown>> {
  // Each company once, here rather than by a DISTINCT in SQL: at a million companies the scope's statement took
  // 4.2-4.4 s with it (its hash aggregate alone 1 s), 1.8 s without.
  const cvrs = [...new Set(named)];
  if (!large) return sql`SELECT unnest(${cvrs}::text[])`;
  await sql`DROP TABLE IF EXISTS pg_temp.insights_touched`.execute(tx);
  await sql`CREATE TEMP TABLE insights_touched (cvr text NOT NULL) ON COMMIT DROP`.execute(tx);
  await copyInto(
    tx,
    'pg_temp.insights_touched',
    ['cvr'],
    cvrs.map((cvr) => copyLine({ cvr }, ['cvr'])),
  );
  await sql`ANALYZE insights_touched`.execute(tx);
  return sql`SELECT cvr FROM insights_touched`;
}

/** A scope of every registry company (rebuild) or of those whose facts went stale with the date (refresh). */
export async function createScopeOf(tx: Db, companies: RawBuilder<unknown>): Promise<Scope> {
  await newScopeTable(tx);
  // A company the register does not know (a profile left by one it dropped) is neither fresh nor moved.
  await sql`
    INSERT INTO insights_scope (cvr, touched, fresh, moved)
    SELECT x.cvr, false, c.cvr IS NOT NULL AND (${FRESH}), c.cvr IS NOT NULL AND (${MOVED})
    FROM (${companies}) AS x(cvr)
    LEFT JOIN registry.company c ON c.cvr = x.cvr
    LEFT JOIN insights.company_profile p ON p.cvr = c.cvr`.execute(tx);
  return finishScope(tx);
}

/** How many companies a scope holds, and how many register companies of them had no profile when it was made. */
export interface Scope {
  size: number;
  fresh: number;
}

/** An empty scope table; a transaction may derive more than once. */
async function newScopeTable(tx: Db): Promise<void> {
  await sql`DROP TABLE IF EXISTS pg_temp.insights_scope`.execute(tx);
  await sql`CREATE TEMP TABLE insights_scope (cvr text PRIMARY KEY, touched boolean NOT NULL, fresh boolean NOT NULL DEFAULT false, moved boolean NOT NULL DEFAULT false) ON COMMIT DROP`.execute(
    tx,
  );
}

async function finishScope(tx: Db): Promise<Scope> {
  // Statistics first, even for one company: without them the planner guesses a large scope and scans
  // whole source tables (measured: 420 ms for a one-company derivation at 100,000 companies, about 45 ms with).
  await sql`ANALYZE insights_scope`.execute(tx);
  const r = await sql<Scope>`SELECT count(*)::int AS size, (count(*) FILTER (WHERE fresh))::int AS fresh FROM insights_scope`.execute(tx);
  return r.rows[0]!;
}
