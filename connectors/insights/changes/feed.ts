import { sql } from 'kysely';
import type { Db } from '../../../src/db/database.js';
import { badInput } from '../../../src/graphql/errors.js';
import { settledBelow } from './order.js';
import { SECTIONS, type Section } from './sections.js';

export const MAX_CHANGES_PAGE = 1000;

export interface ChangeRow {
  cvr: string;
  sequence: string;
  changedAt: Date;
  sections: Section[];
}

const order = (s: readonly string[]) => SECTIONS.filter((x) => s.includes(x));

export interface ChangeFilter {
  municipality?: string | null;
  sections?: readonly string[] | null;
}

/** The statement of one page of readChanges (tests EXPLAIN it). */
export function changesStatement(from: bigint, last: bigint, limit: number, filter: ChangeFilter = {}) {
  const municipality = filter.municipality ? sql`AND p.municipality_code = ${filter.municipality}` : sql``;
  // The sections filter tests the sections the row already computes. OFFSET 0 keeps the inner query a
  // fence: the planner cannot turn the filter into a join over all of company_change, so the page is
  // still read in change_seq order and stops at the limit.
  const wanted = filter.sections?.length ? sql`WHERE c.sections && ${[...filter.sections]}::text[]` : sql``;
  return sql<{ cvr: string; seq: string; changed_at: Date; sections: string[] | null }>`
    SELECT c.cvr, c.change_seq::text AS seq, c.changed_at, c.sections FROM (
      SELECT p.cvr, p.change_seq, p.changed_at,
        ARRAY(SELECT DISTINCT x FROM insights.company_change l, unnest(l.sections) AS x WHERE l.cvr = p.cvr AND l.seq > ${String(from)}::bigint) AS sections
      FROM insights.company_profile p
      WHERE p.change_seq > ${String(last)}::bigint AND ${settledBelow(sql`p.change_seq`)} ${municipality}
      ORDER BY p.change_seq OFFSET 0
    ) c ${wanted}
    ORDER BY c.change_seq
    LIMIT ${limit}`;
}

/**
 * One page of the change feed in one statement: the companies whose change sequence is above `last`
 * (company_profile's change_seq index, or its (municipality_code, change_seq) index with a municipality),
 * each with the sections recorded for its numbers above `from` (company_change's (cvr, seq) index). It stops below a number that a writer still running may come before
 * (changes/order.ts), so a reader that has read up to N never meets a smaller number later. With
 * `sections`, only companies with a change in one of them since `from` are listed; the filter is in the
 * statement, so a page still holds `limit` rows when there are that many.
 */
export async function readChanges(db: Db, from: bigint, last: bigint, limit: number, filter: ChangeFilter = {}): Promise<ChangeRow[]> {
  const rows = await changesStatement(from, last, limit, filter).execute(db);
  return rows.rows.map((r) => ({ cvr: r.cvr, sequence: String(r.seq), changedAt: r.changed_at, sections: order(r.sections ?? []) }));
}

/** A municipality filter's value, checked: 3 digits. */
export function municipalityFilter(m: string | null | undefined): string | null {
  if (m == null) return null;
  if (!/^\d{3}$/.test(m)) throw badInput('municipality', 'is a municipality code of 3 digits, e.g. "657"');
  return m;
}

/** The feed's cursor: the page's starting number and the last number read, base64url of JSON. */
export function encodeChangeCursor(from: bigint, last: string): string {
  return Buffer.from(JSON.stringify([String(from), last])).toString('base64url');
}

export function decodeChangeCursor(cursor: string): { from: bigint; last: bigint } {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    // Sequence numbers are Postgres bigints: a larger number is no cursor this feed handed out.
    if (
      Array.isArray(key) &&
      key.length === 2 &&
      key.every((k) => typeof k === 'string' && /^\d{1,19}$/.test(k) && BigInt(k) <= 9223372036854775807n)
    ) {
      return { from: BigInt(key[0]), last: BigInt(key[1]) };
    }
  } catch {
    // fall through
  }
  throw badInput('after', 'is not a cursor returned by companyChanges');
}

export function changesPageSize(first: number | null | undefined): number {
  const n = first ?? 100;
  if (!Number.isInteger(n) || n < 0 || n > MAX_CHANGES_PAGE) throw badInput('first', `must be between 0 and ${MAX_CHANGES_PAGE}, got ${n}`);
  return n;
}
