import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { refreshInsights } from '../connectors/insights/derive/index.js';
import { occupationByCode } from '../src/codes/occupations.js';
import type { DbHandle } from '../src/db/database.js';
import { dbTargets, freshDatabase, ownDatabase } from './helpers/db.js';
import { graph } from './helpers/graph.js';
import { ndjson, testCvr, vrv } from './helpers/cvr.js';
import {
  balance,
  contactInput,
  day,
  enrolments,
  feed,
  jobAds,
  layoffs,
  meetings,
  programmes,
  RECORD,
  referrals,
  SITUATION,
} from './helpers/insights.js';

// Herning (657, RAR-VEST) companies; each test owns one.
const SHORTAGE = testCvr(1);
const GROWTH = testCvr(2);
const LAYOFF = testCvr(3);
const RECRUITER = testCvr(4);
const OVERLAP = testCvr(5);
const QUIET = testCvr(6);
const COURSE = 'nummer;titel;dage;disco;positivliste\n22906;MIG/MAG-svejsning;5;721200;ja\n40150;Lagerstyring;2;432100;nej\n';

describe.each(dbTargets)('signals on $name', (target) => {
  let h: DbHandle;
  let q: ReturnType<typeof graph>;
  const situation = async (cvr: string) => {
    const r = await q(SITUATION, { cvr });
    expect(r.errors).toBeUndefined();
    return { seq: BigInt(r.data.company.changeSequence), signals: r.data.company.situation.signals as any[] };
  };
  const listed = async (kind: string) => {
    const r = await q(`{ companies(filter: { signals: [${kind}] }, first: 100, orderBy: CVR_ASC) { edges { node { cvr } } } }`);
    return r.data.companies.edges.map((e: any) => e.node.cvr);
  };

  const load = async (h: DbHandle) => {
    await feed(h.db, 'cvr', ndjson([SHORTAGE, GROWTH, LAYOFF, RECRUITER, OVERLAP, QUIET].map((cvr) => vrv({ cvr, band: 'ANTAL_50_99' }))));
    await feed(h.db, 'amu-courses', COURSE);
  };
  // Tests that change only their own company's data share a database. A test that changes a balance or
  // ads of an occupation, or the date, changes other companies' signals: it has a database of its own.
  let shared: DbHandle;
  beforeAll(async () => {
    shared = await freshDatabase(target);
    await load(shared);
  });
  afterAll(async () => shared?.close());
  beforeEach(() => {
    h = shared;
    q = graph(h.db);
  });
  const useOwnDatabase = async () => {
    h = await ownDatabase(target, load);
    q = graph(h.db);
  };

  it('HARD_TO_FILL_VACANCY fires on an open ad in a shortage occupation and clears when the balance changes', async () => {
    await useOwnDatabase();
    await feed(h.db, 'balance', balance([['721200', 'RAR-VEST', '2026H2', 'Mangel på arbejdskraft']]));
    await feed(
      h.db,
      'jobnet',
      jobAds([{ ID: 'S1', HiringOrgCVR: Number(SHORTAGE), OccupationCode: '721200', LastDateApplication: day(10) }]),
    );
    const fired = await situation(SHORTAGE);
    const signal = fired.signals.find((s) => s.kind === 'HARD_TO_FILL_VACANCY');
    expect(signal).toMatchObject({ severity: 'MEDIUM', evidence: [{ __typename: 'Vacancy', adId: 'S1' }] });
    expect(signal.message).toBe(
      `1 open vacancy (1 position) in ${occupationByCode('721200')!.title}, with a shortage of labour in RAR Vestjylland.`,
    );
    expect(await listed('HARD_TO_FILL_VACANCY')).toEqual([SHORTAGE]);

    // The balance feed names no company: the companies recruiting in its occupations are derived again.
    await feed(h.db, 'balance', balance([['721200', 'RAR-VEST', '2026H2', 'Gode jobmuligheder']]));
    const cleared = await situation(SHORTAGE);
    expect(cleared.signals.map((s) => s.kind)).not.toContain('HARD_TO_FILL_VACANCY');
    expect(cleared.seq).toBeGreaterThan(fired.seq);
    expect(await listed('HARD_TO_FILL_VACANCY')).toEqual([]);

    // The same file again changes nothing, so the sequence stays.
    await feed(h.db, 'balance', balance([['721200', 'RAR-VEST', '2026H2', 'Gode jobmuligheder']]));
    expect((await situation(SHORTAGE)).seq).toBe(cleared.seq);
  });

  it('NO_PUBLIC_CONTACT fires on hard-to-fill vacancies without contact and clears with a recorded contact', async () => {
    await useOwnDatabase();
    await feed(h.db, 'balance', balance([['721200', 'RAR-VEST', '2026H2', 'Mangel på arbejdskraft']]));
    await feed(h.db, 'jobnet', jobAds([{ ID: 'Q1', HiringOrgCVR: Number(QUIET), OccupationCode: '721200', LastDateApplication: day(10) }]));
    const fired = await situation(QUIET);
    expect(fired.signals.map((s) => s.kind)).toEqual(['HARD_TO_FILL_VACANCY', 'NO_PUBLIC_CONTACT']);
    const silent = fired.signals.find((s) => s.kind === 'NO_PUBLIC_CONTACT');
    expect(silent.message).toBe('1 hard-to-fill vacancy and no contact from any public system in 12 months (never).');
    expect(silent.evidence).toEqual([{ __typename: 'Vacancy', adId: 'Q1' }]);

    const recorded = await q(RECORD, { input: contactInput('quiet-1', QUIET) });
    expect(recorded.data.contactRecord.userErrors).toEqual([]);
    const cleared = await situation(QUIET);
    expect(cleared.signals.map((s) => s.kind)).toEqual(['HARD_TO_FILL_VACANCY']);
    expect(cleared.seq).toBeGreaterThan(fired.seq);
  });

  it('GROWTH_WITHOUT_COMPETENCE_PLAN fires on an active growth package without a plan and clears with a course enrolment', async () => {
    await feed(h.db, 'crm-programmes', programmes([[GROWTH, 'Vækstpakke', 'I gang', day(-60), 'Nej']]));
    const fired = await situation(GROWTH);
    expect(fired.signals).toMatchObject([
      {
        kind: 'GROWTH_WITHOUT_COMPETENCE_PLAN',
        severity: 'HIGH',
        since: day(-60),
        message:
          '1 active growth programme (growth package) without an agreed competence-development plan, and no course enrolments in 12 months.',
        evidence: [{ __typename: 'GuidanceProgramme', programmeKind: 'GROWTH_PACKAGE' }],
      },
    ]);
    await feed(h.db, 'veu-enrolments', enrolments([[GROWTH, '22906', day(-10), day(-6), 3]]));
    const cleared = await situation(GROWTH);
    expect(cleared.signals).toEqual([]);
    expect(cleared.seq).toBeGreaterThan(fired.seq);
  });

  it('UNCOORDINATED_CONTACT fires on contacts from two systems within 30 days and clears with a referral between them', async () => {
    await q(RECORD, { input: contactInput('overlap-1', OVERLAP, { date: day(-3) }) });
    await feed(h.db, 'crm-meetings', meetings([[OVERLAP, day(-5), 'Vækstsparring']]));
    const fired = await situation(OVERLAP);
    expect(fired.signals).toMatchObject([
      {
        kind: 'UNCOORDINATED_CONTACT',
        severity: 'LOW',
        since: day(-5),
        message: '2 contacts from the business house (Erhvervshus) and jobcentre within 30 days, with no referral between them.',
        evidence: [
          { __typename: 'ContactEntry', date: day(-3), system: 'JOBCENTRE', kind: 'LOGGED_CONTACT' },
          { __typename: 'ContactEntry', date: day(-5), system: 'ERHVERVSHUS', kind: 'MEETING' },
        ],
      },
    ]);
    await feed(h.db, 'crm-referrals', referrals([[OVERLAP, 'Jobcenter Herning', day(-4)]]));
    const cleared = await situation(OVERLAP);
    expect(cleared.signals).toEqual([]);
    expect(cleared.seq).toBeGreaterThan(fired.seq);
  });

  it('LAYOFF_NOTICE fires with matching courses and nearby recruiters as evidence, and clears six months on', async () => {
    await useOwnDatabase();
    // The laid-off company has recruited welders before; neighbours in the same area recruit welders now.
    await feed(
      h.db,
      'jobnet',
      jobAds([
        { ID: 'L-old', HiringOrgCVR: Number(LAYOFF), OccupationCode: '721200', PostingCreated: day(-300), LastDateApplication: day(-280) },
        { ID: 'R1', HiringOrgCVR: Number(RECRUITER), OccupationCode: '721200', LastDateApplication: day(20) },
        { ID: 'S1', HiringOrgCVR: Number(SHORTAGE), OccupationCode: '721200', LastDateApplication: day(10) },
        { ID: 'Q1', HiringOrgCVR: Number(QUIET), OccupationCode: '721200', LastDateApplication: day(10) },
      ]),
    );
    await feed(h.db, 'layoffs', layoffs([{ cvr: LAYOFF, dato: day(-30), antalPersoner: 40, aarsag: 'indskrænkning' }]));
    const fired = await situation(LAYOFF);
    const signal = fired.signals.find((s) => s.kind === 'LAYOFF_NOTICE');
    expect(signal).toMatchObject({
      severity: 'MEDIUM',
      since: day(-30),
      message: `Layoff notice for 40 persons on ${day(-30)}. Related occupations: ${occupationByCode('721200')!.title}; see matching courses and nearby companies recruiting.`,
      evidence: [
        { __typename: 'LayoffNotice', date: day(-30), persons: 40 },
        { __typename: 'Course', number: '22906' },
        // Every company in the area with an open welder ad.
        ...[SHORTAGE, RECRUITER, QUIET].sort().map((cvr) => ({ __typename: 'Company', cvr })),
      ],
    });
    expect(await listed('LAYOFF_NOTICE')).toEqual([LAYOFF]);

    // Nothing is ingested: the date alone moves the notice out of its six-month window (the daily refresh).
    const later = await refreshInsights(h.db, day(200));
    expect(later!.companies).toBeGreaterThan(0);
    const cleared = await situation(LAYOFF);
    expect(cleared.signals.map((s) => s.kind)).not.toContain('LAYOFF_NOTICE');
    expect(cleared.seq).toBeGreaterThan(fired.seq);
  });
});
