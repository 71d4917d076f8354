import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { occupationByCode } from '../src/codes/occupations.js';
import type { DbHandle } from '../src/db/database.js';
import { dbTargets, freshDatabase } from './helpers/db.js';
import { graph, ingestText } from './helpers/graph.js';
import { ndjson, testCvr, vrv } from './helpers/cvr.js';

const COURSES = 60;
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const month = (offset: number) => {
  const d = new Date();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + offset);
  return d.toISOString().slice(0, 7);
};
const number = (i: number) => String(30000 + i);

// Course i aims at welders' unit group 7212 when even, at truck drivers (834400) when odd; every third is on the positive list.
const catalogue =
  'nummer;titel;dage;disco;positivliste\n' +
  Array.from(
    { length: COURSES },
    (_, i) =>
      `${number(i)};${i % 2 ? 'Truck' : 'Svejsning'} kursus ${i};${1 + (i % 5)};${i % 2 ? '834400' : '7212'};${i % 3 === 0 ? 'ja' : 'nej'}`,
  ).join('\n') +
  '\n39999;Kursus uden hold;2;721200;ja\n';

const hold = (id: string, course: string, postcode: string, start: number, o: Record<string, unknown> = {}) => ({
  holdId: id,
  amuNummer: course,
  holdTitle: `Hold ${id}`,
  institution: postcode === '7400' ? 'Herningsholm Erhvervsskole' : 'Aarhus Tech',
  lokationSted: 'Værkstedet',
  lokationGade: 'Skolevej 1',
  lokationPostNr: postcode,
  startDate: day(start),
  endDate: day(start + 2),
  tilmeldingsFrist: day(start - 7),
  undervisningsform: 'Almindelig undervisning',
  currentParticipantAmount: 5,
  participantCapacity: 12,
  aflyst: false,
  ...o,
});

// Every course: two Herning instances (the course with the higher index starts sooner), one in Aarhus, one past, one cancelled.
const holds = Array.from({ length: COURSES }, (_, i) => [
  hold(`H${i}a`, number(i), '7400', 100 - i, { currentParticipantAmount: 15 }),
  hold(`H${i}b`, number(i), '7400', 200 - i),
  hold(`A${i}`, number(i), '8000', 5),
  hold(`P${i}`, number(i), '7400', -40),
  hold(`C${i}`, number(i), '7400', 2, { aflyst: true }),
]).flat();

const providers =
  'navn;institutionsnummer;type;adresse;postnr;by\nHerningsholm Erhvervsskole;657410;Erhvervsskole;Gullestrupvej 6;7400;Herning\n';

const COMPANIES = 50;
const cvr = (i: number) => testCvr(i);

describe.each(dbTargets)('VEU graph on $name', (target) => {
  let h: DbHandle;
  let q: ReturnType<typeof graph>;
  beforeAll(async () => {
    h = await freshDatabase(target);
    q = graph(h.db);
    await ingestText(
      h.db,
      'cvr',
      ndjson(Array.from({ length: COMPANIES }, (_, i) => vrv({ cvr: cvr(i), name: `Firma ${String(i).padStart(2, '0')} ApS` }))),
    );
    expect((await ingestText(h.db, 'amu-courses', catalogue)).inserted).toBe(COURSES + 1);
    expect((await ingestText(h.db, 'amu-instances', JSON.stringify({ holdCardDtos: holds }))).inserted).toBe(COURSES * 5);
    expect((await ingestText(h.db, 'veu-providers', providers)).inserted).toBe(1);
    const enrolments = [
      'cvr;kursusnummer;periode;deltagere;veu_godtgørelse',
      ...Array.from({ length: COMPANIES }, (_, i) => [
        `${cvr(i)};${number(0)};${day(-30)}/${day(-26)};3;"9.000,00"`,
        `${cvr(i)};${number(1)};${month(-20)};2;4000`,
        `${cvr(i)};${number(2)};${day(10)}/${day(12)};1;`,
      ]).flat(),
    ].join('\n');
    expect((await ingestText(h.db, 'veu-enrolments', enrolments)).inserted).toBe(COMPANIES * 3);
  });
  afterAll(async () => h?.close());

  it('answers the course search of the issue: occupation, municipality, date window and positive list', async () => {
    const r = await q(`{ courses(filter: { occupation: "721200", municipality: "657", from: "${day(0)}", positiveList: true }, first: 10) {
      totalCount edges { node { number title days nextStartsOn occupations { disco title }
        instances(upcoming: true, first: 5) { edges { node { provider { name kind } place { city municipality { name } area { code } }
          startsOn endsOn applyBy seatsLeft cancelled form } } } } } } }`);
    expect(r.errors).toBeUndefined();
    const c = r.data.courses;
    // Even courses (welding, 7212 ⊃ 721200) with i % 3 == 0: i = 0, 6, …, 54; 39999 has no instance in Herning.
    expect(c.totalCount).toBe(10);
    const numbers = c.edges.map((e: any) => e.node.number);
    expect(numbers).toEqual([54, 48, 42, 36, 30, 24, 18, 12, 6, 0].map(number));
    const first = c.edges[0].node;
    expect(first).toMatchObject({
      title: 'Svejsning kursus 54',
      days: 5,
      nextStartsOn: day(46),
      occupations: [{ disco: '7212', title: occupationByCode('7212')!.title }],
    });
    expect(first.instances.edges.map((e: any) => e.node)).toEqual([
      {
        provider: { name: 'Herningsholm Erhvervsskole', kind: 'Erhvervsskole' },
        place: { city: 'Herning', municipality: { name: 'Herning' }, area: { code: expect.any(String) } },
        startsOn: day(46),
        endsOn: day(48),
        applyBy: day(39),
        seatsLeft: 0,
        cancelled: false,
        form: 'CLASSROOM',
      },
      expect.objectContaining({ startsOn: day(146), seatsLeft: 7 }),
    ]);
  });

  it('matches occupation groups in both directions and filters by text', async () => {
    const r = await q(`{
      group: courses(filter: { occupation: "7212" }) { totalCount }
      welder: courses(filter: { occupation: "721200" }) { totalCount }
      truck: courses(filter: { occupation: "8344", text: "TRUCK" }) { totalCount }
      none: courses(filter: { occupation: "251220" }) { totalCount }
    }`);
    expect(r.errors).toBeUndefined();
    expect(r.data).toEqual({ group: { totalCount: 31 }, welder: { totalCount: 31 }, truck: { totalCount: 30 }, none: { totalCount: 0 } });
  });

  it('filters by labour-market area and keeps the place in the instances it lists', async () => {
    const r = await q(
      `{ courses(filter: { municipality: "751" }, first: 3) { totalCount edges { node { nextStartsOn instances { edges { node { place { municipality { code } } } } } } } } }`,
    );
    expect(r.errors).toBeUndefined();
    expect(r.data.courses.totalCount).toBe(COURSES);
    for (const e of r.data.courses.edges) {
      expect(e.node.nextStartsOn).toBe(day(5));
      expect(e.node.instances.edges.map((x: any) => x.node.place.municipality.code)).toEqual(['751']);
    }
  });

  it('filters by labour-market area: Herning is in RAR Vestjylland, Aarhus in RAR Østjylland', async () => {
    const r = await q(`{
      west: courses(filter: { area: "RAR-VEST" }, first: 2) { totalCount edges { node { instances { edges { node { place { municipality { code } area { code name } } } } } } } }
      east: courses(filter: { area: "RAR-OEST", to: "${day(4)}" }) { totalCount }
      eastLater: courses(filter: { area: "RAR-OEST", to: "${day(5)}" }) { totalCount }
      capital: courses(filter: { area: "RAR-HS" }) { totalCount }
    }`);
    expect(r.errors).toBeUndefined();
    expect(r.data.west.totalCount).toBe(COURSES);
    const places = r.data.west.edges.flatMap((e: any) => e.node.instances.edges.map((x: any) => x.node.place));
    expect(places.length).toBeGreaterThan(0);
    for (const p of places) expect(p).toEqual({ municipality: { code: '657' }, area: { code: 'RAR-VEST', name: 'RAR Vestjylland' } });
    expect(r.data.east.totalCount).toBe(0);
    expect(r.data.eastLater.totalCount).toBe(COURSES);
    expect(r.data.capital.totalCount).toBe(0);
    const bad = await q(`{ courses(filter: { area: "NOWHERE" }) { totalCount } }`);
    expect(bad.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.area' });
  });

  it('leaves cancelled instances out unless asked for, and past ones out of upcoming', async () => {
    const r = await q(`{ course(number: "${number(0)}") { title days
      upcoming: instances(upcoming: true) { edges { node { id } } }
      all: instances { edges { node { id } } }
      withCancelled: instances(upcoming: true, includeCancelled: true) { edges { node { id cancelled } } } } }`);
    expect(r.errors).toBeUndefined();
    const ids = (c: any) => c.edges.map((e: any) => e.node.id);
    expect(r.data.course.title).toBe('Svejsning kursus 0');
    expect(ids(r.data.course.upcoming)).toEqual(['A0', 'H0a', 'H0b']);
    expect(ids(r.data.course.all)).toEqual(['P0', 'A0', 'H0a', 'H0b']);
    expect(ids(r.data.course.withCancelled)).toEqual(['C0', 'A0', 'H0a', 'H0b']);
  });

  it('pages courses by next start with cursors, courses without instances last', async () => {
    const page = `query ($after: String) { courses(first: 25, after: $after) { totalCount edges { node { number nextStartsOn } } pageInfo { hasNextPage endCursor } } }`;
    const seen: { number: string; nextStartsOn: string | null }[] = [];
    let after: string | null = null;
    for (;;) {
      const r: any = await q(page, { after });
      expect(r.errors).toBeUndefined();
      seen.push(...r.data.courses.edges.map((e: any) => e.node));
      if (!r.data.courses.pageInfo.hasNextPage) break;
      after = r.data.courses.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(COURSES + 1);
    expect(seen.at(-1)).toEqual({ number: '39999', nextStartsOn: null });
    expect(new Set(seen.map((s) => s.number)).size).toBe(COURSES + 1);
  });

  it('gives BAD_USER_INPUT naming the field for a bad course number, filter or page size', async () => {
    const r1 = await q(`{ course(number: "12") { title } }`);
    expect(r1.errors![0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'number' } });
    expect(r1.errors![0]!.message).toMatch(/^number: .*5 digits/);
    const r2 = await q(`{ courses(filter: { municipality: "999" }) { totalCount } }`);
    expect(r2.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.municipality' });
    const r3 = await q(`{ courses(filter: { from: "2026-05-01", to: "2026-04-01" }) { totalCount } }`);
    expect(r3.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.to' });
    const r4 = await q(`{ course(number: "${number(0)}") { instances(first: 101) { edges { node { id } } } } }`);
    expect(r4.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    const r5 = await q(`{ course(number: "54321") { title } }`);
    expect(r5).toMatchObject({ data: { course: null } });
    expect(r5.errors).toBeUndefined();
  });

  it("answers a company's upskilling section with enrolments, last-12-month figures and provenance", async () => {
    const r = await q(`{ company(cvr: "${cvr(1)}") { upskilling {
      enrolments(from: "${day(-400)}", to: "${day(0)}") { course { number title } participants period }
      participantsLast12Months lastCourseOn wageCompensationLast12Months source { name syncedAt } } } }`);
    expect(r.errors).toBeUndefined();
    const u = r.data.company.upskilling;
    expect(u.enrolments).toEqual([
      { course: { number: number(0), title: 'Svejsning kursus 0' }, participants: 3, period: `${day(-30)}/${day(-26)}` },
    ]);
    expect(u).toMatchObject({
      participantsLast12Months: 3,
      lastCourseOn: day(-26),
      wageCompensationLast12Months: 9000,
      source: { name: 'veu-enrolments' },
    });
    expect(Date.parse(u.source.syncedAt)).toBeGreaterThan(Date.now() - 600_000);
    const none = await q(`{ company(cvr: "${cvr(1)}") { upskilling { enrolments(from: "${day(0)}", to: "${day(-1)}") { period } } } }`);
    expect(none.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'to' });
  });

  it('sends the same number of SQL statements for 5 courses as for 50', async () => {
    const list = (
      n: number,
    ) => `{ courses(first: ${n}, filter: { municipality: "657" }) { edges { node { number title occupations { title } nextStartsOn
      instances(upcoming: true, first: 5) { edges { node { course { title } provider { name } place { municipality { name } } seatsLeft source { syncedAt } } } } source { syncedAt } } } } }`;
    const small = await q(list(5));
    const large = await q(list(50));
    expect(large.errors).toBeUndefined();
    expect(large.data.courses.edges).toHaveLength(50);
    expect(small.statements).toBeGreaterThan(0);
    expect(large.statements).toBe(small.statements);
  });

  it('sends the same number of SQL statements for 5 companies as for 50 with their upskilling', async () => {
    const list = (n: number) => `{ companies(first: ${n}) { edges { node { name upskilling { participantsLast12Months lastCourseOn
      enrolments(from: "${day(-700)}", to: "${day(30)}") { participants course { title instances(first: 2) { edges { node { startsOn } } } } } source { name } } } } } }`;
    const small = await q(list(5));
    const large = await q(list(50));
    expect(large.errors).toBeUndefined();
    expect(large.data.companies.edges.every((e: any) => e.node.upskilling.enrolments.length === 3)).toBe(true);
    expect(large.statements).toBe(small.statements);
  });
});
