import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../src/db/database.js';
import { occupationByCode } from '../src/codes/occupations.js';
import { dbTargets, freshDatabase } from './helpers/db.js';
import { graph, ingestText } from './helpers/graph.js';
import { connectors } from '../src/connectors.js';
import { createContext } from '../src/graphql/context.js';
import { mergedSchema } from '../src/graphql/schema.js';
import { createApollo } from '../src/server/apollo.js';
import { ndjson, testCvr, vrv } from './helpers/cvr.js';
import { ad, day } from './helpers/jobcentre.js';

const COMPANIES = 60;
/** DST's titles, from the shipped DISCO-08 list. */
const WELDING = occupationByCode('721200')!.title;
const WAREHOUSE = occupationByCode('432100')!.title;
const ADS_EACH = 12;

describe.each(dbTargets)('jobcentre graph on $name', (target) => {
  let h: DbHandle;
  let q: ReturnType<typeof graph>;
  const cvr = testCvr(0);
  beforeAll(async () => {
    h = await freshDatabase(target);
    q = graph(h.db);
    await ingestText(
      h.db,
      'cvr',
      ndjson(Array.from({ length: COMPANIES }, (_, i) => vrv({ cvr: testCvr(i), name: `Firma ${String(i).padStart(2, '0')} ApS` }))),
    );
    // Per company: 12 ads, the even ones open (deadline ahead), the odd ones past their deadline.
    const ads = Array.from({ length: COMPANIES }, (_, c) =>
      Array.from({ length: ADS_EACH }, (_, i) =>
        ad({
          ID: `${c}-${i}`,
          HiringOrgCVR: Number(testCvr(c)),
          PostingCreated: day(-i - 1),
          LastDateApplication: i % 2 ? day(-1) : day(10),
          NumberToFill: 1 + (i % 3),
        }),
      ),
    ).flat();
    ads.push(ad({ ID: 'X1', HiringOrgCVR: 0, Title: 'Uden CVR', PostingCreated: day(-3), LastDateApplication: null }));
    ads.push(ad({ ID: 'X2', HiringOrgCVR: 12345678, Title: 'Forkert CVR', PostingCreated: day(-90), LastDateApplication: null }));
    expect(await ingestText(h.db, 'jobnet', JSON.stringify({ JobPositionPostings: ads }))).toMatchObject({
      rejected: 0,
      inserted: ads.length,
    });
    await ingestText(
      h.db,
      'joborders',
      ndjson([
        {
          jobordreId: '3f2504e0-4f89-11d3-9a0c-0305e82c3301',
          cvrNummer: Number(cvr),
          title: 'Svejsere',
          ConceptUriDa: 'http://data.europa.eu/esco/isco/C7212',
          joborderStatusType: 'Aktiv',
          startdato: '2026-05-01',
        },
        {
          jobordreId: '3f2504e0-4f89-11d3-9a0c-0305e82c3302',
          cvrNummer: Number(cvr),
          title: 'Lagerekspedient',
          joborderStatusType: 'Afsluttet',
          startdato: '2025-09-01',
        },
      ]),
    );
    await ingestText(
      h.db,
      'measures',
      `cvr;periode;tilbud;antal\n${cvr};2025M03;virksomhedspraktik;2\n${cvr};2025M11;virksomhedspraktik;1\n${cvr};2024M12;løntilskud;5\n${cvr};2025M06;fleksjob;1\n`,
    );
    await ingestText(h.db, 'layoffs', ndjson([{ cvr, dato: '2025-09-15', antalPersoner: 35, aarsag: 'indskrænkning' }]));
    await ingestText(h.db, 'supply', 'disco;area;periode;antalLedige\n721200;RAR-VEST;2025M11;42\n721200;RAR-VEST;2025M12;40\n');
    await ingestText(
      h.db,
      'balance',
      'disco;område;periode;vurdering\n721200;RAR-VEST;2025H2;Gode jobmuligheder\n721200;RAR-VEST;2026H1;Mangel på arbejdskraft\n833210;RAR-VEST;2026H1;Mangel på arbejdskraft\n522300;RAR-VEST;2026H1;Mindre gode jobmuligheder\n251220;RAR-OEST;2026H1;Mangel på arbejdskraft\n',
    );
  });
  afterAll(async () => h?.close());

  it("answers a company's recruitment section", async () => {
    const r = await q(`{ company(cvr: "${cvr}") { recruitment {
      vacancies(first: 3, status: OPEN) { totalCount edges { node { adId title status occupation { disco title } positions postedAt applyBy workplace { city municipality { name } area { code } } hiringOrg { name } } } pageInfo { hasNextPage } }
      jobOrders(first: 10) { totalCount edges { node { title status startDate occupation { title } } } }
      measures(from: "2025-01", to: "2025-12") { kind count }
      layoffNotices { date persons reason }
      source { name syncedAt } sources { name } } } }`);
    expect(r.errors).toBeUndefined();
    const rec = r.data.company.recruitment;
    expect(rec.vacancies.totalCount).toBe(ADS_EACH / 2);
    expect(rec.vacancies.pageInfo.hasNextPage).toBe(true);
    expect(rec.vacancies.edges.map((e: any) => e.node.adId)).toEqual(['0-0', '0-2', '0-4']);
    expect(rec.vacancies.edges[0].node).toMatchObject({
      title: 'Svejser til stålkonstruktioner',
      status: 'OPEN',
      occupation: { disco: '721200', title: WELDING },
      positions: 1,
      postedAt: day(-1),
      applyBy: day(10),
      workplace: { city: 'Herning', municipality: { name: 'Herning' }, area: { code: 'RAR-VEST' } },
    });
    expect(rec.jobOrders).toEqual({
      totalCount: 2,
      edges: [
        { node: { title: 'Svejsere', status: 'Aktiv', startDate: '2026-05-01', occupation: { title: WELDING } } },
        { node: { title: 'Lagerekspedient', status: 'Afsluttet', startDate: '2025-09-01', occupation: { title: WAREHOUSE } } },
      ],
    });
    expect(rec.measures).toEqual([
      { kind: 'INTERNSHIP', count: 3 },
      { kind: 'WAGE_SUBSIDY', count: 0 },
      { kind: 'JOB_ROTATION', count: 0 },
      { kind: 'FLEXJOB', count: 1 },
    ]);
    expect(rec.layoffNotices).toEqual([{ date: '2025-09-15', persons: 35, reason: 'DOWNSIZING' }]);
    expect(rec.source.name).toBe('jobnet');
    expect(Date.parse(rec.source.syncedAt)).toBeGreaterThan(Date.now() - 600_000);
    expect(rec.sources.map((s: any) => s.name)).toEqual(['jobnet', 'joborders', 'measures', 'layoffs']);
  });

  it('pages vacancies with cursors; closed ads are listed with status CLOSED', async () => {
    const first = await q(
      `{ company(cvr: "${cvr}") { recruitment { vacancies(first: 5) { edges { node { adId status } } pageInfo { endCursor } } } } }`,
    );
    const page1 = first.data.company.recruitment.vacancies;
    expect(page1.edges.map((e: any) => e.node.status)).toEqual(['OPEN', 'CLOSED', 'OPEN', 'CLOSED', 'OPEN']);
    const next = await q(
      `query ($a: String) { company(cvr: "${cvr}") { recruitment { vacancies(first: 100, after: $a) { edges { node { adId } } pageInfo { hasNextPage hasPreviousPage } } } } }`,
      { a: page1.pageInfo.endCursor },
    );
    expect(next.data.company.recruitment.vacancies.edges.map((e: any) => e.node.adId)).toEqual(
      Array.from({ length: 7 }, (_, i) => `0-${i + 5}`),
    );
    expect(next.data.company.recruitment.vacancies.pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: true });
  });

  it('issues the same number of statements for 5 or 50 companies and for 1 or 10 ads each', async () => {
    const query = (companies: number, ads: number) => `{ companies(first: ${companies}) { edges { node { name recruitment {
      vacancies(first: ${ads}, status: OPEN) { totalCount edges { node { title occupation { title parent { title } } workplace { municipality { name } } } } }
      jobOrders(first: ${ads}) { edges { node { title } } } measures { kind count } layoffNotices { date } source { syncedAt } } } } } }`;
    const small = await q(query(5, 1));
    const large = await q(query(50, 10));
    expect(small.errors).toBeUndefined();
    expect(large.errors).toBeUndefined();
    expect(large.data.companies.edges).toHaveLength(50);
    expect(large.data.companies.edges[10].node.recruitment.vacancies.edges).toHaveLength(6);
    expect(large.statements).toBe(small.statements);
    // companies, company rows are primed; vacancies, their count, job orders, measures, layoffs, syncedAt.
    expect(large.statements).toBeLessThanOrEqual(7);
  });

  it("answers a list's first pages of vacancies in the list's own statement, as each company's own query answers them", async () => {
    const recruitment = `recruitment {
      vacancies(first: 3) { edges { node { adId title status postedAt applyBy positions } } pageInfo { hasNextPage endCursor } }
      open: vacancies(first: $first, status: OPEN) { edges { node { adId status } } } }`;
    const list = await q(`query ($first: Int) { companies(first: 30, orderBy: CVR_ASC) { edges { node { cvr ${recruitment} } } } }`, {
      first: 2,
    });
    expect(list.errors).toBeUndefined();
    // The page of companies with both pages of vacancies (two selections of the field, other arguments): one statement.
    expect(list.statements).toBe(1);
    const nodes = list.data.companies.edges.map((e: any) => e.node);
    expect(nodes).toHaveLength(30);
    for (const node of [nodes[0], nodes[7], nodes[29]]) {
      const own = await q(`query ($cvr: CVR!, $first: Int) { company(cvr: $cvr) { ${recruitment} } }`, { cvr: node.cvr, first: 2 });
      expect(own.statements).toBe(3);
      expect(node.recruitment).toEqual(own.data.company.recruitment);
    }
    expect(nodes[0].recruitment.vacancies.edges.map((e: any) => e.node.adId)).toEqual(['0-0', '0-1', '0-2']);
    expect(nodes[0].recruitment.open.edges.map((e: any) => e.node.adId)).toEqual(['0-0', '0-2']);

    // A later page is not prefetched: the field loads it in a statement of its own, with the same answer.
    const after = nodes[0].recruitment.vacancies.pageInfo.endCursor;
    const later = await q(
      `query ($after: String) { companies(first: 2, orderBy: CVR_ASC) { edges { node { recruitment { vacancies(first: 2, after: $after) { edges { node { adId } } } } } } } }`,
      { after },
    );
    expect(later.statements).toBe(2);
    expect(later.data.companies.edges[0].node.recruitment.vacancies.edges.map((e: any) => e.node.adId)).toEqual(['0-3', '0-4']);
  });

  it("reads a list's ads and register rows as narrowly as the whole operation allows, with the answers each company's own query gives", async () => {
    const own = async (cvr: string, fields: string) => (await q(`{ company(cvr: "${cvr}") { ${fields} } }`)).data.company;
    // Two selections of the same page of ads (same arguments, so one subquery): the second asks for the
    // workplace, which the narrow columns lack. Both must answer from whole records.
    const ads = `vacancies(first: 3) { edges { node { adId title } } }
      wide: vacancies(first: 3) { edges { node { adId workplace { city } hiringOrg { name } unmatchedReason } } }`;
    const both = await q(`{ companies(first: 5, orderBy: CVR_ASC) { edges { node { cvr recruitment { ${ads} } } } } }`);
    expect(both.errors).toBeUndefined();
    expect(both.statements).toBe(1);
    for (const e of both.data.companies.edges) {
      expect(e.node.recruitment).toEqual((await own(e.node.cvr, `recruitment { ${ads} }`)).recruitment);
      expect(e.node.recruitment.wide.edges[0].node.workplace).not.toBeNull();
    }

    // One context serving two operations (as Apollo's batched requests would): the second asks for more
    // of the same page's ads than the first list read, and gets them.
    const apollo = createApollo(mergedSchema(connectors), { production: false });
    const shared = createContext(h.db);
    const run = async (query: string) => {
      const res = await apollo.executeOperation({ query }, { contextValue: shared });
      return res.body.kind === 'single' ? res.body.singleResult : null;
    };
    const narrow = await run(
      `{ companies(first: 2, orderBy: CVR_ASC) { edges { node { cvr recruitment { vacancies(first: 3) { edges { node { adId } } } } } } } }`,
    );
    const first = (narrow?.data as any).companies.edges[0].node.cvr;
    const wider = await run(
      `{ company(cvr: "${first}") { recruitment { vacancies(first: 3) { edges { node { adId title workplace { city } } } } } } }`,
    );
    expect(wider?.errors).toBeUndefined();
    expect((wider?.data as any).company.recruitment).toEqual(
      (await own(first, 'recruitment { vacancies(first: 3) { edges { node { adId title workplace { city } } } } }')).recruitment,
    );

    // The register's fields beside the name: one statement still, the same answers.
    const register = 'name legalForm { code } address { street city } industry { code } employees { band }';
    const listed = await q(`{ companies(first: 4, orderBy: CVR_ASC) { edges { node { cvr ${register} } } } }`);
    expect(listed.errors).toBeUndefined();
    expect(listed.statements).toBe(1);
    for (const e of listed.data.companies.edges) {
      const { cvr, ...fields } = e.node;
      expect(fields).toEqual(await own(cvr, register));
      expect(fields.address.city).toBeTruthy();
    }

    // Without a field that reads the profile the list selects only its sort key, and its cursors still page on.
    const names = async (after: string | null) =>
      (
        await q(
          `query ($after: String) { companies(first: 7, orderBy: NAME_ASC, after: $after) { edges { node { name } } pageInfo { endCursor } } }`,
          { after },
        )
      ).data.companies;
    const page1 = await names(null);
    const page2 = await names(page1.pageInfo.endCursor);
    expect([...page1.edges, ...page2.edges].map((e: any) => e.node.name)).toEqual(
      Array.from({ length: 14 }, (_, i) => `Firma ${String(i).padStart(2, '0')} ApS`),
    );
    const withSituation = await q(
      `{ companies(first: 7, orderBy: NAME_ASC) { edges { node { name situation { recruitment { openVacancies } } } } } }`,
    );
    expect(withSituation.errors).toBeUndefined();
    expect(withSituation.statements).toBe(1);
    expect(withSituation.data.companies.edges[0].node.situation.recruitment.openVacancies).toBe(6);
  });

  it('lists unmatched vacancies', async () => {
    const r = await q(
      `{ unmatchedVacancies(first: 10) { totalCount edges { node { adId title status hiringOrg { cvrAsGiven } } } } open: unmatchedVacancies(status: OPEN) { totalCount } }`,
    );
    expect(r.errors).toBeUndefined();
    expect(r.data.unmatchedVacancies.edges.map((e: any) => e.node)).toEqual([
      { adId: 'X1', title: 'Uden CVR', status: 'OPEN', hiringOrg: { cvrAsGiven: '0' } },
      { adId: 'X2', title: 'Forkert CVR', status: 'CLOSED', hiringOrg: { cvrAsGiven: '12345678' } },
    ]);
    expect(r.data.open.totalCount).toBe(1);
  });

  it('answers an occupation with its hierarchy, balance and unemployed supply', async () => {
    const r =
      await q(`{ occupation(disco: "721200") { title parent { disco title } balance(area: "RAR Vestjylland") { category period area { code name } }
      older: balance(area: "RAR-VEST", period: "2025H2") { category } elsewhere: balance(area: "RAR-OEST") { category }
      unemployedSupply(area: "RAR-VEST") { count period } } }`);
    expect(r.errors).toBeUndefined();
    expect(r.data.occupation).toEqual({
      title: WELDING,
      parent: { disco: '7212', title: occupationByCode('7212')!.title },
      balance: { category: 'SHORTAGE', period: '2026H1', area: { code: 'RAR-VEST', name: 'RAR Vestjylland' } },
      older: { category: 'GOOD_PROSPECTS' },
      elsewhere: null,
      unemployedSupply: { count: 40, period: '2025-12' },
    });
  });

  it('lists an area’s occupations in shortage', async () => {
    const r = await q(
      `{ labourMarketBalance(area: "RAR-VEST", category: SHORTAGE, first: 20) { totalCount edges { node { occupation { disco title } category period } } } }`,
    );
    expect(r.errors).toBeUndefined();
    expect(r.data.labourMarketBalance.totalCount).toBe(2);
    expect(r.data.labourMarketBalance.edges.map((e: any) => [e.node.occupation.disco, e.node.category, e.node.period])).toEqual([
      ['721200', 'SHORTAGE', '2026H1'],
      ['833210', 'SHORTAGE', '2026H1'],
    ]);
  });

  it.each([['72120'], ['abc'], ['7212000']])('rejects disco %s with BAD_USER_INPUT naming the argument', async (bad) => {
    const r = await q(`{ occupation(disco: "${bad}") { title } }`);
    expect(r.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'disco' });
    expect(r.errors![0]!.message).toMatch(/^disco: .*4 or 6 digits/);
  });

  it.each([
    ['{ labourMarketBalance(area: "Mars") { totalCount } }', 'area'],
    ['{ labourMarketBalance(area: "RAR-VEST", period: "2026") { totalCount } }', 'period'],
    [`{ company(cvr: "${testCvr(0)}") { recruitment { measures(from: "2025-1") { kind } } } }`, 'from'],
    [`{ company(cvr: "${testCvr(0)}") { recruitment { vacancies(first: 101) { totalCount } } } }`, 'first'],
  ])('rejects bad arguments with BAD_USER_INPUT naming them: %s', async (query, field) => {
    const r = await q(query);
    expect(r.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
  });
});
