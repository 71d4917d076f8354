import { sql, type RawBuilder } from 'kysely';

/** A JS array bound as one text[] value, typed as such (no guessing by the driver from its first element). */
export function textArray(values: readonly string[]): RawBuilder<string[]> {
  return sql<string[]>`${[...values]}::text[]`;
}

/**
 * `any(<values>::text[])` for `eb(column, '=', anyText(values))`: the whole list binds as one array
 * parameter, so a batch of thousands stays one parameter and one statement text (an IN list binds one
 * parameter per value); a single value binds as itself.
 */
export function anyText(values: readonly string[]): RawBuilder<string> {
  // One value is that value: for "= any($1)" Postgres's generic plan assumes an array of many, so a prepared
  // statement asked for one key (a company view's evidence) was planned anew on every call.
  if (values.length === 1) return sql<string>`${values[0]}::text`;
  return sql<string>`any(${textArray(values)})`;
}
