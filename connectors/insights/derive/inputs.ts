import { sql, type RawBuilder } from 'kysely';
import type { CompanyChange } from '../../../src/changes.js';
import type { DeriveContext } from './context.js';

/**
 * What a run that changed one table means for companies it does not name: they are derived again with
 * the companies it does name. Declared beside the step or signal that reads the table; a source says
 * which tables it fills (`IngestSource.tables`), so insights needs no source's name.
 */
export interface TableInput {
  /** A table some source fills, e.g. "jobcentre.balance". */
  table: string;
  /** The companies to derive again (a SELECT of cvr), or null when this change concerns none. */
  companies(c: DeriveContext, change: CompanyChange): RawBuilder<unknown> | null;
}

/** The run id the rows a change inserted or changed carry; -1 (no row) for a change that is no run, like a contact write. */
export const runOf = (change: CompanyChange) => change.runId ?? -1;

/** Whether this run changed a row of the table. */
export const changedBy = (table: string, change: CompanyChange) =>
  sql`EXISTS (SELECT 1 FROM ${sql.table(table)} WHERE run_id = ${runOf(change)})`;

/** The inputs of the tables a change's source fills, each subquery once. */
export function inputsOf(
  inputs: readonly TableInput[],
  tables: readonly string[],
  c: DeriveContext,
  change: CompanyChange,
): RawBuilder<unknown>[] {
  const wanted = new Set(inputs.filter((i) => tables.includes(i.table)).map((i) => i.companies));
  return [...wanted].map((f) => f(c, change)).filter((r): r is RawBuilder<unknown> => r !== null);
}
