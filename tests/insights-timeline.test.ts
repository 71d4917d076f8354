import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../src/db/database.js';
import { dbTargets, freshDatabase, ownDatabase } from './helpers/db.js';
import { graph } from './helpers/graph.js';
import { ndjson, testCvr, vrv } from './helpers/cvr.js';
import { contactInput, day, enrolments, feed, jobAds, meetings, RECORD, referrals } from './helpers/insights.js';

const COMPANY = testCvr(10);
const OTHERS = Array.from({ length: 50 }, (_, i) => testCvr(100 + i));
const ORDER_ID = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';
const month = (offset: number) => day(offset).slice(0, 7);

const TIMELINE = `query ($cvr: CVR!, $systems: [ContactSystem!], $kinds: [ContactKind!], $from: Date, $to: Date, $first: Int, $after: String) {
  company(cvr: $cvr) { contacts(systems: $systems, kinds: $kinds, from: $from, to: $to, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { date system kind organisation consultant channel topics summary followUpOn referredTo sourceKey
      source { name syncedAt } record { __typename ... on Contact { organisation } ... on Meeting { title } ... on Referral { toActor }
        ... on JobOrder { orderId } ... on Enrolment { participants } } } } } } }`;

/** One contact of every kind with COMPANY, a day apart: logged, meeting, referral, job order, measure month, enrolment. */
async function load(h: DbHandle) {
  const q = graph(h.db);
  await feed(h.db, 'cvr', ndjson([vrv({ cvr: COMPANY })]));
  await feed(h.db, 'amu-courses', 'nummer;titel;dage;disco;positivliste\n22906;MIG/MAG-svejsning;5;721200;ja\n');
  const logged = await q(RECORD, { input: contactInput('t-1', COMPANY, { date: day(-1), channel: 'PHONE', followUpOn: day(10) }) });
  expect(logged.data.contactRecord.userErrors).toEqual([]);
  await feed(h.db, 'crm-meetings', meetings([[COMPANY, day(-2), 'Virksomhedsbesøg']]));
  await feed(h.db, 'crm-referrals', referrals([[COMPANY, 'Aarhus Tech', day(-3)]]));
  await feed(
    h.db,
    'joborders',
    ndjson([{ jobordreId: ORDER_ID, cvrNummer: Number(COMPANY), title: 'Svejsere', joborderStatusType: 'Aktiv', startdato: day(-4) }]),
  );
  await feed(h.db, 'measures', `cvr;periode;tilbud;antal\n${COMPANY};${month(-40).replace('-', 'M')};virksomhedspraktik;2\n`);
  await feed(h.db, 'veu-enrolments', enrolments([[COMPANY, '22906', day(-70), day(-66), 3]]));
  // Loaded after the referral: the provider list names Aarhus Tech, so the referral is re-derived as one to VEU.
  await feed(
    h.db,
    'veu-providers',
    'navn;institutionsnummer;type;adresse;postnr;by\nAarhus Tech;751460;Erhvervsskole;Hasselager Allé 2;8260;Viby J\n',
  );
}

/** Each of the OTHERS has a contact with a follow-up, an open welder ad (a need) and a course nearby. */
async function loadOthers(h: DbHandle) {
  const q = graph(h.db);
  await feed(h.db, 'cvr', ndjson(OTHERS.map((cvr) => vrv({ cvr }))));
  await feed(
    h.db,
    'jobnet',
    jobAds(OTHERS.map((cvr) => ({ ID: `o-${cvr}`, HiringOrgCVR: Number(cvr), OccupationCode: '721200', LastDateApplication: day(10) }))),
  );
  await feed(
    h.db,
    'amu-instances',
    JSON.stringify({
      holdCardDtos: [
        {
          holdId: 'HH1',
          amuNummer: '22906',
          holdTitle: 'MIG/MAG',
          institution: 'Aarhus Tech',
          lokationPostNr: '7400',
          startDate: day(20),
          endDate: day(24),
          currentParticipantAmount: 2,
          participantCapacity: 12,
          aflyst: false,
        },
      ],
    }),
  );
  for (const cvr of OTHERS) await q(RECORD, { input: contactInput(`o-${cvr}`, cvr, { followUpOn: day(5) }) });
}

describe.each(dbTargets)('contact timeline and coordination on $name', (target) => {
  // The tests that only read share a database with both loads; a test that records or withdraws
  // COMPANY's contacts (which the others read) has a database of its own.
  let h: DbHandle;
  let q: ReturnType<typeof graph>;
  const timelineOf =
    (q: ReturnType<typeof graph>) =>
    async (vars: Record<string, unknown> = {}) => {
      const r = await q(TIMELINE, { cvr: COMPANY, ...vars });
      expect(r.errors).toBeUndefined();
      return r.data.company.contacts;
    };
  const timeline = timelineOf((...args) => q(...args));
  const own = async (fill: (h: DbHandle) => Promise<unknown>) => {
    const h = await ownDatabase(target, fill);
    const q = graph(h.db);
    return { q, timeline: timelineOf(q) };
  };

  beforeAll(async () => {
    h = await freshDatabase(target);
    q = graph(h.db);
    await load(h);
    await loadOthers(h);
  });
  afterAll(async () => h?.close());

  it('merges every system into one timeline, newest first, each entry with its system, record and source', async () => {
    const t = await timeline({ first: 10 });
    expect(t.totalCount).toBe(6);
    expect(t.edges.map((e: any) => [e.node.kind, e.node.system, e.node.record?.__typename ?? null, e.node.source.name])).toEqual([
      ['LOGGED_CONTACT', 'JOBCENTRE', 'Contact', 'contact-log'],
      ['MEETING', 'ERHVERVSHUS', 'Meeting', 'crm-meetings'],
      ['REFERRAL', 'ERHVERVSHUS', 'Referral', 'crm-referrals'],
      ['JOB_ORDER', 'JOBCENTRE', 'JobOrder', 'joborders'],
      ['MEASURE', 'JOBCENTRE', null, 'measures'],
      ['ENROLMENT', 'VEU', 'Enrolment', 'veu-enrolments'],
    ]);
    const [logged, meeting, referral, order, measure, enrolment] = t.edges.map((e: any) => e.node);
    expect(logged).toMatchObject({
      date: day(-1),
      organisation: 'Jobcenter Herning',
      consultant: 'Hanne Bækgaard',
      channel: 'PHONE',
      followUpOn: day(10),
      record: { organisation: 'Jobcenter Herning' },
    });
    expect(meeting).toMatchObject({
      organisation: 'Erhvervshus Midtjylland',
      consultant: 'Ole Olsen',
      channel: 'VISIT',
      summary: 'Virksomhedsbesøg',
      record: { title: 'Virksomhedsbesøg' },
    });
    expect(referral).toMatchObject({ referredTo: 'VEU', summary: 'Referred to Aarhus Tech (sent)', record: { toActor: 'Aarhus Tech' } });
    expect(order).toMatchObject({
      organisation: 'Jobcenter Herning',
      summary: 'Job order: Svejsere (Aktiv)',
      sourceKey: ORDER_ID,
      record: { orderId: ORDER_ID },
    });
    expect(measure).toMatchObject({
      date: `${month(-40)}-01`,
      summary: `2 in virksomhedspraktik, ${month(-40)}`,
      topics: ['rekruttering', 'virksomhedspraktik'],
    });
    expect(enrolment).toMatchObject({ organisation: null, record: { participants: 3 } });
    expect(t.edges.every((e: any) => e.node.source.syncedAt !== null)).toBe(true);
  });

  it('filters by system, kind and date window, and pages across systems without gaps or repeats', async () => {
    expect((await timeline({ systems: ['VEU'] })).edges.map((e: any) => e.node.kind)).toEqual(['ENROLMENT']);
    expect((await timeline({ kinds: ['MEETING', 'REFERRAL'] })).edges.map((e: any) => e.node.kind)).toEqual(['MEETING', 'REFERRAL']);
    expect((await timeline({ from: day(-3), to: day(-2) })).edges.map((e: any) => e.node.date)).toEqual([day(-2), day(-3)]);
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 4; page++) {
      const t: any = await timeline({ first: 2, after });
      seen.push(...t.edges.map((e: any) => e.node.kind));
      after = t.pageInfo.endCursor;
      if (!t.pageInfo.hasNextPage) break;
    }
    expect(seen).toEqual(['LOGGED_CONTACT', 'MEETING', 'REFERRAL', 'JOB_ORDER', 'MEASURE', 'ENROLMENT']);
    const bad = await q(TIMELINE, { cvr: COMPANY, from: day(0), to: day(-5) });
    expect(bad.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'from' });
  });

  it('shows the last contact per system, the active actors and the follow-ups still due', async () => {
    const { q } = await own(load);
    const COORDINATION = `{ company(cvr: "${COMPANY}") { coordination { lastContact { date system } lastContactBySystem { date system kind }
      activeActors followUpsDue { date system organisation overdue contact { date kind } } } } }`;
    const r = await q(COORDINATION);
    expect(r.errors).toBeUndefined();
    expect(r.data.company.coordination).toEqual({
      lastContact: { date: day(-1), system: 'JOBCENTRE' },
      lastContactBySystem: [
        { date: day(-1), system: 'JOBCENTRE', kind: 'LOGGED_CONTACT' },
        { date: day(-2), system: 'ERHVERVSHUS', kind: 'MEETING' },
        { date: day(-70), system: 'VEU', kind: 'ENROLMENT' },
      ],
      activeActors: ['Jobcenter Herning', 'Erhvervshus Midtjylland'],
      followUpsDue: [
        {
          date: day(10),
          system: 'JOBCENTRE',
          organisation: 'Jobcenter Herning',
          overdue: false,
          contact: { date: day(-1), kind: 'LOGGED_CONTACT' },
        },
      ],
    });
    // Another jobcentre's follow-up is overdue; a later contact from an organisation meets its own follow-ups only.
    await q(RECORD, {
      input: contactInput('t-0', COMPANY, { organisation: 'Jobcenter Ikast-Brande', date: day(-20), followUpOn: day(-5) }),
    });
    const followUps = async () =>
      (await q(COORDINATION)).data.company.coordination.followUpsDue.map((f: any) => [f.date, f.organisation, f.overdue]);
    expect(await followUps()).toEqual([
      [day(-5), 'Jobcenter Ikast-Brande', true],
      [day(10), 'Jobcenter Herning', false],
    ]);
    await q(RECORD, { input: contactInput('t-2', COMPANY, { date: day(0) }) });
    expect(await followUps()).toEqual([[day(-5), 'Jobcenter Ikast-Brande', true]]);
    await q(RECORD, { input: contactInput('t-3', COMPANY, { organisation: 'Jobcenter Ikast-Brande', date: day(0) }) });
    expect(await followUps()).toEqual([]);
  });

  it('drops a withdrawn contact from the timeline', async () => {
    // A contact of its own with COMPANY, which needs only the company.
    const { q, timeline } = await own((h) => feed(h.db, 'cvr', ndjson([vrv({ cvr: COMPANY })])));
    const made = await q(RECORD, { input: contactInput('t-w', COMPANY, { date: day(-30), organisation: 'Jobcenter Struer' }) });
    const id = made.data.contactRecord.contact.id;
    expect((await timeline({ first: 20 })).edges.some((e: any) => e.node.organisation === 'Jobcenter Struer')).toBe(true);
    const w = await q(
      `mutation { contactWithdraw(input: { idempotencyKey: "t-w-w", id: "${id}", reason: "forkert virksomhed" }) { userErrors { field } } }`,
    );
    expect(w.data.contactWithdraw.userErrors).toEqual([]);
    expect((await timeline({ first: 20 })).edges.some((e: any) => e.node.organisation === 'Jobcenter Struer')).toBe(false);
  });

  it('sends the same number of statements for the company view of 5 companies as of 50', async () => {
    // Each of the OTHERS has a contact with a follow-up, an open welder ad (a need) and a course nearby (loadOthers).
    const view = (n: number) => `{ companies(first: ${n}, orderBy: CVR_ASC, filter: { contactedWithinMonths: 1 }) { edges { node { cvr
      contacts(first: 5) { totalCount edges { node { date system record { __typename ... on Contact { organisation } } source { syncedAt } } } }
      coordination { lastContact { date } activeActors followUpsDue { date contact { kind } } }
      situation { summary recruitment { openVacancies } signals { kind evidence { __typename } } }
      competenceMatch { needs { occupation { title } courses { course { title } nextInstance { startsOn } } } }
      changeSequence } } } }`;
    const small = await q(view(5));
    const large = await q(view(50));
    expect(large.errors).toBeUndefined();
    expect(large.data.companies.edges).toHaveLength(50);
    // Every level is populated, so every level's loader ran for all 50 companies.
    const last = large.data.companies.edges.at(-1).node;
    expect(last.contacts.edges[0].node.record).toEqual({ __typename: 'Contact', organisation: 'Jobcenter Herning' });
    expect(last.coordination.followUpsDue).toEqual([{ date: day(5), contact: { kind: 'LOGGED_CONTACT' } }]);
    expect(last.situation.signals.map((s: any) => s.kind)).toEqual([]);
    expect(last.competenceMatch.needs[0].courses[0]).toEqual({
      course: { title: 'MIG/MAG-svejsning' },
      nextInstance: { startsOn: day(20) },
    });
    expect(large.statements).toBe(small.statements);
  });

  it("answers the README's full company view in at most 6 statements", async () => {
    // The company (one of the OTHERS) has a logged contact with a follow-up, an open ad (a need) and a course nearby (loadOthers).
    const r = await q(
      `query ($cvr: CVR!) { company(cvr: $cvr) {
      contacts(first: 20, systems: [JOBCENTRE, ERHVERVSHUS, VEU], from: "2020-01-01") { totalCount edges { node {
        date system kind organisation consultant channel topics summary followUpOn
        record { __typename ... on Meeting { title } ... on JobOrder { orderId } } source { name syncedAt } } } }
      coordination { lastContact { date system } lastContactBySystem { date system } activeActors followUpsDue { date system overdue } }
      situation { summary recruitment { openVacancies hardToFillVacancies } upskilling { participantsLast12Months }
        growth { activeProgrammes competencePlanMissing }
        signals { kind severity message since evidence { __typename ... on Vacancy { title } ... on Course { number title } } }
        changedAt sources { name syncedAt } }
      competenceMatch { area { name } needs { occupation { title } openPositions balance unemployedInArea
        courses(first: 3) { course { number title } nextInstance { startsOn place { city } seatsLeft } proximity } jobRotationPossible } }
      changeSequence } }`,
      { cvr: OTHERS[0] },
    );
    expect(r.errors).toBeUndefined();
    const c = r.data.company;
    expect(c.contacts.totalCount).toBe(1);
    expect(c.contacts.edges[0].node.source).toMatchObject({ name: 'contact-log' });
    expect(c.contacts.edges[0].node.source.syncedAt).not.toBeNull();
    expect(c.coordination.followUpsDue).toEqual([{ date: day(5), system: 'JOBCENTRE', overdue: false }]);
    expect(c.situation.recruitment.openVacancies).toBe(1);
    expect(c.situation.sources.find((s: any) => s.name === 'jobnet').syncedAt).not.toBeNull();
    expect(c.competenceMatch.needs[0].courses[0]).toMatchObject({
      course: { number: '22906', title: 'MIG/MAG-svejsning' },
      nextInstance: { startsOn: day(20) },
    });
    expect(r.statements).toBeLessThanOrEqual(6);
  });
});
