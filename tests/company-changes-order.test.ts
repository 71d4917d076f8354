import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { companiesChanged } from '../src/changes.js';
import type { DbHandle } from '../src/db/database.js';
import { freshDatabase } from './helpers/db.js';
import { graph } from './helpers/graph.js';
import { ndjson, testCvr, vrv } from './helpers/cvr.js';
import { contactInput, feed, RECORD } from './helpers/insights.js';

// Writers no longer take turns for change numbers, so a number can commit after a larger one. A reader paging
// companyChanges must still never pass a number that commits later. Needs concurrent connections: Postgres only
// (PGlite has one connection, so its writers cannot overlap).
const FEED = `query ($afterSequence: BigInt, $after: String) {
  companyChanges(afterSequence: $afterSequence, first: 5, after: $after) { edges { node { cvr sequence } } pageInfo { endCursor hasNextPage } } }`;

const A = testCvr(401);
const B = testCvr(402);
const MANY = Array.from({ length: 40 }, (_, i) => testCvr(410 + i));

describe.skipIf(!process.env.TEST_DATABASE_URL)('change numbers under concurrent writers on postgres', () => {
  let h: DbHandle;
  let q: ReturnType<typeof graph>;

  /** A reader as a sync job runs it: pages from where it stopped, keeping its cursor between calls. */
  const reader = (afterSequence: string) => {
    let after: string | null = null;
    const seen: { cvr: string; sequence: bigint }[] = [];
    return {
      seen,
      async catchUp() {
        for (;;) {
          const r: any = await q(FEED, { afterSequence, after });
          expect(r.errors).toBeUndefined();
          const page = r.data.companyChanges;
          seen.push(...page.edges.map((e: any) => ({ cvr: e.node.cvr, sequence: BigInt(e.node.sequence) })));
          after = page.pageInfo.endCursor ?? after;
          if (!page.pageInfo.hasNextPage) return;
        }
      },
    };
  };
  const lastSequence = async () => {
    const r = reader('0');
    await r.catchUp();
    return r.seen.reduce((m, n) => (n.sequence > m ? n.sequence : m), 0n).toString();
  };
  const numberOf = async (cvr: string) =>
    BigInt(
      (await h.db.selectFrom('insights.company_profile').select('change_seq').where('cvr', '=', cvr).executeTakeFirstOrThrow()).change_seq,
    );

  beforeAll(async () => {
    h = await freshDatabase({ name: 'postgres' });
    q = graph(h.db);
    await feed(h.db, 'cvr', ndjson([A, B, ...MANY].map((cvr) => vrv({ cvr }))));
  });
  afterAll(async () => h?.close());

  it('does not make a write wait for another, and stops the feed below a number still uncommitted', async () => {
    const r = reader(await lastSequence());
    let numbered!: () => void;
    let release!: () => void;
    const aNumbered = new Promise<void>((res) => (numbered = res));
    const gate = new Promise<void>((res) => (release = res));
    // A takes its number and stays open; B takes a larger one and commits first.
    const a = h.db.transaction().execute(async (tx) => {
      await companiesChanged(tx, { cvrs: [A], source: 'contact-log' });
      numbered();
      await gate;
    });
    try {
      await aNumbered;
      await h.db.transaction().execute((tx) => companiesChanged(tx, { cvrs: [B], source: 'contact-log' }));
      await r.catchUp();
      expect(r.seen.map((n) => n.cvr)).not.toContain(B);
    } finally {
      release();
      await a;
    }
    expect(await numberOf(A)).toBeLessThan(await numberOf(B));
    await r.catchUp();
    expect(r.seen.map((n) => n.cvr)).toEqual([A, B]);
  });

  it('lets a reader paging during many concurrent writes see every change, in increasing numbers', async () => {
    const r = reader(await lastSequence());
    let writing = true;
    const writes = Promise.all(
      MANY.map(async (cvr, i) => {
        const res = await q(RECORD, { input: contactInput(`order-${i}`, cvr) });
        expect(res.errors).toBeUndefined();
        expect(res.data.contactRecord.userErrors).toEqual([]);
      }),
    ).finally(() => (writing = false));
    let reads = 0;
    while (writing) {
      await r.catchUp();
      reads++;
    }
    await writes;
    await r.catchUp();
    expect(reads).toBeGreaterThan(0);
    expect(r.seen.map((n) => n.cvr).sort()).toEqual([...MANY].sort());
    for (let i = 1; i < r.seen.length; i++) expect(r.seen[i]!.sequence).toBeGreaterThan(r.seen[i - 1]!.sequence);
  });
});
