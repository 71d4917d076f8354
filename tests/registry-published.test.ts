import fs from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cvrSource } from '../connectors/registry/ingest/cvr.js';
import type { DbHandle } from '../src/db/database.js';
import { listRejects } from '../src/ingest/runs.js';
import { hit, searchAnswer, vrproduktionsEnhed, vrvirksomhed } from './helpers/cvr-records.js';
import { ndjson, testCvr } from './helpers/cvr.js';
import { dbTargets, freshDatabase, ownDatabase } from './helpers/db.js';
import { graph, ingestText } from './helpers/graph.js';

const OWNER = testCvr(210);
/** A production unit of OWNER, loaded before OWNER itself: its own record, as a search hit's _source. */
const fredericia = vrproduktionsEnhed({
  pNummer: 1100000010,
  cvr: OWNER,
  navn: 'Jointo Fredericia',
  adresse: {
    vejnavn: 'Martine Christoffersens Vej',
    husnummerFra: 67,
    etage: '1',
    sidedoer: 'tv',
    postnummer: 7000,
    postdistrikt: 'Fredericia',
    kommuneKode: 607,
    kommuneNavn: 'FREDERICIA',
  },
  // A unit's metadata has no monthly figure; its monthly history is the erstMaanedsbeskaeftigelse array.
  figurer: {
    erstMaaned: { aar: 2024, maaned: 1, antalAnsatte: 7, interval: 'ANTAL_5_9' },
    kvartal: { aar: 2019, kvartal: 3, antalAnsatte: 3, interval: 'ANTAL_2_4' },
  },
});
const UNIT_FIRST = JSON.stringify({ _source: { VrproduktionsEnhed: fredericia } }) + '\n';
/** OWNER, listing that unit and one whose record has not arrived. */
const OWNER_COMPANY = ndjson([{ Vrvirksomhed: vrvirksomhed({ cvr: OWNER, navn: 'Jointo ApS', pNumbers: [1100000010, 1100000011] }) }]);

/** CVR as Erhvervsstyrelsen publishes it: records shaped like real distribution API answers (see helpers/cvr-records.ts). */
describe.each(dbTargets)('CVR records as published, on $name', (target) => {
  let h: DbHandle;
  let q: ReturnType<typeof graph>;
  beforeAll(async () => {
    h = await freshDatabase(target);
    q = graph(h.db);
  });
  afterAll(async () => h?.close());

  const EMPLOYEES = 'employees { band bandLabel count year quarter month basis }';

  it('serves employees from the newest of the monthly, quarterly and yearly figures, and says which', async () => {
    const records = [
      // 28 in December 2023 (ERST monthly) beats 13 in 2019 Q3, the quarterly figure CVR froze.
      vrvirksomhed({
        cvr: testCvr(201),
        figurer: {
          erstMaaned: { aar: 2023, maaned: 12, antalAnsatte: 28, interval: 'ANTAL_20_49' },
          maaned: { aar: 2023, maaned: 11, antalAnsatte: 27, interval: 'ANTAL_20_49' },
          kvartal: { aar: 2019, kvartal: 3, antalAnsatte: 13, interval: 'ANTAL_10_19' },
          aar: { aar: 2022, antalAnsatte: 24, interval: 'ANTAL_20_49' },
        },
      }),
      // Bands only, no headcount (what the public distribution gives): the monthly figure is the newest.
      vrvirksomhed({
        cvr: testCvr(202),
        figurer: {
          maaned: { aar: 2016, maaned: 12, antalAnsatte: null, interval: 'ANTAL_20_49' },
          kvartal: { aar: 2016, kvartal: 3, antalAnsatte: null, interval: 'ANTAL_20_49' },
          aar: { aar: 2014, antalAnsatte: null, interval: 'ANTAL_10_19' },
        },
      }),
      // A year newer than the frozen quarter.
      vrvirksomhed({
        cvr: testCvr(203),
        figurer: {
          kvartal: { aar: 2019, kvartal: 3, antalAnsatte: 13, interval: 'ANTAL_10_19' },
          aar: { aar: 2023, antalAnsatte: 61, interval: 'ANTAL_50_99' },
        },
      }),
      // December and the whole year end together: the finer (monthly) figure wins; CVR's open top band.
      vrvirksomhed({
        cvr: testCvr(204),
        figurer: {
          erstMaaned: { aar: 2023, maaned: 12, antalAnsatte: 1204, interval: 'ANTAL_1000_999999' },
          aar: { aar: 2023, antalAnsatte: 1190, interval: 'ANTAL_1000_999999' },
        },
      }),
      // No figure at all: every nyeste* is null, as in real records of companies without staff data.
      vrvirksomhed({ cvr: testCvr(205) }),
    ];
    const run = await ingestText(h.db, 'cvr', ndjson(records), 'virksomheder.ndjson');
    expect(run).toMatchObject({ status: 'succeeded', read: 5, inserted: 5, rejected: 0 });
    const r = await q(`{
      a: company(cvr: "${testCvr(201)}") { ${EMPLOYEES} }
      b: company(cvr: "${testCvr(202)}") { ${EMPLOYEES} }
      c: company(cvr: "${testCvr(203)}") { ${EMPLOYEES} }
      d: company(cvr: "${testCvr(204)}") { ${EMPLOYEES} }
      e: company(cvr: "${testCvr(205)}") { ${EMPLOYEES} }
    }`);
    expect(r.errors).toBeUndefined();
    expect(r.data.a.employees).toEqual({
      band: 'FROM_20_TO_49',
      bandLabel: '20-49',
      count: 28,
      year: 2023,
      quarter: 4,
      month: 12,
      basis: 'MONTHLY_ERST',
    });
    expect(r.data.b.employees).toEqual({
      band: 'FROM_20_TO_49',
      bandLabel: '20-49',
      count: null,
      year: 2016,
      quarter: 4,
      month: 12,
      basis: 'MONTHLY',
    });
    expect(r.data.c.employees).toEqual({
      band: 'FROM_50_TO_99',
      bandLabel: '50-99',
      count: 61,
      year: 2023,
      quarter: null,
      month: null,
      basis: 'YEARLY',
    });
    expect(r.data.d.employees).toEqual({
      band: 'FROM_1000',
      bandLabel: '1000+',
      count: 1204,
      year: 2023,
      quarter: 4,
      month: 12,
      basis: 'MONTHLY_ERST',
    });
    expect(r.data.e.employees).toBeNull();
  });

  it('keeps the floor, door, house-number range and place name of an address, and drops the c/o name', async () => {
    const records = [
      vrvirksomhed({
        cvr: testCvr(206),
        adresse: {
          vejnavn: 'Anker Engelunds Vej',
          husnummerFra: 101,
          bogstavFra: 'A',
          conavn: 'Danmarks Tekniske Universitet',
          postnummer: 2800,
          postdistrikt: 'Kgs. Lyngby',
          kommuneKode: 173,
          kommuneNavn: 'LYNGBY-TAARBÆK',
        },
      }),
      vrvirksomhed({
        cvr: testCvr(207),
        adresse: {
          vejnavn: 'Hovedgaden',
          husnummerFra: 15,
          husnummerTil: 17,
          etage: 'st',
          sidedoer: 'th',
          bynavn: 'Gundsømagle',
          postnummer: 4000,
          postdistrikt: 'Roskilde',
          kommuneKode: 265,
          kommuneNavn: 'ROSKILDE',
        },
      }),
      // A branch of a foreign company registered at an address abroad: no municipality, not a reject.
      vrvirksomhed({
        cvr: testCvr(208),
        adresse: {
          landekode: 'SE',
          fritekst: 'Götgatan 50\n 216 11 Limhamn',
          vejnavn: null,
          husnummerFra: null,
          postnummer: null,
          postdistrikt: null,
          kommuneKode: null,
          kommuneNavn: null,
        },
      }),
    ];
    expect(await ingestText(h.db, 'cvr', ndjson(records))).toMatchObject({ inserted: 3, rejected: 0 });
    const r = await q(`{
      dtu: company(cvr: "${testCvr(206)}") { address { street streetName houseNumber floor door careOf locality postcode city } municipality { name } }
      shop: company(cvr: "${testCvr(207)}") { address { street houseNumber floor door careOf locality postcode city } }
    }`);
    expect(r.errors).toBeUndefined();
    expect(r.data.dtu).toEqual({
      address: {
        street: 'Anker Engelunds Vej 101A',
        streetName: 'Anker Engelunds Vej',
        houseNumber: '101A',
        floor: null,
        door: null,
        // The c/o name is dropped at ingest: it often names a person (see the schema's description).
        careOf: null,
        locality: null,
        postcode: '2800',
        city: 'Kgs. Lyngby',
      },
      municipality: { name: 'Lyngby-Taarbæk' },
    });
    expect((await q(`{ company(cvr: "${testCvr(208)}") { address { street } municipality { code } } }`)).data.company).toEqual({
      address: null,
      municipality: null,
    });
    expect(r.data.shop.address).toEqual({
      street: 'Hovedgaden 15-17',
      houseNumber: '15-17',
      floor: 'st',
      door: 'th',
      careOf: null,
      locality: 'Gundsømagle',
      postcode: '4000',
      city: 'Roskilde',
    });
  });

  const UNITS = `productionUnits { pNumber name statusText address { street floor door postcode city } municipality { code } industry { code title scheme } ${EMPLOYEES} }`;

  it('loads a production unit before its company and links them by CVR when the company arrives', async () => {
    const first = await ingestText(h.db, 'cvr', UNIT_FIRST, 'enheder.ndjson');
    expect(first).toMatchObject({ status: 'succeeded', read: 1, inserted: 1, rejected: 0 });
    const row = await h.db
      .selectFrom('registry.production_unit')
      .selectAll()
      .where('p_number', '=', '1100000010')
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      cvr: OWNER,
      name: 'Jointo Fredericia',
      floor: '1',
      door: 'tv',
      municipality_code: '607',
      industry_code: '855900',
      employees_count: 7,
      employees_basis: 'MONTHLY_ERST',
      employees_month: 1,
    });
    expect((await q(`{ company(cvr: "${OWNER}") { name } }`)).data.company).toBeNull();

    const second = await ingestText(h.db, 'cvr', OWNER_COMPANY);
    expect(second).toMatchObject({ inserted: 1, rejected: 0, touched: [OWNER] });
    const r = await q(`{ company(cvr: "${OWNER}") { name ${UNITS} } }`);
    expect(r.errors).toBeUndefined();
    expect(r.data.company.productionUnits).toEqual([
      {
        pNumber: '1100000010',
        name: 'Jointo Fredericia',
        statusText: 'Aktiv',
        address: { street: 'Martine Christoffersens Vej 67', floor: '1', door: 'tv', postcode: '7000', city: 'Fredericia' },
        municipality: { code: '607' },
        industry: { code: '855900', title: 'Anden undervisning i.a.n.', scheme: 'DB07' },
        employees: { band: 'FROM_5_TO_9', bandLabel: '5-9', count: 7, year: 2024, quarter: 1, month: 1, basis: 'MONTHLY_ERST' },
      },
      // Listed by the company (penheder) but its own record has not arrived: the P-number alone.
      { pNumber: '1100000011', name: null, statusText: null, address: null, municipality: null, industry: null, employees: null },
    ]);
  });

  it('loads a production unit after its company, found by its current virksomhedsrelation, and re-running it changes nothing', async () => {
    // OWNER and its first unit as the unit-before-company test leaves them, in a database of its own:
    // this test adds and renames the unit that test expects not to have arrived.
    const h = await ownDatabase(target, async (d) => {
      expect(await ingestText(d.db, 'cvr', UNIT_FIRST)).toMatchObject({ inserted: 1, rejected: 0 });
      expect(await ingestText(d.db, 'cvr', OWNER_COMPANY)).toMatchObject({ inserted: 1, rejected: 0 });
    });
    const q = graph(h.db);
    // No nyesteCvrNummerRelation: the current relation (no gyldigTil) names the company, not the earlier owner.
    const unit = vrproduktionsEnhed({
      pNummer: 1100000011,
      cvr: OWNER,
      relationOnly: true,
      navn: 'Jointo Kolding',
      status: 'Aktiv',
      figurer: { aar: { aar: 2023, antalAnsatte: 2, interval: 'ANTAL_2_4' } },
    });
    const text = ndjson([{ VrproduktionsEnhed: unit }]);
    const run = await ingestText(h.db, 'cvr', text);
    expect(run).toMatchObject({ read: 1, inserted: 1, rejected: 0, touched: [OWNER] });
    const r = await q(`{ company(cvr: "${OWNER}") { productionUnits { pNumber name employees { count basis } } } }`);
    expect(r.data.company.productionUnits).toEqual([
      { pNumber: '1100000010', name: 'Jointo Fredericia', employees: { count: 7, basis: 'MONTHLY_ERST' } },
      { pNumber: '1100000011', name: 'Jointo Kolding', employees: { count: 2, basis: 'YEARLY' } },
    ]);
    const before = await h.db
      .selectFrom('registry.production_unit')
      .select(['p_number', 'changed_at', 'run_id'])
      .orderBy('p_number')
      .execute();
    const again = await ingestText(h.db, 'cvr', text);
    expect(again).toMatchObject({ read: 1, inserted: 0, updated: 0, unchanged: 1, touched: [] });
    expect(
      await h.db.selectFrom('registry.production_unit').select(['p_number', 'changed_at', 'run_id']).orderBy('p_number').execute(),
    ).toEqual(before);
    // A changed unit is a change to its company: the derivation hears of it.
    const renamed = vrproduktionsEnhed({
      pNummer: 1100000011,
      cvr: OWNER,
      relationOnly: true,
      navn: 'Jointo Kolding Syd',
      sidstOpdateret: '2024-06-01T10:00:00.000+02:00',
      figurer: { aar: { aar: 2023, antalAnsatte: 2, interval: 'ANTAL_2_4' } },
    });
    expect(await ingestText(h.db, 'cvr', ndjson([renamed]))).toMatchObject({ updated: 1, touched: [OWNER] });
  });

  it('reads a one-line _search answer mixing companies and production units, and rejects a participant naming what it found', async () => {
    const cvr = testCvr(220);
    const answer = searchAnswer([
      hit(vrvirksomhed({ cvr, navn: 'Blandet Svar ApS', pNumbers: [1100000020] }), 'virksomhed'),
      hit(vrproduktionsEnhed({ pNummer: 1100000020, cvr, navn: 'Blandet Svar, Herning' }), 'produktionsenhed'),
      hit(
        vrproduktionsEnhed({
          pNummer: 1100000021,
          cvr,
          navn: 'Blandet Svar, Ikast',
          adresse: { postnummer: 7430, postdistrikt: 'Ikast', kommuneKode: 756, kommuneNavn: 'IKAST-BRANDE' },
        }),
        'produktionsenhed',
      ),
      hit({ enhedsNummer: 4000004988, enhedstype: 'PERSON', navne: [{ navn: 'Morten Kjærsgaard' }] }, 'deltager'),
    ]);
    expect(answer).not.toContain('\n');
    const run = await ingestText(h.db, 'cvr', answer, 'soeg.json');
    expect(run).toMatchObject({ status: 'succeeded', read: 4, inserted: 3, rejected: 1 });
    const [reject] = await listRejects(h.db, run.runId);
    expect(reject!.position).toBe('hits.hits[3]');
    expect(reject!.reason).toMatch(
      /^found an Elasticsearch hit whose _source is an object with keys Vrdeltagerperson; expected Vrvirksomhed \(company\) or VrproduktionsEnhed \(production unit\) objects/,
    );
    const r = await q(`{ company(cvr: "${cvr}") { name productionUnits { pNumber name municipality { name } } } }`);
    expect(r.data.company).toEqual({
      name: 'Blandet Svar ApS',
      productionUnits: [
        { pNumber: '1100000020', name: 'Blandet Svar, Herning', municipality: { name: 'Herning' } },
        { pNumber: '1100000021', name: 'Blandet Svar, Ikast', municipality: { name: 'Ikast-Brande' } },
      ],
    });
  });

  it('rejects records of other types, naming the keys found, and keeps unit problems as rejects', async () => {
    const text =
      ndjson([
        { Vrdeltagerperson: { enhedsNummer: 4000004988, enhedstype: 'PERSON' } },
        { enhedsNummer: 4000004988, enhedstype: 'PERSON', sidstOpdateret: '2012-05-30T17:31:08.000+02:00' },
        vrproduktionsEnhed({ pNummer: 12345, cvr: OWNER }),
        vrproduktionsEnhed({ pNummer: 1100000030, cvr: String(Number(testCvr(230)) + 1) }),
        vrproduktionsEnhed({ pNummer: 1100000031, cvr: OWNER, adresse: { kommuneKode: 999 } }),
      ]) + '\n';
    const run = await ingestText(h.db, 'cvr', text, 'blandet.ndjson');
    expect(run).toMatchObject({ read: 5, inserted: 0, rejected: 5 });
    const reasons = (await listRejects(h.db, run.runId)).map((r) => [r.line, r.reason]);
    expect(reasons).toEqual([
      [1, expect.stringMatching(/^found an object with keys Vrdeltagerperson; expected Vrvirksomhed \(company\) or VrproduktionsEnhed/)],
      [2, expect.stringMatching(/^found an object with keys enhedsNummer, enhedstype, sidstOpdateret; expected Vrvirksomhed/)],
      [3, 'pNummer 12345: a P-number is 10 digits'],
      [4, expect.stringMatching(/^produktionsEnhedMetadata\.nyesteCvrNummerRelation \d{8}: the CVR number fails its modulus-11 check$/)],
      [5, 'unknown municipality code 999 (produktionsEnhedMetadata.nyesteBeliggenhedsadresse.kommune.kommuneKode)'],
    ]);
  });

  it('stores no person data in any table, rejects included', async () => {
    const person = { person: 'Morten Kjærsgaard', email: 'jointo@outlook.dk', telefon: '28403131' };
    const cvr = testCvr(240);
    const text = ndjson([
      vrvirksomhed({ cvr, pNumbers: [1100000040], ...person }),
      vrproduktionsEnhed({ pNummer: 1100000040, cvr, ...person }),
      // Rejected: kept in ingest.reject, scrubbed.
      vrvirksomhed({ cvr: String(Number(testCvr(241)) + 1), ...person }),
      vrproduktionsEnhed({ pNummer: 1100000041, cvr, adresse: { kommuneKode: 999 }, ...person }),
    ]);
    const run = await ingestText(
      h.db,
      'cvr',
      text +
        searchAnswer([
          hit(vrproduktionsEnhed({ pNummer: 1100000042, cvr, adresse: { kommuneKode: 998 }, ...person }), 'produktionsenhed'),
        ]) +
        '\n',
    );
    expect(run).toMatchObject({ inserted: 2, rejected: 3 });
    const rejects = await listRejects(h.db, run.runId);
    expect(rejects.map((r) => r.raw).join('\n')).toContain('1100000041');
    const tables = await sql<{ s: string; t: string }>`
      SELECT table_schema AS s, table_name AS t FROM information_schema.tables
      WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')`.execute(h.db);
    expect(tables.rows.map((r) => `${r.s}.${r.t}`)).toEqual(
      expect.arrayContaining(['registry.company', 'registry.production_unit', 'ingest.reject']),
    );
    for (const { s, t } of tables.rows) {
      const rows = await sql<{ j: string }>`SELECT to_jsonb(x)::text AS j FROM ${sql.table(`${s}.${t}`)} x`.execute(h.db);
      const all = rows.rows.map((r) => r.j).join('\n');
      for (const secret of [
        'Kjærsgaard',
        'jointo@outlook.dk',
        '28403131',
        'Agerlandsvej',
        'deltagerRelation',
        'elektroniskPost',
        'telefonNummer',
        'nyesteKontaktoplysninger',
      ]) {
        expect(all, `${s}.${t} holds ${secret}`).not.toContain(secret);
      }
    }
  });

  it('sends the same number of SQL statements for the production units of 5 companies as of 50', async () => {
    const companies = Array.from({ length: 50 }, (_, i) =>
      vrvirksomhed({
        cvr: testCvr(300 + i),
        navn: `Enhedsfirma ${String(i).padStart(2, '0')} ApS`,
        adresse: { kommuneKode: 661, kommuneNavn: 'HOLSTEBRO', postnummer: 7500, postdistrikt: 'Holstebro' },
        pNumbers: [1200000000 + i * 2, 1200000001 + i * 2],
      }),
    );
    const units = Array.from({ length: 50 }, (_, i) =>
      vrproduktionsEnhed({
        pNummer: 1200000000 + i * 2,
        cvr: testCvr(300 + i),
        figurer: { erstMaaned: { aar: 2024, maaned: 3, antalAnsatte: i, interval: null } },
      }),
    );
    expect(await ingestText(h.db, 'cvr', ndjson([...units, ...companies]))).toMatchObject({ inserted: 100, rejected: 0 });
    const list = (n: number) => `{ companies(first: ${n}, filter: { municipality: "661" }) { edges { node { cvr ${UNITS} } } } }`;
    const small = await q(list(5));
    const large = await q(list(50));
    expect(large.errors).toBeUndefined();
    expect(large.data.companies.edges).toHaveLength(50);
    expect(large.data.companies.edges[7].node.productionUnits.map((u: any) => u.employees?.count ?? null)).toEqual([7, null]);
    expect(large.statements).toBe(small.statements);
  });
});

describe('CVR format documentation', () => {
  it('says in the README what `indgang ingest --list` says', () => {
    const readme = fs.readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    expect(readme).toContain(cvrSource.format);
  });
});
