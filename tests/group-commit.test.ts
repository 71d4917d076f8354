import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../src/connectors.js';
import { onCompaniesChanged, type CompanyChange } from '../src/changes.js';
import type { Db } from '../src/db/database.js';
import { groupCommit } from '../src/group-commit.js';
import { dbTargets, freshDatabase, type TestDb } from './helpers/db.js';

const SOURCE = 'group-commit-test';
const hookCalls: string[][] = [];
// The hook of this test's own source: records what each transaction reported, and fails on a poisoned company.
onCompaniesChanged(async (_tx: Db, change: CompanyChange) => {
  if (change.source !== SOURCE) return;
  hookCalls.push([...change.cvrs]);
  if (change.cvrs.includes('poison')) throw new Error('the change hook refused a poisoned company');
});

/** Inserts n with the id of the transaction it ran in; `then` decides what the write reports. */
const insert = (n: number, cvrs: string[] = [`c${n}`], fail = false) =>
  async function (tx: Db) {
    await sql`INSERT INTO group_test (n, txid) VALUES (${n}, txid_current())`.execute(tx);
    if (fail) throw new Error(`write ${n} failed`);
    return { answer: n, cvrs };
  };

describe.each(dbTargets)('group commit on $name', (target) => {
  let h: TestDb;
  const rows = async () =>
    (await sql<{ n: number; txid: string }>`SELECT n, txid::text FROM group_test ORDER BY n`.execute(h.db)).rows.map((r) => ({
      n: Number(r.n),
      txid: r.txid,
    }));

  beforeAll(async () => {
    h = await freshDatabase(target);
    await sql`CREATE TABLE group_test (n int PRIMARY KEY, txid bigint NOT NULL)`.execute(h.db);
  });
  afterAll(() => h?.close());

  it('runs writes that arrive together in one transaction, with one change hook for all their companies', async () => {
    await sql`DELETE FROM group_test`.execute(h.db);
    hookCalls.length = 0;
    const answers = await Promise.all(Array.from({ length: 30 }, (_, n) => groupCommit(h.db, { source: SOURCE }, insert(n))));
    expect(answers).toEqual(Array.from({ length: 30 }, (_, n) => n));
    const written = await rows();
    expect(written.map((r) => r.n)).toEqual(answers);
    expect(new Set(written.map((r) => r.txid)).size).toBe(1);
    expect(hookCalls).toEqual([answers.map((n) => `c${n}`)]);
  });

  it('undoes a write that throws, or that names no company, and keeps the others of its group', async () => {
    await sql`DELETE FROM group_test`.execute(h.db);
    const calls = Array.from({ length: 10 }, (_, n) =>
      groupCommit(h.db, { source: SOURCE }, n === 3 ? insert(n, [], true) : n === 6 ? insert(n, []) : insert(n)).then(
        (answer) => ({ answer }),
        (e: Error) => ({ error: e.message }),
      ),
    );
    const outcomes = await Promise.all(calls);
    expect(outcomes[3]).toEqual({ error: 'write 3 failed' });
    expect(outcomes[6]).toEqual({ answer: 6 });
    expect((await rows()).map((r) => r.n)).toEqual([0, 1, 2, 4, 5, 7, 8, 9]);
  });

  it('tries each write of a group alone when the shared part fails, so only the write that caused it fails', async () => {
    await sql`DELETE FROM group_test`.execute(h.db);
    hookCalls.length = 0;
    const outcomes = await Promise.all(
      Array.from({ length: 5 }, (_, n) =>
        groupCommit(h.db, { source: SOURCE }, insert(n, n === 2 ? ['poison'] : [`c${n}`])).then(
          (answer) => ({ answer }),
          (e: Error) => ({ error: e.message }),
        ),
      ),
    );
    expect(outcomes).toEqual([
      { answer: 0 },
      { answer: 1 },
      { error: 'the change hook refused a poisoned company' },
      { answer: 3 },
      { answer: 4 },
    ]);
    const written = await rows();
    expect(written.map((r) => r.n)).toEqual([0, 1, 3, 4]);
    // The group failed once as a whole, then each write went alone.
    expect(hookCalls).toHaveLength(6);
    expect(new Set(written.map((r) => r.txid)).size).toBe(4);
  });
});
