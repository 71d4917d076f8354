import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rebuildInsights, refreshInsights } from '../connectors/insights/derive/index.js';
import type { DbHandle } from '../src/db/database.js';
import { loadDemo } from '../src/demo/load.js';
import { dbTargets, freshDatabase } from './helpers/db.js';
import { graph } from './helpers/graph.js';
import { contactInput, day, RECORD } from './helpers/insights.js';

const SIGNALS = ['GROWTH_WITHOUT_COMPETENCE_PLAN', 'HARD_TO_FILL_VACANCY', 'LAYOFF_NOTICE', 'UNCOORDINATED_CONTACT', 'NO_PUBLIC_CONTACT'];

const VIEW = `query ($cvr: CVR!) { company(cvr: $cvr) { name changeSequence
  contacts(first: 20, systems: [JOBCENTRE, ERHVERVSHUS, VEU]) { edges { node { date system organisation channel topics summary } } }
  coordination { lastContact { date system } activeActors followUpsDue { date system } }
  situation { summary
    recruitment { openVacancies hardToFillVacancies }
    upskilling { participantsLast12Months }
    growth { activeProgrammes }
    signals { kind severity message evidence { __typename } } }
  competenceMatch { needs { occupation { title } openPositions balance unemployedInArea
    courses(first: 3) { course { number title } nextInstance { startsOn place { city } seatsLeft } } jobRotationPossible } } } }`;

describe.each(dbTargets)('insights from the demo data on $name', (target) => {
  let h: DbHandle;
  let q: ReturnType<typeof graph>;
  const sequences = async () =>
    (await sql<{ cvr: string; change_seq: number }>`SELECT cvr, change_seq FROM insights.company_profile ORDER BY cvr`.execute(h.db)).rows;

  beforeAll(async () => {
    h = await freshDatabase(target);
    q = graph(h.db);
    const runs = await loadDemo(h.db, { companies: 2000 });
    expect(runs.every((r) => r.status === 'succeeded' && r.rejected === 0)).toBe(true);
    expect(runs.find((r) => r.source === 'contacts')!.inserted).toBeGreaterThan(100);
  }, 240_000);
  afterAll(async () => h?.close());

  it('raises every signal for some companies, so the sandbox shows each', async () => {
    for (const kind of SIGNALS) {
      const r = await q(
        `{ companies(filter: { signals: [${kind}] }, first: 1) { totalCount edges { node { cvr situation { signals { kind evidence { __typename } } } } } } }`,
      );
      expect(r.errors).toBeUndefined();
      expect(r.data.companies.totalCount, kind).toBeGreaterThan(0);
      const signal = r.data.companies.edges[0].node.situation.signals.find((s: any) => s.kind === kind);
      expect(signal.evidence.length, kind).toBeGreaterThan(0);
    }
  });

  it("answers the issue's operations", async () => {
    const list =
      await q(`{ companies(filter: { municipality: "657", signals: [HARD_TO_FILL_VACANCY], noCourseActivityMonths: 12 }, orderBy: OPEN_VACANCIES_DESC, first: 20) {
      edges { node { cvr name situation { recruitment { openVacancies hardToFillVacancies } } } } } }`);
    expect(list.errors).toBeUndefined();
    const edges = list.data.companies.edges;
    expect(edges.length).toBeGreaterThan(0);
    const counts = edges.map((e: any) => e.node.situation.recruitment.openVacancies);
    expect(counts).toEqual([...counts].sort((a: number, b: number) => b - a));

    const cvr = edges[0].node.cvr;
    const recorded = await q(RECORD, { input: contactInput('demo-test-1', cvr, { date: day(0), followUpOn: day(14) }) });
    expect(recorded.data.contactRecord.userErrors).toEqual([]);
    const view = await q(VIEW, { cvr });
    expect(view.errors).toBeUndefined();
    const c = view.data.company;
    expect(c.contacts.edges[0].node).toMatchObject({ date: day(0), system: 'JOBCENTRE', organisation: 'Jobcenter Herning' });
    expect(c.coordination.lastContact).toEqual({ date: day(0), system: 'JOBCENTRE' });
    expect(c.coordination.followUpsDue).toContainEqual({ date: day(14), system: 'JOBCENTRE' });
    expect(c.situation.signals.map((s: any) => s.kind)).toContain('HARD_TO_FILL_VACANCY');
    expect(c.situation.summary).toContain(c.name);
    expect(c.competenceMatch.needs.some((n: any) => n.balance === 'SHORTAGE')).toBe(true);

    const overlaps = await q(
      `{ contactOverlaps(days: 30, first: 20) { edges { node { company { name } systems contacts { date system } } } } }`,
    );
    expect(overlaps.errors).toBeUndefined();
    expect(overlaps.data.contactOverlaps.edges.length).toBeGreaterThan(0);
    expect(overlaps.data.contactOverlaps.edges.every((e: any) => e.node.systems.length >= 2)).toBe(true);
  });

  it('sends the same number of statements for 2 signalling companies with their evidence as for 20, and for 2 overlaps as for 10', async () => {
    // One kind of signal, so both lists point at one kind of evidence: statements follow the kinds of records, not their number.
    const signalling = (n: number) => `{ companies(filter: { signals: [HARD_TO_FILL_VACANCY] }, first: ${n}) { edges { node { name
      situation { signals(kinds: [HARD_TO_FILL_VACANCY]) { kind message evidence { __typename ... on Vacancy { title workplace { city } } ... on GuidanceProgramme { kind }
        ... on LayoffNotice { persons } ... on Course { title } ... on Company { name } ... on ContactEntry { date organisation } } } } } } } }`;
    const two = await q(signalling(2));
    const twenty = await q(signalling(20));
    expect(twenty.errors).toBeUndefined();
    expect(twenty.data.companies.edges).toHaveLength(20);
    expect(twenty.statements).toBe(two.statements);
    const overlapping = (n: number) =>
      `{ contactOverlaps(days: 90, first: ${n}) { totalCount edges { node { company { name } systems contacts { date system summary } } } } }`;
    const few = await q(overlapping(2));
    const more = await q(overlapping(10));
    expect(more.errors).toBeUndefined();
    expect(more.data.contactOverlaps.edges).toHaveLength(10);
    expect(more.statements).toBe(few.statements);
  });

  it('changes no sequence number when a rebuild or a refresh finds nothing new', async () => {
    const before = await sequences();
    const rebuilt = await rebuildInsights(h.db);
    expect(rebuilt.companies).toBe(2000);
    expect(await sequences()).toEqual(before);
    expect((await refreshInsights(h.db))!.companies).toBe(0);
    expect(await sequences()).toEqual(before);
  });
});
