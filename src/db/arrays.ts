import { sql, type RawBuilder } from 'kysely';

/** A JS array bound as one text[] value, typed as such (no guessing by the driver from its first element). */
export function textArray(values: readonly string[]): RawBuilder<string[]> {
  return sql<string[]>`${[...values]}::text[]`;
}

/**
 * `any(<values>::text[])` for `eb(column, '=', anyText(values))`: the whole list binds as one array
 * parameter, so a batch of thousands stays one parameter and one statement text (an IN list binds one
 * parameter per value).
 */
export function anyText(values: readonly string[]): RawBuilder<string> {
  return sql<string>`any(${textArray(values)})`;
}
