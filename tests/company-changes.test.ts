import fs from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changesStatement, type ChangeFilter } from '../connectors/insights/changes/feed.js';
import { companiesChanged } from '../src/changes.js';
import type { DbHandle } from '../src/db/database.js';
import { dbTargets, freshDatabase, ownDatabase } from './helpers/db.js';
import { graph } from './helpers/graph.js';
import { ndjson, testCvr, vrv } from './helpers/cvr.js';
import { contactInput, day, enrolments, feed, jobAds, meetings, RECORD } from './helpers/insights.js';
import { caller } from './helpers/security.js';

const A = testCvr(301);
const B = testCvr(302);
const C = testCvr(303);
const D = testCvr(304);
const COURSE = 'nummer;titel;dage;disco;positivliste\n22906;MIG/MAG-svejsning;5;721200;ja\n';

const FEED = `query ($afterSequence: BigInt, $first: Int, $after: String, $sections: [ChangeSection!], $municipality: String) {
  companyChanges(afterSequence: $afterSequence, first: $first, after: $after, sections: $sections, municipality: $municipality) {
    edges { cursor node { cvr sequence changedAt sections company { cvr name } } } pageInfo { endCursor hasNextPage } } }`;

/** Three companies new to the hub, and a course. */
async function load(h: DbHandle) {
  await feed(h.db, 'cvr', ndjson([A, B, C].map((cvr) => vrv({ cvr }))));
  await feed(h.db, 'amu-courses', COURSE);
}

describe.each(dbTargets)('the change feed on $name', (target) => {
  let h: DbHandle;
  let q: ReturnType<typeof graph>;
  const read = async (vars: Record<string, unknown>, on = q) => {
    const r = await on(FEED, vars);
    expect(r.errors).toBeUndefined();
    return r;
  };
  const all = async (afterSequence: string, filter: Record<string, unknown> = {}, first = 2, on = q) => {
    const nodes: any[] = [];
    let after: string | null = null;
    for (;;) {
      const r: any = await read({ afterSequence, first, after, ...filter }, on);
      nodes.push(...r.data.companyChanges.edges.map((e: any) => e.node));
      if (!r.data.companyChanges.pageInfo.hasNextPage) return nodes;
      after = r.data.companyChanges.pageInfo.endCursor;
    }
  };
  const maxSeq = async () => (await all('0')).reduce((m, n) => (BigInt(n.sequence) > m ? BigInt(n.sequence) : m), 0n).toString();

  beforeAll(async () => {
    h = await freshDatabase(target);
    q = graph(h.db);
    await load(h);
  });
  afterAll(async () => h?.close());

  it('lists every company new to the hub with every section, in sequence order, paged in one query per page', async () => {
    // The whole feed, as loaded and before any other test's changes: a database of its own.
    const own = graph((await ownDatabase(target, load)).db);
    const nodes = await all('0', {}, 2, own);
    expect(nodes.map((n) => n.cvr).sort()).toEqual([A, B, C].sort());
    const seqs = nodes.map((n) => BigInt(n.sequence));
    expect([...seqs].sort((x, y) => (x < y ? -1 : 1))).toEqual(seqs);
    for (const n of nodes) {
      expect(n.sections).toEqual(['REGISTRY', 'RECRUITMENT', 'GROWTH', 'UPSKILLING', 'CONTACTS', 'INSIGHTS']);
      expect(n.company).toEqual({ cvr: n.cvr, name: `Firma ${n.cvr} ApS` });
    }
    const page = await own(FEED, { afterSequence: '0', first: 2 });
    expect(page.statements).toBe(2); // the page, and the companies' register rows (one batched load)
  });

  it('names the sections that changed since the asked-for number, each company once at its latest number', async () => {
    const start = await maxSeq();
    expect((await read({ afterSequence: start })).data.companyChanges.edges).toEqual([]);
    await feed(h.db, 'jobnet', jobAds([{ ID: 'ad-1', HiringOrgCVR: Number(A) }]));
    const afterJobs = await maxSeq();
    await feed(h.db, 'crm-meetings', meetings([[B, day(-2), 'Vækstmøde']]));
    const r = await q(RECORD, { input: contactInput('feed-1', A) });
    expect(r.errors).toBeUndefined();
    await feed(h.db, 'veu-enrolments', enrolments([[C, '22906', day(-20), day(-15), 2]]));

    const since = await all(start);
    const byCvr = Object.fromEntries(since.map((n) => [n.cvr, n]));
    expect(since).toHaveLength(3);
    expect(byCvr[A].sections).toEqual(expect.arrayContaining(['RECRUITMENT', 'CONTACTS']));
    expect(byCvr[A].sections).not.toContain('REGISTRY');
    expect(byCvr[B].sections).toEqual(expect.arrayContaining(['GROWTH', 'CONTACTS']));
    expect(byCvr[B].sections).not.toContain('RECRUITMENT');
    expect(byCvr[C].sections).toEqual(expect.arrayContaining(['UPSKILLING']));
    expect(byCvr[C].sections).not.toContain('GROWTH');
    // From the number after the job ads, A's job ad is no longer news: only its contact is.
    const later = Object.fromEntries((await all(afterJobs)).map((n) => [n.cvr, n]));
    expect(later[A].sections).toContain('CONTACTS');
    expect(later[A].sections).not.toContain('RECRUITMENT');
    // A re-run that changes nothing moves no number.
    const top = await maxSeq();
    await feed(h.db, 'crm-meetings', meetings([[B, day(-2), 'Vækstmøde']]));
    expect((await read({ afterSequence: top })).data.companyChanges.edges).toEqual([]);
  });

  it('filters by the sections that changed and by municipality, still one query per page', async () => {
    const start = await maxSeq();
    await feed(h.db, 'cvr', ndjson([vrv({ cvr: D, kommuneKode: 751, postnummer: 8000, by: 'Aarhus C' })]));
    await feed(h.db, 'jobnet', jobAds([{ ID: 'ad-2', HiringOrgCVR: Number(B) }]));
    const cvrs = async (filter: Record<string, unknown>, first = 2) => (await all(start, filter, first)).map((n) => n.cvr);
    // D is new to the hub (every section); B got a job ad (recruitment only).
    expect(await cvrs({})).toEqual([D, B]);
    expect(await cvrs({ sections: ['RECRUITMENT'] }, 1)).toEqual([D, B]);
    expect(await cvrs({ sections: ['UPSKILLING', 'GROWTH'] })).toEqual([D]);
    expect(await cvrs({ municipality: '751' })).toEqual([D]);
    expect(await cvrs({ municipality: '657', sections: ['RECRUITMENT'] })).toEqual([B]);
    expect(await cvrs({ municipality: '657', sections: ['UPSKILLING'] })).toEqual([]);
    const page = await q(FEED, { afterSequence: '0', first: 2, sections: ['RECRUITMENT'], municipality: '657' });
    expect(page.data.companyChanges.edges).toHaveLength(2);
    expect(page.statements).toBe(2);
    const bad = await q(FEED, { municipality: 'Herning' });
    expect(bad.errors?.[0]?.message).toMatch(/municipality/);
  });

  it('derives a company named twice once, and again in a second derivation of the same transaction', async () => {
    const start = await maxSeq();
    await h.db.transaction().execute(async (tx) => {
      await companiesChanged(tx, { cvrs: [A, A, B], source: 'contact-log' });
      await companiesChanged(tx, { cvrs: [A], source: 'contact-log' });
    });
    // Each company once in the feed, A after B: its number is the second derivation's.
    expect((await all(start)).map((n) => n.cvr)).toEqual([B, A]);
    const numbers = await sql<{ cvr: string; n: number }>`
      SELECT cvr, count(*)::int AS n FROM insights.company_change WHERE seq > ${start}::bigint GROUP BY cvr ORDER BY cvr`.execute(h.db);
    expect(Object.fromEntries(numbers.rows.map((r) => [r.cvr, r.n]))).toEqual({ [A]: 2, [B]: 1 });
  });

  it('rejects a bad cursor or page size, and needs read:insights', async () => {
    const bad = await q(FEED, { after: 'nonsense' });
    expect(bad.errors?.[0]?.message).toMatch(/after/);
    const big = await q(FEED, { first: 1001 });
    expect(big.errors?.[0]?.message).toMatch(/first/);
    const registryOnly = graph(h.db, { principal: caller('registry-only', ['read:registry']) });
    const denied = await registryOnly(FEED, {});
    expect(denied.data?.companyChanges ?? null).toBeNull();
    expect(denied.errors?.length).toBeGreaterThan(0);
  });
});

/** Every node of an EXPLAIN (FORMAT JSON) plan. */
function nodes(plan: any): any[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

describe.each(dbTargets)('the change feed statement on $name', (target) => {
  let h: DbHandle;
  const codes = fs
    .readFileSync('data/codes/municipalities.csv', 'utf8')
    .trim()
    .split('\n')
    .slice(1, 41)
    .map((l) => l.split(',')[0]!);
  const N = 5000;
  beforeAll(async () => {
    h = await freshDatabase(target);
    await sql`
      INSERT INTO insights.company_profile (cvr, name, municipality_code, status, change_seq, changed_at)
      SELECT lpad(g::text, 8, '0'), 'Firma ' || g, (${codes}::text[])[1 + g % ${codes.length}], 'NORMAL', g, now() FROM generate_series(1, ${N}) g`.execute(
      h.db,
    );
    await sql`
      INSERT INTO insights.company_change (seq, cvr, changed_at, sections)
      SELECT g, lpad(g::text, 8, '0'), now(), CASE WHEN g % 3 = 0 THEN '{CONTACTS}'::text[] ELSE '{RECRUITMENT,INSIGHTS}'::text[] END FROM generate_series(1, ${N}) g`.execute(
      h.db,
    );
    await sql`ANALYZE insights.company_profile`.execute(h.db);
    await sql`ANALYZE insights.company_change`.execute(h.db);
  });
  afterAll(async () => h?.close());

  const plan = async (filter: ChangeFilter) => {
    const r = await sql<{ 'QUERY PLAN': any }>`EXPLAIN (FORMAT JSON) ${changesStatement(100n, 2000n, 101, filter)}`.execute(h.db);
    const raw = r.rows[0]!['QUERY PLAN'];
    return nodes((typeof raw === 'string' ? JSON.parse(raw) : raw)[0].Plan);
  };

  it.each<[string, ChangeFilter, string]>([
    ['no filter', {}, 'company_profile_change_seq'],
    ['sections', { sections: ['CONTACTS'] }, 'company_profile_change_seq'],
    ['municipality', { municipality: codes[3] }, 'company_profile_municipality_change_seq'],
    ['municipality and sections', { municipality: codes[3], sections: ['CONTACTS', 'GROWTH'] }, 'company_profile_municipality_change_seq'],
  ])('reads a page with %s through an index, never scanning all companies', async (_, filter, index) => {
    const all = await plan(filter);
    const profile = all.filter((n) => n['Relation Name'] === 'company_profile');
    expect(profile.map((n) => n['Node Type'])).toEqual([expect.stringMatching(/^(Index Scan|Index Only Scan|Bitmap Heap Scan)$/)]);
    expect(all.map((n) => n['Index Name'])).toContain(index);
    const change = all.filter((n) => n['Relation Name'] === 'company_change');
    expect(change.length).toBeGreaterThan(0);
    for (const n of change) expect(n['Node Type']).toMatch(/Index/);
  });
});
