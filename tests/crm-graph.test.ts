import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../src/db/database.js';
import { dbTargets, freshDatabase } from './helpers/db.js';
import { graph, ingestText } from './helpers/graph.js';
import { ndjson, testCvr, vrv } from './helpers/cvr.js';
import { csv, MEETING_HEADER } from './helpers/crm.js';

const COMPANIES = 60;
const MEETINGS_EACH = 12;
const name = (i: number) => `Herning Firma ${String(i).padStart(2, '0')} ApS`;
const day = (n: number) => `${String((n % 28) + 1).padStart(2, '0')}-${String((n % 12) + 1).padStart(2, '0')}-2025`;

describe.each(dbTargets)('CRM graph on $name', (target) => {
  let h: DbHandle;
  let q: ReturnType<typeof graph>;
  beforeAll(async () => {
    h = await freshDatabase(target);
    q = graph(h.db);
    const companies = Array.from({ length: COMPANIES }, (_, i) => vrv({ cvr: testCvr(i), name: name(i) }));
    companies.push(vrv({ cvr: testCvr(90), name: 'Tvilling ApS' }), vrv({ cvr: testCvr(91), name: 'Tvilling A/S' }));
    expect(await ingestText(h.db, 'cvr', ndjson(companies))).toMatchObject({ status: 'succeeded' });
    const ids = Array.from({ length: COMPANIES }, (_, i) => i);
    const accounts = csv(
      ['CVR', 'Firmanavn', 'Kommune', 'Rådgiver', 'Kontor', 'Segment', 'Kunde_siden'],
      ids.map((i) => [testCvr(i), name(i), 'Herning', i % 2 ? 'Mette Madsen' : 'Ole Olsen', 'Herning', 'Vækstvirksomhed', '15-01-2024']),
    );
    const meetings = csv(
      MEETING_HEADER,
      ids.flatMap((i) =>
        Array.from({ length: MEETINGS_EACH }, (_, m) => [
          day(m * 31 + i),
          'Ole Olsen',
          name(i),
          i === 7 && m === 0 ? '' : testCvr(i),
          'Vækst|Rekruttering',
          `Møde ${m}`,
          'Herning',
        ]),
      ),
    );
    const programmes = csv(
      ['CVR', 'Firmanavn', 'Kommune', 'Forløbstype', 'Status', 'Startdato', 'Slutdato', 'Kompetenceplan'],
      ids.flatMap((i) => [
        [testCvr(i), name(i), 'Herning', 'Vækstpakke', 'I gang', '01-09-2025', '', i % 3 ? 'Ja' : 'Nej'],
        [testCvr(i), name(i), 'Herning', 'Eksport', 'Afsluttet', '01-02-2024', '30-06-2024', ''],
      ]),
    );
    const referrals = csv(
      ['CVR', 'Firmanavn', 'Kommune', 'Henvist_til', 'Henvisningsdato', 'Årsag', 'Status'],
      [
        ...ids.map((i) => [testCvr(i), name(i), 'Herning', 'Jobcenter Herning', '05-03-2026', 'Rekruttering af svejsere', 'Sendt']),
        ['', 'Tvilling', 'Herning', 'AMU Midt', '06-03-2026', 'Kurser', 'Sendt'],
      ],
    );
    for (const [source, text] of [
      ['crm-accounts', accounts],
      ['crm-meetings', meetings],
      ['crm-programmes', programmes],
      ['crm-referrals', referrals],
    ] as const) {
      expect(await ingestText(h.db, source, text)).toMatchObject({ status: 'succeeded', rejected: 0 });
    }
  });
  afterAll(async () => h?.close());

  it("answers the issue's growth query for one company", async () => {
    const cvr = testCvr(3);
    const r = await q(`{ company(cvr: "${cvr}") { growth {
      account { advisor { name office } segment since matchedBy }
      programmes { kind status startedOn endedOn competencePlanAgreed }
      competencePlanMissing
      meetings(first: 10) { totalCount edges { node { date advisor { name } topics title } } pageInfo { hasNextPage } }
      referrals { toActor date reason status }
      source { name syncedAt } } } }`);
    expect(r.errors).toBeUndefined();
    const g = r.data.company.growth;
    expect(g.account).toEqual({
      advisor: { name: 'Mette Madsen', office: 'Herning' },
      segment: 'Vækstvirksomhed',
      since: '2024-01-15',
      matchedBy: 'CVR',
    });
    expect(g.programmes).toEqual([
      { kind: 'EXPORT', status: 'COMPLETED', startedOn: '2024-02-01', endedOn: '2024-06-30', competencePlanAgreed: null },
      { kind: 'GROWTH_PACKAGE', status: 'ACTIVE', startedOn: '2025-09-01', endedOn: null, competencePlanAgreed: false },
    ]);
    expect(g.competencePlanMissing).toBe(true);
    expect(g.meetings.totalCount).toBe(MEETINGS_EACH);
    expect(g.meetings.edges).toHaveLength(10);
    expect(g.meetings.pageInfo.hasNextPage).toBe(true);
    const dates = g.meetings.edges.map((e: any) => e.node.date);
    expect(dates).toEqual([...dates].sort().reverse());
    expect(g.meetings.edges[0].node).toMatchObject({ advisor: { name: 'Ole Olsen' }, topics: ['Vækst', 'Rekruttering'] });
    expect(g.referrals).toEqual([{ toActor: 'Jobcenter Herning', date: '2026-03-05', reason: 'Rekruttering af svejsere', status: 'SENT' }]);
    expect(g.source.name).toBe('crm');
    expect(Date.parse(g.source.syncedAt)).toBeGreaterThan(Date.now() - 600_000);
  });

  it('pages meetings with cursors and shows how a row without CVR was matched', async () => {
    const cvr = testCvr(7);
    const page = `query ($after: String) { company(cvr: "${cvr}") { growth { meetings(first: 5, after: $after) {
      totalCount edges { node { date title matchedBy } } pageInfo { hasNextPage hasPreviousPage endCursor } } } } }`;
    const seen: any[] = [];
    let after: string | null = null;
    for (;;) {
      const r: any = await q(page, { after });
      expect(r.errors).toBeUndefined();
      const m = r.data.company.growth.meetings;
      expect(m.totalCount).toBe(MEETINGS_EACH);
      expect(m.pageInfo.hasPreviousPage).toBe(after !== null);
      seen.push(...m.edges.map((e: any) => e.node));
      if (!m.pageInfo.hasNextPage) break;
      after = m.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(MEETINGS_EACH);
    expect(new Set(seen.map((m) => m.title)).size).toBe(MEETINGS_EACH);
    expect(seen.filter((m) => m.matchedBy === 'NAME_AND_MUNICIPALITY').map((m) => m.title)).toEqual(['Møde 0']);
  });

  it('gives an empty section for a company the CRM does not know', async () => {
    const r = await q(
      `{ company(cvr: "${testCvr(90)}") { growth { account { segment } programmes { kind } competencePlanMissing meetings { totalCount edges { cursor } } referrals { toActor } } } }`,
    );
    expect(r.errors).toBeUndefined();
    expect(r.data.company.growth).toEqual({
      account: null,
      programmes: [],
      competencePlanMissing: false,
      meetings: { totalCount: 0, edges: [] },
      referrals: [],
    });
  });

  it('lists rows that fit no single company, with the reason', async () => {
    const r = await q(
      `{ unmatchedCrmRecords(first: 10) { totalCount edges { node { kind companyName municipality { name } givenCvr date reason nameCandidates } } } }`,
    );
    expect(r.errors).toBeUndefined();
    expect(r.data.unmatchedCrmRecords).toEqual({
      totalCount: 1,
      edges: [
        {
          node: {
            kind: 'REFERRAL',
            companyName: 'Tvilling',
            municipality: { name: 'Herning' },
            givenCvr: null,
            date: '2026-03-06',
            reason: 'no CVR; 2 registry companies with this name in this municipality',
            nameCandidates: 2,
          },
        },
      ],
    });
  });

  it('sends the same number of SQL statements for a list of 50 companies with meetings as for 5', async () => {
    const list = (n: number) => `{ companies(first: ${n}, filter: { municipality: "657" }) { edges { node { cvr name growth {
      account { advisor { name office } segment since } programmes { kind status competencePlanAgreed } competencePlanMissing
      meetings(first: 3) { totalCount edges { node { date advisor { name } topics title } } }
      referrals { toActor date status } source { name syncedAt } } } } } }`;
    const small = await q(list(5));
    const large = await q(list(50));
    expect(large.errors).toBeUndefined();
    expect(large.data.companies.edges).toHaveLength(50);
    expect(large.data.companies.edges.filter((e: any) => e.node.growth.meetings.edges.length === 3)).toHaveLength(50);
    expect(small.statements).toBeGreaterThan(0);
    expect(large.statements).toBe(small.statements);
  });

  it('refuses more than 100 meetings per page and a foreign cursor, naming the argument', async () => {
    const r = await q(`{ company(cvr: "${testCvr(1)}") { growth { meetings(first: 101) { totalCount } } } }`);
    expect(r.errors![0]).toMatchObject({
      message: 'first: must be between 0 and 100, got 101',
      extensions: { code: 'BAD_USER_INPUT', field: 'first' },
    });
    const r2 = await q(`{ unmatchedCrmRecords(after: "bogus") { totalCount } }`);
    expect(r2.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });
});
