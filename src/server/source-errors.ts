import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { connectors } from '../connectors.js';

/**
 * One connector's data that cannot be read (its Postgres schema's privileges revoked, a table renamed or
 * dropped under it) must not take the whole answer with it: the fields that connector resolves answer
 * null with SOURCE_UNAVAILABLE naming it, and every other field of the answer is intact. The same code
 * and `source` come through a gateway, where a subgraph that does not answer gives them too.
 */
export const SOURCE_UNAVAILABLE = 'SOURCE_UNAVAILABLE';

/** insufficient_privilege, undefined_table, invalid_schema_name, undefined_column: the tables are not readable. */
const UNREADABLE_SQLSTATE = new Set(['42501', '42P01', '3F000', '42703']);

const SOURCE = Symbol('indgang.source');

/** Whether an error (or one it wraps) says a table the query reads is not there or not readable. */
export function isSourceUnreadable(error: unknown): boolean {
  let e: unknown = error;
  for (let i = 0; i < 5 && e && typeof e === 'object'; i++) {
    const { code } = e as { code?: unknown };
    if (typeof code === 'string' && UNREADABLE_SQLSTATE.has(code)) return true;
    e = (e as { originalError?: unknown; cause?: unknown }).originalError ?? (e as { cause?: unknown }).cause;
  }
  return false;
}

let owners: Map<string, string> | undefined;

/** Which connector resolves `Type.field` (from each connector's resolver map). */
export function fieldOwner(type: string, field: string): string | undefined {
  if (!owners) {
    owners = new Map();
    for (const c of connectors) {
      for (const [typeName, fields] of Object.entries(c.resolvers as Record<string, unknown>)) {
        if (!fields || typeof fields !== 'object') continue;
        for (const fieldName of Object.keys(fields)) owners.set(`${typeName}.${fieldName}`, c.name);
      }
    }
  }
  return owners.get(`${type}.${field}`);
}

function sourceOf(error: unknown): string | undefined {
  let e: unknown = error;
  for (let i = 0; i < 5 && e && typeof e === 'object'; i++) {
    const source = (e as { [SOURCE]?: string })[SOURCE];
    if (source) return source;
    e = (e as { originalError?: unknown }).originalError;
  }
  return undefined;
}

export function sourceUnavailableError(source: string, reason = 'cannot be read right now'): GraphQLError {
  return new GraphQLError(`the ${source} data ${reason}; the rest of the answer is complete`, {
    extensions: { code: SOURCE_UNAVAILABLE, source },
  });
}

/** The client's form of an unreadable-source error: its path kept, nothing of the SQL or the database. */
export function formatSourceError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError | undefined {
  if (!isSourceUnreadable(error)) return undefined;
  const source = sourceOf(error) ?? 'hub';
  const e = sourceUnavailableError(source);
  return { message: e.message, locations: formatted.locations, path: formatted.path, extensions: { ...e.extensions } };
}

/**
 * Marks an unreadable-source error with the connector of the field it failed (a subgraph: itself, for
 * the federation entry points it does not own in a resolver map), for formatSourceError to name.
 * Called by the field guard (field-guard.ts) for every error a resolver throws or rejects with.
 */
export function tagSourceError(error: unknown, type: string, field: string, servedBy: string): void {
  if (!error || typeof error !== 'object' || !isSourceUnreadable(error) || sourceOf(error)) return;
  const source = fieldOwner(type, field) ?? (servedBy !== 'hub' ? servedBy : undefined);
  if (source) Object.defineProperty(error, SOURCE, { value: source, enumerable: false });
}
