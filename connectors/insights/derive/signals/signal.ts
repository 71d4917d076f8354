import { sql, type RawBuilder } from 'kysely';
import type { SignalKind } from '../../domain.js';
import type { DeriveContext } from '../context.js';
import type { TableInput } from '../inputs.js';

/** A named subquery of the signals statement. Signals that share one name the same object, and it is written once. */
export interface Cte {
  name: string;
  /** Keep Postgres from inlining it into each place that reads it (when it is costly and read per row). */
  materialized?: boolean;
  query(c: DeriveContext): RawBuilder<unknown>;
}

/**
 * One signal: the rows it derives for the scope, the subqueries those rows read, and how its message is
 * written from the facts stored with each row.
 */
export interface Signal {
  kind: SignalKind;
  /** The subqueries `rows` reads, each after those it reads itself. */
  with: readonly Cte[];
  /** Companies a run changing one of these tables affects through this signal without naming them. */
  inputs?: readonly TableInput[];
  /** SELECT of (cvr, kind, severity, since, facts, evidence): one row per company it fires for, evidence as [{type, key}]. */
  rows(c: DeriveContext): RawBuilder<unknown>;
  message(facts: Record<string, any>): string;
}

/** The subqueries of the signals, each once, in an order where each comes after those it reads. */
export function ctesOf(signals: readonly Signal[]): Cte[] {
  const out: Cte[] = [];
  for (const s of signals) for (const cte of s.with) if (!out.includes(cte)) out.push(cte);
  const names = new Set(out.map((x) => x.name));
  if (names.size !== out.length) throw new Error(`two different subqueries share a name: ${out.map((x) => x.name).join(', ')}`);
  return out;
}

/** All the signals' rows in one INSERT … SELECT: one statement whatever the number of signals and companies. */
export function signalsStatement(c: DeriveContext, signals: readonly Signal[]): RawBuilder<unknown> {
  const ctes = ctesOf(signals).map((x) => sql`${sql.id(x.name)} AS ${x.materialized ? sql`MATERIALIZED ` : sql``}(${x.query(c)})`);
  const rows = sql.join(
    signals.map((s) => s.rows(c)),
    sql`\n    UNION ALL\n`,
  );
  return sql`
    WITH ${sql.join(ctes, sql`,\n`)}
    INSERT INTO insights.signal (cvr, kind, severity, since, facts, evidence)
    ${rows}`;
}
