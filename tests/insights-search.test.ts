import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../src/db/database.js';
import { dbTargets, freshDatabase, ownDatabase } from './helpers/db.js';
import { graph } from './helpers/graph.js';
import { ndjson, testCvr, vrv } from './helpers/cvr.js';
import { balance, contactInput, day, enrolments, feed, jobAds, meetings, RECORD, referrals, supply } from './helpers/insights.js';

const HERNING = { kommuneKode: 657, postnummer: 7400, by: 'Herning' };
const AARHUS = { kommuneKode: 751, postnummer: 8000, by: 'Aarhus C' };
// The competence-match company.
const MATCH = testCvr(20);
// Search: A1-A3, A5 in Herning, A4 in Aarhus.
const [A1, A2, A3, A4, A5] = [21, 22, 23, 24, 25].map(testCvr);
// Overlaps: O1, O2 in Herning, O3 in Aarhus.
const [O1, O2, O3] = [31, 32, 33].map(testCvr);

const hold = (id: string, course: string, postcode: string, start: number, o: Record<string, unknown> = {}) => ({
  holdId: id,
  amuNummer: course,
  holdTitle: `Hold ${id}`,
  institution: 'Herningsholm Erhvervsskole',
  lokationPostNr: postcode,
  startDate: day(start),
  endDate: day(start + 2),
  currentParticipantAmount: 4,
  participantCapacity: 12,
  aflyst: false,
  ...o,
});

const ads = (cvr: string, disco: string, n: number, prefix: string) =>
  Array.from({ length: n }, (_, i) => ({
    ID: `${prefix}-${i}`,
    HiringOrgCVR: Number(cvr),
    OccupationCode: disco,
    LastDateApplication: day(10),
    NumberToFill: 1,
  }));

describe.each(dbTargets)('competence match, company search and contact overlaps on $name', (target) => {
  let h: DbHandle;
  let q: ReturnType<typeof graph>;
  const cvrs = async (query: string) => {
    const r = await q(query);
    expect(r.errors).toBeUndefined();
    return r.data.companies.edges.map((e: any) => e.node.cvr);
  };

  /** The companies and every feed the searches read. */
  const load = async (h: DbHandle) => {
    const q = graph(h.db);
    await feed(
      h.db,
      'cvr',
      ndjson([
        ...[MATCH, A1, A2, A3, A5, O1, O2].map((cvr) => vrv({ cvr, ...HERNING })),
        ...[A4, O3].map((cvr) => vrv({ cvr, ...AARHUS })),
      ]),
    );
    await feed(
      h.db,
      'balance',
      balance([
        ['721200', 'RAR-VEST', '2026H1', 'Gode jobmuligheder'],
        ['721200', 'RAR-VEST', '2026H2', 'Mangel på arbejdskraft'],
        ['522300', 'RAR-VEST', '2026H2', 'Mindre gode jobmuligheder'],
      ]),
    );
    await feed(
      h.db,
      'supply',
      supply([
        ['721200', 'RAR-VEST', '2026M10', 42],
        ['721200', 'RAR-VEST', '2026M11', 40],
      ]),
    );
    await feed(
      h.db,
      'amu-courses',
      'nummer;titel;dage;disco;positivliste\n22906;MIG/MAG-svejsning;5;721200;ja\n22960;Elektrodesvejsning;5;7212;nej\n45000;Svejsning i Aarhus;3;721200;nej\n40000;Kørekort C;20;833210;ja\n',
    );
    await feed(
      h.db,
      'amu-instances',
      JSON.stringify({
        holdCardDtos: [
          hold('full', '22906', '7400', 10, { currentParticipantAmount: 12 }),
          hold('cancelled', '22906', '7400', 2, { aflyst: true }),
          hold('ikast', '22906', '7430', 5),
          hold('herning', '22906', '7400', 30),
          hold('group-ikast', '22960', '7430', 15),
          hold('aarhus', '45000', '8000', 3),
        ],
      }),
    );
    await feed(
      h.db,
      'jobnet',
      jobAds([
        ...ads(MATCH, '721200', 2, 'm'),
        { ID: 'm-truck', HiringOrgCVR: Number(MATCH), OccupationCode: '833210', LastDateApplication: day(10), NumberToFill: 2 },
        { ID: 'm-closed', HiringOrgCVR: Number(MATCH), OccupationCode: '721200', PostingCreated: day(-80), LastDateApplication: day(-40) },
        ...ads(A1, '721200', 3, 'a1'),
        ...ads(A2, '721200', 1, 'a2'),
        ...ads(A3, '522300', 2, 'a3'),
        ...ads(A4, '721200', 5, 'a4'),
      ]),
    );
    await feed(h.db, 'veu-enrolments', enrolments([[A2, '22906', day(-60), day(-56), 2]]));
    await feed(
      h.db,
      'crm-meetings',
      meetings([
        [A3, day(-10), 'Vækstsparring'],
        [O1, day(-10), 'Opfølgning'],
        [O2, day(-4), 'Opfølgning'],
        [O3, day(-1), 'Opfølgning'],
      ]),
    );
    await feed(h.db, 'crm-referrals', referrals([[O2, 'Jobcenter Herning', day(-3)]]));
    for (const [key, cvr, date] of [
      ['a4', A4, day(-100)],
      ['o1', O1, day(-3)],
      ['o2', O2, day(-2)],
      ['o3', O3, day(-40)],
    ] as const) {
      const r = await q(RECORD, {
        input: contactInput(key, cvr, { date, organisation: cvr === A4 || cvr === O3 ? 'Jobcenter Aarhus' : 'Jobcenter Herning' }),
      });
      expect(r.data.contactRecord.userErrors).toEqual([]);
    }
  };

  beforeAll(async () => {
    h = await freshDatabase(target);
    q = graph(h.db);
    await load(h);
    // MATCH sends staff on a course: the state the competence-match test ends in, which the searches read.
    await feed(h.db, 'veu-enrolments', enrolments([[MATCH, '22906', day(-20), day(-16), 2]]));
  });
  afterAll(async () => h?.close());

  it('matches each open-vacancy occupation with the balance, the supply and courses nearby, municipality first', async () => {
    // It adds a course enrolment the other tests read: a database of its own, before that enrolment.
    const own = await ownDatabase(target, load);
    const q = graph(own.db);
    const MATCH_QUERY = `{ company(cvr: "${MATCH}") { competenceMatch { area { code } needs { occupation { disco } vacancies openPositions balance balancePeriod unemployedInArea
      courses(first: 3) { course { number } nextInstance { id startsOn seatsLeft place { city } } proximity } jobRotationPossible } } } }`;
    const r = await q(MATCH_QUERY);
    expect(r.errors).toBeUndefined();
    expect(r.data.company.competenceMatch).toEqual({
      area: { code: 'RAR-VEST' },
      needs: [
        {
          occupation: { disco: '721200' },
          vacancies: 2,
          openPositions: 2,
          balance: 'SHORTAGE',
          balancePeriod: '2026H2',
          unemployedInArea: 40,
          courses: [
            // The full and the cancelled Herning holds are passed over; the Herning one wins over an earlier one in Ikast.
            {
              course: { number: '22906' },
              nextInstance: { id: 'herning', startsOn: day(30), seatsLeft: 8, place: { city: 'Herning' } },
              proximity: 'SAME_MUNICIPALITY',
            },
            // A course for the occupation's unit group (7212) serves it too.
            {
              course: { number: '22960' },
              nextInstance: { id: 'group-ikast', startsOn: day(15), seatsLeft: 8, place: { city: 'Ikast' } },
              proximity: 'SAME_AREA',
            },
            // Taught only outside the area: listed last, without an instance.
            { course: { number: '45000' }, nextInstance: null, proximity: null },
          ],
          jobRotationPossible: false,
        },
        {
          occupation: { disco: '833210' },
          vacancies: 1,
          openPositions: 2,
          balance: null,
          balancePeriod: null,
          unemployedInArea: null,
          courses: [{ course: { number: '40000' }, nextInstance: null, proximity: null }],
          jobRotationPossible: false,
        },
      ],
    });
    // Staff on a course, and unemployed welders in the area: job rotation becomes possible for welders, not for drivers (no supply).
    await feed(own.db, 'veu-enrolments', enrolments([[MATCH, '22906', day(-20), day(-16), 2]]));
    const after = (await q(MATCH_QUERY)).data.company.competenceMatch.needs.map((n: any) => [n.occupation.disco, n.jobRotationPossible]);
    expect(after).toEqual([
      ['721200', true],
      ['833210', false],
    ]);
    const tooMany = await q(`{ company(cvr: "${MATCH}") { competenceMatch { needs { courses(first: 11) { course { number } } } } } }`);
    expect(tooMany.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
  });

  it("answers the issue's cross-source search in one query, and combines registry and derived conditions", async () => {
    const issue = `{ companies(filter: { municipality: "657", signals: [HARD_TO_FILL_VACANCY], noCourseActivityMonths: 12 }, orderBy: OPEN_VACANCIES_DESC, first: 20) {
      totalCount edges { node { cvr situation { recruitment { openVacancies hardToFillVacancies } } } } } }`;
    const r = await q(issue);
    expect(r.errors).toBeUndefined();
    // One statement for the page with every condition and the order, one for the total: the profiles answer both.
    expect(r.statements).toBe(2);
    // MATCH has hard-to-fill vacancies too, but took a course (the enrolment loaded last); A2 took one two months ago.
    expect(r.data.companies).toEqual({
      totalCount: 1,
      edges: [{ node: { cvr: A1, situation: { recruitment: { openVacancies: 3, hardToFillVacancies: 3 } } } }],
    });
    expect(
      await cvrs(
        `{ companies(filter: { municipality: "657", signals: [HARD_TO_FILL_VACANCY], courseActivityMonths: 3 }) { edges { node { cvr } } } }`,
      ),
    ).toEqual([MATCH, A2].sort());
    expect(await cvrs(`{ companies(filter: { area: "RAR-OEST", minOpenVacancies: 1 }) { edges { node { cvr } } } }`)).toEqual([A4]);
    expect(
      await cvrs(
        `{ companies(filter: { contactedWithinMonths: 1, contactSystems: [ERHVERVSHUS], municipality: "657" }, orderBy: CVR_ASC) { edges { node { cvr } } } }`,
      ),
    ).toEqual([A3, O1, O2].sort());
    // MATCH and A2 sent staff on courses within three months: contacts with the education system.
    expect(
      await cvrs(`{ companies(filter: { noContactMonths: 3, minOpenVacancies: 1 }, orderBy: CVR_ASC) { edges { node { cvr } } } }`),
    ).toEqual([A1, A4].sort());
  });

  it('orders by the derived facts and pages with cursors', async () => {
    const order = (by: string) =>
      cvrs(`{ companies(orderBy: ${by}, first: 100, filter: { minOpenVacancies: 1 }) { edges { node { cvr } } } }`);
    const byVacancies = [
      [A4, 5],
      [A1, 3],
      [MATCH, 3],
      [A3, 2],
      [A2, 1],
    ]
      .sort((a, b) => (b[1] as number) - (a[1] as number) || String(a[0]).localeCompare(String(b[0])))
      .map((x) => x[0]);
    expect(await order('OPEN_VACANCIES_DESC')).toEqual(byVacancies);
    // Never contacted first, then the longest ago; a course enrolment is a contact with the education system.
    expect(await order('LAST_CONTACT_ASC')).toEqual([A1, A4, A2, MATCH, A3]);
    expect(await order('LAST_CONTACT_DESC')).toEqual([A3, MATCH, A2, A4, A1]);
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const r: any = await q(
        `query ($after: String) { companies(orderBy: OPEN_VACANCIES_DESC, first: 2, after: $after, filter: { minOpenVacancies: 1 }) { edges { node { cvr } } pageInfo { hasNextPage endCursor } } }`,
        { after },
      );
      seen.push(...r.data.companies.edges.map((e: any) => e.node.cvr));
      after = r.data.companies.pageInfo.hasNextPage ? r.data.companies.pageInfo.endCursor : null;
    } while (after);
    expect(seen).toEqual(byVacancies);
    const sequence = await q(`{ companies(orderBy: CHANGE_SEQUENCE_ASC, first: 100) { edges { node { changeSequence } } } }`);
    const seqs = sequence.data.companies.edges.map((e: any) => BigInt(e.node.changeSequence));
    expect(seqs).toEqual([...seqs].sort((a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0)));
  });

  it('names the field of a bad search condition', async () => {
    for (const [filter, field] of [
      ['noCourseActivityMonths: 0', 'filter.noCourseActivityMonths'],
      ['contactedWithinMonths: 121', 'filter.contactedWithinMonths'],
      ['minOpenVacancies: -1', 'filter.minOpenVacancies'],
      ['area: "Nordpolen"', 'filter.area'],
      ['municipality: "999"', 'filter.municipality'],
    ]) {
      const r = await q(`{ companies(filter: { ${filter} }) { totalCount } }`);
      expect(r.errors![0]!.extensions, filter).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
  });

  it('lists companies two systems were in contact with, with or without a referral between them', async () => {
    const overlaps = async (args: string) => {
      const r = await q(
        `{ contactOverlaps(${args}) { edges { node { company { cvr } systems referred from to contacts { date system kind } } } pageInfo { hasNextPage endCursor } } }`,
      );
      expect(r.errors).toBeUndefined();
      return r.data.contactOverlaps;
    };
    const month = await overlaps('days: 30');
    expect(month.edges.map((e: any) => [e.node.company.cvr, e.node.referred])).toEqual([
      [O2, true],
      [O1, false],
    ]);
    expect(month.edges[1].node).toMatchObject({
      systems: ['ERHVERVSHUS', 'JOBCENTRE'],
      from: day(-10),
      to: day(-3),
      contacts: [
        { date: day(-3), system: 'JOBCENTRE', kind: 'LOGGED_CONTACT' },
        { date: day(-10), system: 'ERHVERVSHUS', kind: 'MEETING' },
      ],
    });
    expect((await overlaps('days: 30, uncoordinatedOnly: true')).edges.map((e: any) => e.node.company.cvr)).toEqual([O1]);
    expect((await overlaps('days: 60')).edges.map((e: any) => e.node.company.cvr)).toEqual([O3, O2, O1]);
    expect((await overlaps('days: 60, municipality: "751"')).edges.map((e: any) => e.node.company.cvr)).toEqual([O3]);
    const first = await overlaps('days: 60, first: 1');
    const second = await overlaps(`days: 60, first: 1, after: "${first.pageInfo.endCursor}"`);
    expect([first.edges[0].node.company.cvr, second.edges[0].node.company.cvr]).toEqual([O3, O2]);
    const bad = await q(`{ contactOverlaps(days: 0) { edges { cursor } } }`);
    expect(bad.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'days' });
  });
});
