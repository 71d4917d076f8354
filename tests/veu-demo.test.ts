import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../src/db/database.js';
import { loadDemo } from '../src/demo/load.js';
import { dbTargets, freshDatabase } from './helpers/db.js';
import { graph } from './helpers/graph.js';

describe.each(dbTargets)('VEU demo data on $name', (target) => {
  let h: DbHandle;
  let q: ReturnType<typeof graph>;
  beforeAll(async () => {
    h = await freshDatabase(target);
    q = graph(h.db);
    const runs = await loadDemo(h.db, { companies: 200 });
    for (const r of runs) expect(r, r.source).toMatchObject({ status: 'succeeded', rejected: 0 });
    expect(runs.map((r) => r.source)).toEqual(
      expect.arrayContaining(['cvr', 'amu-courses', 'veu-providers', 'amu-instances', 'veu-enrolments']),
    );
    expect(runs[0]!.source).toBe('cvr');
  });
  afterAll(async () => h?.close());

  it('answers the course search of the issue with upcoming welding courses in Herning', async () => {
    const r = await q(`{ courses(filter: { occupation: "721200", municipality: "657", positiveList: true }, first: 10) {
      totalCount edges { node { number title days occupations { disco }
        instances(upcoming: true, first: 5) { edges { node { provider { name } place { city municipality { code } } startsOn seatsLeft cancelled } } } } } } }`);
    expect(r.errors).toBeUndefined();
    expect(r.data.courses.totalCount).toBeGreaterThan(0);
    const today = new Date().toISOString().slice(0, 10);
    let last = '';
    for (const { node } of r.data.courses.edges) {
      expect(node.occupations.some((o: any) => '721200'.startsWith(o.disco))).toBe(true);
      expect(node.instances.edges.length).toBeGreaterThan(0);
      const first = node.instances.edges[0].node;
      expect(first.startsOn >= last).toBe(true);
      last = first.startsOn;
      for (const { node: i } of node.instances.edges) {
        expect(i).toMatchObject({ cancelled: false, place: { municipality: { code: '657' } } });
        expect(i.startsOn >= today).toBe(true);
        expect(i.seatsLeft).toBeGreaterThanOrEqual(0);
      }
    }
  });

  it('knows course 22906 and gives some companies an upskilling history', async () => {
    const r = await q(`{ course(number: "22906") { title days } }`);
    expect(r.data.course).toEqual({ title: 'MIG/MAG-svejsning af stumpsømme i plade, PA', days: 5 });
    const c = await q(`{ companies(first: 100) { edges { node { upskilling { participantsLast12Months lastCourseOn
      enrolments(from: "${new Date(Date.now() - 700 * 86_400_000).toISOString().slice(0, 10)}") { course { title } participants } } } } } }`);
    expect(c.errors).toBeUndefined();
    const active = c.data.companies.edges.filter((e: any) => e.node.upskilling.enrolments.length > 0);
    expect(active.length).toBeGreaterThan(10);
    expect(active.length).toBeLessThan(100);
    expect(active.every((e: any) => e.node.upskilling.enrolments.every((x: any) => x.course?.title && x.participants > 0))).toBe(true);
  });
});
