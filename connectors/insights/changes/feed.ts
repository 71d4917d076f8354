import { sql } from 'kysely';
import type { Db } from '../../../src/db/database.js';
import { badInput } from '../../../src/graphql/errors.js';
import { SECTIONS, type Section } from './sections.js';

export const MAX_CHANGES_PAGE = 1000;

export interface ChangeRow {
  cvr: string;
  sequence: string;
  changedAt: Date;
  sections: Section[];
}

const order = (s: readonly string[]) => SECTIONS.filter((x) => s.includes(x));

/**
 * One page of the change feed in one statement: the companies whose change sequence is above `last`
 * (company_profile's change_seq index), each with the sections recorded for its numbers above `from`
 * (company_change's (cvr, seq) index).
 */
export async function readChanges(db: Db, from: bigint, last: bigint, limit: number, filter: { municipality?: string | null; sections?: readonly string[] | null } = {}): Promise<ChangeRow[]> {
  const municipality = filter.municipality ? sql`AND p.municipality_code = ${filter.municipality}` : sql``;
  const rows = await sql<{ cvr: string; seq: string; changed_at: Date; sections: string[] | null }>`
    SELECT p.cvr, p.change_seq::text AS seq, p.changed_at,
      ARRAY(SELECT DISTINCT x FROM insights.company_change l, unnest(l.sections) AS x WHERE l.cvr = p.cvr AND l.seq > ${String(from)}::bigint) AS sections
    FROM insights.company_profile p
    WHERE p.change_seq > ${String(last)}::bigint ${municipality}
    ORDER BY p.change_seq
    LIMIT ${limit}`.execute(db);
  const wanted = filter.sections?.length ? filter.sections : null;
  return rows.rows
    .map((r) => ({ cvr: r.cvr, sequence: String(r.seq), changedAt: r.changed_at, sections: order(r.sections ?? []) }))
    .filter((r) => !wanted || r.sections.some((s) => wanted.includes(s)));
}

/** The feed's cursor: the page's starting number and the last number read, base64url of JSON. */
export function encodeChangeCursor(from: bigint, last: string): string {
  return Buffer.from(JSON.stringify([String(from), last])).toString('base64url');
}

export function decodeChangeCursor(cursor: string): { from: bigint; last: bigint } {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    // Sequence numbers are Postgres bigints: a larger number is no cursor this feed handed out.
    if (Array.isArray(key) && key.length === 2 && key.every((k) => typeof k === 'string' && /^\d{1,19}$/.test(k) && BigInt(k) <= 9223372036854775807n)) {
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
