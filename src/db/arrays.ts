import { sql, type RawBuilder } from 'kysely';

/**
 * `any(<values>::text[])` for `eb(column, '=', anyText(values))`: the whole list binds as one array
 * parameter, so a batch of thousands stays one parameter and one statement text (an IN list binds one
 * parameter per value).
 */
export function anyText(values: readonly string[]): RawBuilder<string> {
  return sql<string>`any(${[...values]}::text[])`;
}
