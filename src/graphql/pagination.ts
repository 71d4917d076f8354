import { createHmac, timingSafeEqual } from 'node:crypto';
import { badInput } from './errors.js';

export const MAX_PAGE = 100;

/** Validates `first` (0..100) and returns it; a larger value is an error, never a silent cut. */
export function pageSize(first: number | null | undefined, fallback = 20, argument = 'first'): number {
  const n = first ?? fallback;
  if (!Number.isInteger(n) || n < 0 || n > MAX_PAGE) throw badInput(argument, `must be between 0 and ${MAX_PAGE}, got ${n}`);
  return n;
}

/**
 * A check on every cursor, so one the hub did not hand out (garbage, edited, cut short) is refused before
 * its key reaches SQL. It is a checksum, not a secret: a cursor only says where a page starts, and any
 * key a client could craft past it still meets the database's type checks (answered BAD_USER_INPUT too).
 */
const CURSOR_CHECK_KEY = 'indgang cursor v1';
const CHECK_BYTES = 8;

function check(payload: Buffer): Buffer {
  return createHmac('sha256', CURSOR_CHECK_KEY).update(payload).digest().subarray(0, CHECK_BYTES);
}

/** Cursors are opaque to clients: base64url of the JSON sort key of the last row, then its check. */
export function encodeCursor(key: unknown[]): string {
  const payload = Buffer.from(JSON.stringify(key));
  return Buffer.concat([payload, check(payload)]).toString('base64url');
}

export function decodeCursor(cursor: string | null | undefined, arity: number, argument = 'after'): unknown[] | null {
  if (cursor == null) return null;
  try {
    const bytes = Buffer.from(cursor, 'base64url');
    const payload = bytes.subarray(0, bytes.length - CHECK_BYTES);
    const given = bytes.subarray(bytes.length - CHECK_BYTES);
    if (bytes.length > CHECK_BYTES && bytes.toString('base64url') === cursor && timingSafeEqual(given, check(payload))) {
      const key = JSON.parse(payload.toString('utf8'));
      if (Array.isArray(key) && key.length === arity) return key;
    }
  } catch {
    // fall through to the error below
  }
  throw badInput(argument, 'is not a cursor returned by this connection');
}

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount?: number;
}

/** A connection whose total is counted only when a client asks for totalCount. */
export interface CountedConnection<T> extends Connection<T> {
  count: () => Promise<number>;
}

/**
 * An edge whose cursor is made only when a client asks for it (or for pageInfo's start or end): most lists
 * are read without cursors, and a cursor costs a JSON text, an HMAC and a base64 text per row.
 */
class Edge<T> {
  #cursor: string | undefined;
  constructor(
    private readonly key: unknown[],
    readonly node: T,
  ) {}
  get cursor(): string {
    return (this.#cursor ??= encodeCursor(this.key));
  }
}

/** Builds a forward connection from `first + 1` fetched rows. */
export function connectionFrom<R, T>(
  rows: R[],
  first: number,
  hadCursor: boolean,
  key: (r: R) => unknown[],
  node: (r: R) => T,
): Connection<T> {
  const page = rows.slice(0, first);
  const edges = page.map((r) => new Edge(key(r), node(r)));
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > first,
      hasPreviousPage: hadCursor,
      get startCursor() {
        return edges[0]?.cursor ?? null;
      },
      get endCursor() {
        return edges.at(-1)?.cursor ?? null;
      },
    },
  };
}

/** Global object ids: base64url of "Type:key". */
export function toGlobalId(type: string, key: string): string {
  return Buffer.from(`${type}:${key}`).toString('base64url');
}

export function fromGlobalId(id: string): { type: string; key: string } | null {
  const text = Buffer.from(id, 'base64url').toString('utf8');
  const i = text.indexOf(':');
  return i > 0 ? { type: text.slice(0, i), key: text.slice(i + 1) } : null;
}
