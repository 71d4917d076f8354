import { sql, type RawBuilder } from 'kysely';

/**
 * The change feed must never pass a number that a transaction still running will commit later: a sync job
 * that has read up to N must not meet a smaller number afterwards. Writers used to take turns on a lock from
 * their first number to their commit; under load every write queued there. Now writers never wait for each
 * other, and readers stop below the numbers that could still be overtaken:
 *
 * 1. A writer registers before it takes its first number: a shared advisory lock keyed by its transaction id,
 *    held until it commits or rolls back (`register`).
 * 2. Right after taking its numbers, it stores with them the writers registered at that moment (`waiting`):
 *    any writer with a smaller number took it earlier, so it registered earlier and is listed, unless it has
 *    already committed (and then it is visible to whoever sees this number).
 * 3. A reader, in the same statement as its page, finds the smallest number whose listed writers are not all
 *    finished in its snapshot (`settledBelow`) and reads only below it. Every visible number above a running
 *    writer's number lists that writer, so the page stops below the running writer's number.
 *
 * The sequence has no per-session cache (migration 0004), so numbers follow the order nextval is called.
 */

// Registration keys: this tag plus the transaction id, clear of the app's other advisory keys (hashtext values
// and small ids have 0 or 0xFFFFFFFF as their high 32 bits; these have 0x2000_0000 and up).
const TAG = sql`(1::bigint << 61)`;
const TAG_CLASS_MIN = 0x2000_0000;
const TAG_CLASS_END = 0x4000_0000;

/** Step 1, before the transaction's first number: one statement, held until the transaction ends. */
export const register = () => sql`SELECT pg_advisory_xact_lock_shared(${TAG} + pg_current_xact_id()::text::bigint)`;

/**
 * Step 2: a subquery (one row, `xids`, ascending; null when there are none) naming the other writers registered
 * once every number of the data-modifying subquery `numbered` has been taken: the count reads all its rows
 * first, and the lock list, which refers to the count, is read after it.
 */
export const waiting = (numbered: string): RawBuilder<unknown> => sql`
    SELECT (
      SELECT array_agg((((l.classid::bigint << 32) | l.objid::bigint) - ${TAG})::text::xid8 ORDER BY l.classid, l.objid)
      FROM pg_locks l
      WHERE a.n > 0 AND l.locktype = 'advisory' AND l.objsubid = 1 AND l.granted AND l.pid <> pg_backend_pid()
        AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
        AND l.classid::bigint >= ${TAG_CLASS_MIN} AND l.classid::bigint < ${TAG_CLASS_END}
    ) AS xids
    FROM (SELECT count(*) AS n FROM ${sql.table(numbered)}) a`;

/**
 * Step 3: a condition on a change number column: true for numbers below the first one some writer still
 * running (in this statement's snapshot) may come before.
 */
export const settledBelow = (seq: RawBuilder<unknown>) => sql`${seq} < coalesce((
    SELECT min(c.seq) FROM insights.company_change c
    WHERE c.waits_max >= pg_snapshot_xmin(pg_current_snapshot())
      AND EXISTS (SELECT 1 FROM unnest(c.waits_for) x WHERE NOT pg_visible_in_snapshot(x, pg_current_snapshot()))), ${'9223372036854775807'}::bigint)`;
