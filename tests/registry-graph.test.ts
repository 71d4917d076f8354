import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../src/db/database.js';
import { industryByCode } from '../src/codes/industries.js';
import { toGlobalId } from '../src/graphql/pagination.js';
import { dbTargets, freshDatabase, ownDatabase } from './helpers/db.js';
import { graph, ingestText } from './helpers/graph.js';
import { ndjson, testCvr, vrv } from './helpers/cvr.js';

const HERNING = 60;
const AARHUS = 5;

describe.each(dbTargets)('registry graph on $name', (target) => {
  let h: DbHandle;
  let q: ReturnType<typeof graph>;
  beforeAll(async () => {
    h = await freshDatabase(target);
    q = graph(h.db);
    const herning = Array.from({ length: HERNING }, (_, i) =>
      vrv({ cvr: testCvr(i), name: `Herning Firma ${String(i).padStart(2, '0')} ApS`, branchekode: i % 2 ? '251100' : '620100' }),
    );
    const aarhus = Array.from({ length: AARHUS }, (_, i) =>
      vrv({
        cvr: testCvr(100 + i),
        name: `Aarhus Smedie ${i} A/S`,
        kommuneKode: 751,
        postnummer: 8000,
        by: 'Aarhus C',
        status: i === 0 ? 'Under konkurs' : 'Aktiv',
      }),
    );
    const run = await ingestText(h.db, 'cvr', ndjson([...herning, ...aarhus]));
    expect(run.inserted).toBe(HERNING + AARHUS);
  });
  afterAll(async () => h?.close());

  it('answers company(cvr) with the register fields and provenance', async () => {
    const cvr = testCvr(1);
    const r = await q(`{ company(cvr: "${cvr}") { id cvr name legalForm { short long } status statusText founded
      address { street postcode city } municipality { code name region } industry { code title scheme }
      employees { band bandLabel } productionUnits { pNumber } source { name syncedAt } } }`);
    expect(r.errors).toBeUndefined();
    expect(r.data.company).toMatchObject({
      id: toGlobalId('Company', cvr),
      cvr,
      name: 'Herning Firma 01 ApS',
      legalForm: { short: 'APS', long: 'Anpartsselskab' },
      status: 'ACTIVE',
      founded: '2001-04-01',
      address: { street: 'Fabriksvej 12A', postcode: '7400', city: 'Herning' },
      municipality: { code: '657', name: 'Herning', region: 'Region Midtjylland' },
      industry: { code: '251100', title: industryByCode('251100')!.title, scheme: 'DB07' },
      employees: { band: 'FROM_20_TO_49', bandLabel: '20-49' },
      productionUnits: [{ pNumber: '1012345678' }],
      source: { name: 'cvr' },
    });
    expect(Date.parse(r.data.company.source.syncedAt)).toBeGreaterThan(Date.now() - 600_000);
  });

  it('gives null without an error for a valid CVR it does not know', async () => {
    const r = await q(`{ company(cvr: "${testCvr(999)}") { name } }`);
    expect(r.errors).toBeUndefined();
    expect(r.data.company).toBeNull();
  });

  it.each([
    ['12345678', /modulus-11/],
    ['abc', /8 digits/],
    ['1234567', /8 digits/],
  ])('rejects cvr %s with BAD_USER_INPUT naming cvr', async (bad, reason) => {
    const r = await q(`{ company(cvr: "${bad}") { name } }`);
    expect(r.data?.company).toBeUndefined();
    expect(r.errors).toHaveLength(1);
    expect(r.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'cvr' });
    expect(r.errors![0]!.message).toMatch(/^cvr: /);
    expect(r.errors![0]!.message).toMatch(reason);
  });

  it('rejects a bad CVR passed as a variable with BAD_USER_INPUT naming the variable', async () => {
    const r = await q(`query ($cvr: CVR!) { company(cvr: $cvr) { name } }`, { cvr: '12345678' });
    expect(r.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    expect(r.errors![0]!.message).toMatch(/\$cvr.*modulus-11/);
  });

  it('runs nothing for an operation name the document does not have, and says so', async () => {
    const r = await q(`query Mine { company(cvr: "${testCvr(1)}") { name } }`, undefined, 'Other');
    expect(r.data).toBeUndefined();
    expect(r.errors!.map((e) => e.message)).toEqual(['Unknown operation named "Other".']);
    expect(r.statements).toBe(0);
  });

  it('keeps each spread of a fragment under its own @include, whatever ran before with the same text', async () => {
    const op = `query ($c: CVR!, $a: Boolean!) { x: company(cvr: $c) { ...F @include(if: $a) } y: company(cvr: $c) { ...F } }
      fragment F on Company { name }`;
    const name = 'Herning Firma 01 ApS';
    for (const a of [false, true, false]) {
      const r = await q(op, { c: testCvr(1), a });
      expect(r.errors).toBeUndefined();
      expect(r.data).toEqual({ x: a ? { name } : {}, y: { name } });
    }
  });

  it('pages companies of a municipality with cursors and a total', async () => {
    const page = `query ($after: String) { companies(first: 25, filter: { municipality: "657" }, after: $after) {
      totalCount edges { cursor node { cvr name } } pageInfo { hasNextPage hasPreviousPage endCursor } } }`;
    const names: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const r: any = await q(page, { after });
      expect(r.errors).toBeUndefined();
      const c = r.data.companies;
      expect(c.totalCount).toBe(HERNING);
      expect(c.pageInfo.hasPreviousPage).toBe(after !== null);
      names.push(...c.edges.map((e: any) => e.node.name));
      pages++;
      if (!c.pageInfo.hasNextPage) break;
      after = c.pageInfo.endCursor;
    }
    expect(pages).toBe(3);
    expect(names).toHaveLength(HERNING);
    expect(names).toEqual([...names].sort());
    expect(new Set(names).size).toBe(HERNING);
  });

  it('filters by industry prefix, name text and status', async () => {
    const r = await q(`{
      metal: companies(filter: { municipality: "657", industry: "25" }) { totalCount }
      it: companies(filter: { industry: "6201" }) { totalCount }
      name: companies(filter: { name: "smedie" }) { totalCount edges { node { municipality { name } } } }
      bankrupt: companies(filter: { status: UNDER_BANKRUPTCY }) { edges { node { name statusText } } }
    }`);
    expect(r.errors).toBeUndefined();
    expect(r.data.metal.totalCount).toBe(HERNING / 2);
    expect(r.data.it.totalCount).toBe(HERNING / 2);
    expect(r.data.name.totalCount).toBe(AARHUS);
    expect(r.data.name.edges[0].node.municipality.name).toBe('Aarhus');
    expect(r.data.bankrupt.edges).toEqual([{ node: { name: 'Aarhus Smedie 0 A/S', statusText: 'Under konkurs' } }]);
  });

  it('refuses first above 100 with a clear error instead of cutting the list', async () => {
    const r = await q(`{ companies(first: 1000) { totalCount } }`);
    expect(r.errors![0]).toMatchObject({
      message: 'first: must be between 0 and 100, got 1000',
      extensions: { code: 'BAD_USER_INPUT', field: 'first' },
    });
  });

  it('names the field of a bad filter or cursor', async () => {
    const r1 = await q(`{ companies(filter: { municipality: "999" }) { totalCount } }`);
    expect(r1.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.municipality' });
    const r2 = await q(`{ companies(after: "nonsense") { totalCount } }`);
    expect(r2.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });

  it('sends the same number of SQL statements for 5 companies as for 50', async () => {
    const list = (n: number) =>
      `{ companies(first: ${n}, filter: { municipality: "657" }) { edges { node { cvr name municipality { code name } industry { code title } employees { band } productionUnits { pNumber } source { syncedAt } } } } }`;
    const small = await q(list(5));
    const large = await q(list(50));
    expect(large.errors).toBeUndefined();
    expect(large.data.companies.edges).toHaveLength(50);
    expect(small.statements).toBeGreaterThan(0);
    expect(large.statements).toBe(small.statements);
  });

  it('resolves a global id through node', async () => {
    const id = toGlobalId('Company', testCvr(2));
    const r = await q(`{ node(id: "${id}") { id ... on Company { cvr name } } }`);
    expect(r.data.node).toEqual({ id, cvr: testCvr(2), name: 'Herning Firma 02 ApS' });
  });

  it("serves a DB07 code with DST's title and any other code with the register's own text, naming the code list", async () => {
    // It adds companies that the counting tests would count: a database of its own.
    const own = await ownDatabase(target);
    const q = graph(own.db);
    const record = (n: number, branchekode: string, branchetekst: string, version?: string) => {
      const v = vrv({ cvr: testCvr(n), branchekode }) as any;
      v.virksomhedMetadata.nyesteHovedbranche = { branchekode, branchetekst, ...(version ? { version } : {}) };
      return v;
    };
    // 962100 is not in DB07; 478100 is, but a record that says DB25 is read in DB25, with its own text.
    const run = await ingestText(
      own.db,
      'cvr',
      ndjson([
        record(500, '620100', 'Computerprogrammering (tekst fra registret)'),
        record(501, '962100', 'Branchetekst fra registret'),
        record(502, '478100', 'Branchetekst fra registret, DB25', 'DB25'),
      ]),
    );
    expect(run.rejected).toBe(0);
    const r = await q(`{ a: company(cvr: "${testCvr(500)}") { industry { code title scheme } }
      b: company(cvr: "${testCvr(501)}") { industry { code title scheme } }
      c: company(cvr: "${testCvr(502)}") { industry { code title scheme version } } }`);
    expect(r.errors).toBeUndefined();
    expect(r.data.a.industry).toEqual({ code: '620100', title: industryByCode('620100')!.title, scheme: 'DB07' });
    expect(r.data.b.industry).toEqual({ code: '962100', title: 'Branchetekst fra registret', scheme: 'UNKNOWN' });
    expect(r.data.c.industry).toEqual({ code: '478100', title: 'Branchetekst fra registret, DB25', scheme: 'DB25', version: 'DB25' });
  });
});
