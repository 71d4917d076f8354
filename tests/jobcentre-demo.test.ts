import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../src/db/database.js';
import { loadDemo } from '../src/demo/load.js';
import { dbTargets, freshDatabase } from './helpers/db.js';
import { graph } from './helpers/graph.js';

describe.each(dbTargets)('jobcentre demo data on $name', (target) => {
  let h: DbHandle;
  let q: ReturnType<typeof graph>;
  beforeAll(async () => {
    h = await freshDatabase(target);
    q = graph(h.db);
    const runs = await loadDemo(h.db, { companies: 600 });
    expect(runs.map((r) => r.source)).toEqual(
      expect.arrayContaining(['cvr', 'jobnet', 'joborders', 'measures', 'layoffs', 'supply', 'balance']),
    );
    expect(runs.every((r) => r.status === 'succeeded' && r.rejected === 0)).toBe(true);
    const jobnet = runs.find((r) => r.source === 'jobnet')!;
    // A realistic feed: most ads map to an occupation, a few do not, a few name no company.
    expect(jobnet.notes.withoutOccupation).toBeGreaterThan(0);
    expect(jobnet.notes.withoutOccupation).toBeLessThan(jobnet.read * 0.15);
    expect(jobnet.notes.unmatchedCompany).toBeGreaterThan(0);
  });
  afterAll(async () => h?.close());

  it('answers the issue’s queries from demo data', async () => {
    const list = await q(
      `{ companies(first: 100) { edges { node { cvr recruitment { vacancies(status: OPEN, first: 10) { totalCount edges { node { title occupation { disco title } positions postedAt applyBy workplace { city municipality { name } } } } } } } } } }`,
    );
    expect(list.errors).toBeUndefined();
    const recruiting = list.data.companies.edges.filter((e: any) => e.node.recruitment.vacancies.totalCount > 0);
    expect(recruiting.length).toBeGreaterThan(5);
    const cvr = recruiting[0].node.cvr;
    const one =
      await q(`{ company(cvr: "${cvr}") { recruitment { jobOrders(first: 10) { edges { node { title status startDate occupation { title } } } }
      measures(from: "2025-01", to: "2025-12") { kind count } layoffNotices { date persons reason } source { name syncedAt } } } }`);
    expect(one.errors).toBeUndefined();
    expect(one.data.company.recruitment.measures).toHaveLength(4);
    const occ = await q(
      `{ occupation(disco: "721200") { title parent { title } balance(area: "RAR-VEST") { category period } unemployedSupply(area: "RAR-VEST") { count period } } }`,
    );
    expect(occ.errors).toBeUndefined();
    expect(occ.data.occupation.balance.category).toMatch(/SHORTAGE|PARADOX/);
    expect(occ.data.occupation.unemployedSupply.count).toBeGreaterThan(0);
    const shortage = await q(
      `{ labourMarketBalance(area: "RAR-OEST", category: SHORTAGE, first: 20) { edges { node { occupation { title } category period } } } }`,
    );
    expect(shortage.errors).toBeUndefined();
    expect(shortage.data.labourMarketBalance.edges.length).toBeGreaterThan(2);
    const unmatched = await q(`{ unmatchedVacancies(first: 5) { totalCount } }`);
    expect(unmatched.data.unmatchedVacancies.totalCount).toBeGreaterThan(0);
  });
});
