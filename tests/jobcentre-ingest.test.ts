import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../src/db/database.js';
import { listRejects } from '../src/ingest/runs.js';
import { dbTargets, freshDatabase, ownDatabase } from './helpers/db.js';
import { ingestText } from './helpers/graph.js';
import { ndjson, testCvr } from './helpers/cvr.js';
import { ad, day } from './helpers/jobcentre.js';

const CVR = Number(testCvr(1));

describe.each(dbTargets)('jobcentre ingest on $name', (target) => {
  let h: DbHandle;
  beforeAll(async () => {
    h = await freshDatabase(target);
  });
  afterAll(async () => h?.close());

  const vacancies = (on: DbHandle = h) => on.db.selectFrom('jobcentre.vacancy').selectAll().orderBy('id').execute();

  describe('jobnet', () => {
    const good = [
      ad({ ID: 'A1', HiringOrgCVR: CVR, OccupationCode: '721200', Occupation: 'Noget andet' }),
      ad({ ID: 'A2', HiringOrgCVR: CVR, Occupation: 'Ukendt stilling', ConceptUriDa: 'http://data.europa.eu/esco/isco/C8332' }),
      ad({ ID: 'A3', HiringOrgCVR: CVR, Occupation: 'Lastbilchauffør m/k' }),
      ad({ ID: 'A4', HiringOrgCVR: CVR, Occupation: 'Drømmejobbet', Title: 'Alt-muligt-mand' }),
      ad({ ID: 'E5', HiringOrgCVR: 0, HiringOrgName: 'Anonym arbejdsgiver' }),
      ad({ ID: 'E6', HiringOrgCVR: 12345678, WorkPlacePostalCode: '8000', WorkPlaceCity: 'Aarhus C', Municipality: null }),
      ad({
        ID: 'A7',
        HiringOrgCVR: CVR,
        ContactPersonName: 'Jens Hansen',
        ContactPersonEmail: 'jens@example.dk',
        Contact: { Name: 'Jens Hansen', Phone: '12345678' },
      }),
      // A place the code lists do not know never rejects an ad (issue 10): the other half of the place resolves it.
      ad({ ID: 'P1', HiringOrgCVR: CVR, Municipality: 'Atlantis' }),
      ad({ ID: 'P2', HiringOrgCVR: CVR, WorkPlacePostalCode: '0042' }),
    ];
    const bad = [
      ad({ ID: 'B3', PostingCreated: '1. marts 2026' }),
      ad({ ID: 'B4', NumberToFill: -2 }),
      ad({ ID: 'B5', LastDateApplication: '2026-02-30', ContactPersonName: 'Karen Jensen' }),
    ];
    const file = { JobPositionPostings: [...good, ...bad] };
    const newer = ad({ ID: 'A1', HiringOrgCVR: CVR, Title: 'Svejser, ny version', PostingCreated: day(-1) });
    const load = (on: DbHandle) => ingestText(on.db, 'jobnet', JSON.stringify(file, null, 2), 'jobnet.json');

    // The first test loads the file into the block's empty database. The tests that read what it loaded
    // share a database with the file loaded, which none of them changes; the tests that change ads have
    // databases of their own.
    let loaded: DbHandle;
    beforeAll(async () => {
      loaded = await freshDatabase(target);
      await load(loaded);
    });
    afterAll(async () => loaded?.close());

    it('loads good ads, maps occupations, keeps unmatched ads and rejects bad ones with reasons', async () => {
      const run = await ingestText(h.db, 'jobnet', JSON.stringify(file, null, 2), 'jobnet.json');
      expect(run).toMatchObject({ status: 'succeeded', read: 12, inserted: 9, updated: 0, rejected: 3 });
      expect(run.notes).toMatchObject({ withoutOccupation: 1, unmatchedCompany: 2, unknownMunicipality: 1, unknownPostcode: 1 });
      expect(run.notes.placeUnresolved).toBeUndefined();
      const rows = await vacancies();
      const by = new Map(rows.map((r) => [r.id, r]));
      expect(by.get('A1')).toMatchObject({
        cvr: String(CVR),
        disco: '721200',
        occupation_via: 'code',
        municipality_code: '657',
        positions: 1,
        apply_by: day(14),
        posted_at: day(-5),
      });
      // DST splits ISCO unit group 8332 into six occupations; the URI and the label name the group.
      expect(by.get('A2')).toMatchObject({ disco: '8332', occupation_via: 'esco' });
      expect(by.get('A3')).toMatchObject({ disco: '8332', occupation_via: 'label' });
      expect(by.get('A4')).toMatchObject({ disco: null, occupation_label: 'Drømmejobbet' });
      expect(by.get('E5')).toMatchObject({ cvr: null, hiring_org_cvr: '0' });
      expect(by.get('E6')).toMatchObject({ cvr: null, hiring_org_cvr: '12345678', municipality_code: '751' });
      expect(by.get('P1')).toMatchObject({ workplace_postcode: '7400', municipality_code: '657' });
      expect(by.get('P2')).toMatchObject({ workplace_postcode: '0042', workplace_city: 'Herning', municipality_code: '657' });
      const rejects = await listRejects(h.db, run.runId);
      expect(rejects.map((r) => [r.position, r.reason])).toEqual([
        [
          'JobPositionPostings[9]',
          'PostingCreated "1. marts 2026" is not a date (yyyy-mm-dd, an ISO date-time (its calendar date as written), or dd-mm-yyyy / dd.mm.yyyy / dd/mm/yyyy)',
        ],
        ['JobPositionPostings[10]', 'NumberToFill -2 is negative'],
        [
          'JobPositionPostings[11]',
          'LastDateApplication "2026-02-30" is not a date (yyyy-mm-dd, an ISO date-time (its calendar date as written), or dd-mm-yyyy / dd.mm.yyyy / dd/mm/yyyy)',
        ],
      ]);
    });

    it('stores no contact person, neither in the ad nor in rejects', async () => {
      const all = JSON.stringify(await vacancies(loaded)) + JSON.stringify(await listRejects(loaded.db, undefined, 1000));
      expect(all).not.toMatch(/Jens|Hansen|Karen|jens@example|12345678.*Phone|ContactPerson/);
      const cols = await loaded.db
        .selectFrom('information_schema.columns' as any)
        .select('column_name' as any)
        .where('table_schema' as any, '=', 'jobcentre')
        .where('table_name' as any, 'not like', 'kysely%')
        .orderBy('column_name' as any)
        .execute();
      expect(cols.map((c: any) => c.column_name).filter((c: string) => /name|cpr|person|contact|email|phone/.test(c))).toEqual([
        'hiring_org_name',
        'persons',
      ]);
    });

    it('changes nothing when the same file is loaded again', async () => {
      const before = await vacancies(loaded);
      const run = await ingestText(loaded.db, 'jobnet', JSON.stringify(file), 'jobnet.json');
      expect(run).toMatchObject({ read: 12, inserted: 0, updated: 0, unchanged: 9, rejected: 3 });
      expect(await vacancies(loaded)).toEqual(before);
    });

    it('replaces an ad by a newer version of the same ID, never by an older one (NDJSON)', async () => {
      const h = await ownDatabase(target, load);
      expect(await ingestText(h.db, 'jobnet', ndjson([newer]))).toMatchObject({ read: 1, inserted: 0, updated: 1 });
      const older = ad({ ID: 'A1', HiringOrgCVR: CVR, Title: 'Svejser, gammel version', PostingCreated: day(-30) });
      expect(await ingestText(h.db, 'jobnet', ndjson([older]))).toMatchObject({ inserted: 0, updated: 0, unchanged: 1 });
      expect((await vacancies(h)).find((r) => r.id === 'A1')!.title).toBe('Svejser, ny version');
    });

    it('closes ads missing from a full feed without deleting them, and reopens one that returns', async () => {
      // The file as loaded, and the newer version of A1 since.
      const h = await ownDatabase(target, async (d) => {
        await load(d);
        await ingestText(d.db, 'jobnet', ndjson([newer]));
      });
      const keep = (await vacancies(h)).filter((r) => r.id !== 'A2' && r.id !== 'E5').map((r) => r.id);
      const feed = { JobPositionPostings: good.filter((g) => keep.includes(g.ID as string)).map((g) => (g.ID === 'A1' ? newer : g)) };
      const run = await ingestText(h.db, 'jobnet-full', JSON.stringify(feed));
      expect(run).toMatchObject({ status: 'succeeded', inserted: 0, updated: 2, notes: { closed: 2 } });
      const rows = await vacancies(h);
      expect(rows).toHaveLength(9);
      expect(rows.filter((r) => r.closed_at !== null).map((r) => r.id)).toEqual(['A2', 'E5']);
      expect(await ingestText(h.db, 'jobnet-full', JSON.stringify(feed))).toMatchObject({ inserted: 0, updated: 0 });
      const back = await ingestText(h.db, 'jobnet', ndjson([good[1]!]));
      expect(back).toMatchObject({ updated: 1 });
      expect((await vacancies(h)).find((r) => r.id === 'A2')!.closed_at).toBeNull();
    });
  });

  describe('joborders', () => {
    const order = (o: Record<string, unknown>) => ({
      jobordreId: '3f2504e0-4f89-11d3-9a0c-0305e82c3301',
      cvrNummer: CVR,
      productionUnitIdentifier: 1012345678,
      title: 'Svejsere til produktion',
      ConceptUriDa: 'http://data.europa.eu/esco/isco/C7212',
      jobordreBeskrivelse: 'Kontakt Jens Hansen på 12345678',
      jobordreType: 'Ordinær',
      joborderStatusType: 'Aktiv',
      startdato: '2026-04-01',
      ...o,
    });
    const file = ndjson([
      order({}),
      order({ jobordreId: '3f2504e0-4f89-11d3-9a0c-0305e82c3302', ConceptUriDa: null, title: 'Lagerekspedient' }),
      order({ jobordreId: '3f2504e0-4f89-11d3-9a0c-0305e82c3303', ConceptUriDa: null, title: 'Praktikant' }),
      order({ jobordreId: 'not-a-guid' }),
      order({ jobordreId: '3f2504e0-4f89-11d3-9a0c-0305e82c3305', cvrNummer: 12345678 }),
      order({ jobordreId: '3f2504e0-4f89-11d3-9a0c-0305e82c3306', startdato: '2026-04-31' }),
    ]);
    it('loads orders with mapped occupations, rejects bad ones, and re-runs without change', async () => {
      const run = await ingestText(h.db, 'joborders', file);
      expect(run).toMatchObject({ read: 6, inserted: 3, rejected: 3, notes: { withoutOccupation: 1 } });
      const rows = await h.db.selectFrom('jobcentre.job_order').selectAll().orderBy('id').execute();
      expect(rows.map((r) => r.disco)).toEqual(['721200', '432100', null]);
      expect(JSON.stringify(rows)).not.toMatch(/Jens/);
      expect(JSON.stringify(await listRejects(h.db, run.runId))).not.toMatch(/Jens|jobordreBeskrivelse/);
      expect((await listRejects(h.db, run.runId)).map((r) => r.reason)).toEqual([
        'jobordreId "not-a-guid" is not a GUID',
        'cvrNummer 12345678: the CVR number fails its modulus-11 check',
        'startdato "2026-04-31" is not a date (yyyy-mm-dd, an ISO date-time (its calendar date as written), or dd-mm-yyyy / dd.mm.yyyy / dd/mm/yyyy)',
      ]);
      expect(await ingestText(h.db, 'joborders', file)).toMatchObject({ inserted: 0, updated: 0, unchanged: 3 });
    });
  });

  describe('aggregates', () => {
    it('measures: CSV rows load, bad rows are rejected, re-run changes nothing', async () => {
      const csv = `cvr;periode;tilbud;antal;navn\n${CVR};2025M03;virksomhedspraktik;2;Jens Hansen\n${CVR};2025M04;løntilskud;1;\n${CVR};2025M13;fleksjob;1;Karen Jensen\n${CVR};2025M05;efterløn;1;\n${CVR};2025M05;jobrotation;-1;\n12345678;2025M05;jobrotation;1;\n`;
      const run = await ingestText(h.db, 'measures', csv, 'measures.csv');
      expect(run).toMatchObject({ read: 6, inserted: 2, rejected: 4 });
      expect((await listRejects(h.db, run.runId)).map((r) => [r.line, r.reason])).toEqual([
        [4, 'periode "2025M13" is not a month (yyyyMmm, e.g. 2025M03)'],
        [5, 'tilbud "efterløn" is not virksomhedspraktik, løntilskud, jobrotation or fleksjob'],
        [6, 'antal -1 is negative'],
        [7, 'cvr 12345678: the CVR number fails its modulus-11 check'],
      ]);
      expect(JSON.stringify(await h.db.selectFrom('jobcentre.measure').selectAll().execute())).not.toMatch(/Jens/);
      expect(JSON.stringify(await listRejects(h.db, run.runId))).not.toMatch(/Karen|navn/);
      expect(await ingestText(h.db, 'measures', csv, 'measures.csv')).toMatchObject({ inserted: 0, updated: 0, unchanged: 2 });
      const json = JSON.stringify([{ cvr: String(CVR), periode: '2025M04', tilbud: 'løntilskud', antal: 3 }]);
      expect(await ingestText(h.db, 'measures', json)).toMatchObject({ inserted: 0, updated: 1 });
    });

    it('layoffs: good and bad rows', async () => {
      const json = ndjson([
        { cvr: CVR, dato: '2025-09-15', antalPersoner: 35, aarsag: 'indskrænkning' },
        { cvr: CVR, dato: '2026-01-10', antalPersoner: 80, aarsag: 'lukning' },
        { cvr: CVR, dato: '2025-09-31', antalPersoner: 35, aarsag: 'lukning' },
        { cvr: CVR, dato: '2025-09-16', antalPersoner: -3, aarsag: 'lukning' },
        { cvr: CVR, dato: '2025-09-17', antalPersoner: 3, aarsag: 'konkurs' },
      ]);
      const run = await ingestText(h.db, 'layoffs', json);
      expect(run).toMatchObject({ read: 5, inserted: 2, rejected: 3 });
      expect((await listRejects(h.db, run.runId)).map((r) => r.reason)).toEqual([
        'dato "2025-09-31" is not a date (yyyy-mm-dd, an ISO date-time (its calendar date as written), or dd-mm-yyyy / dd.mm.yyyy / dd/mm/yyyy)',
        'antalPersoner -3 is negative',
        'aarsag "konkurs" is not indskrænkning or lukning',
      ]);
      expect(await ingestText(h.db, 'layoffs', json)).toMatchObject({ inserted: 0, updated: 0 });
    });

    it('supply: areas by code or name; unknown areas and negative counts are rejected', async () => {
      const csv =
        'disco,area,periode,antalLedige\n721200,RAR-VEST,2025M11,42\n721200,RAR Vestjylland,2025M12,40\n721200,RAR-MARS,2025M12,1\n721200,RAR-OEST,2025M12,-5\n72120,RAR-OEST,2025M12,5\n';
      const run = await ingestText(h.db, 'supply', csv, 'supply.csv');
      expect(run).toMatchObject({ read: 5, inserted: 2, rejected: 3 });
      expect((await listRejects(h.db, run.runId)).map((r) => r.reason)).toEqual([
        'unknown labour-market area "RAR-MARS" under RAR2015 (data/codes/area-codes.csv)',
        'antalLedige -5 is negative',
        'disco "72120" is not a DISCO-08 code (4 or 6 digits)',
      ]);
      expect(await ingestText(h.db, 'supply', csv, 'supply.csv')).toMatchObject({ inserted: 0, updated: 0 });
    });

    it('balance: the four categories load; another category is rejected; a file without the columns is refused', async () => {
      const csv = [
        'DISCO-kode;Titel;Område;Periode;Vurdering',
        '721200;Svejser;RAR Vestjylland;1. halvår 2026;Mangel på arbejdskraft',
        '833210;Lastbilchauffør;RAR Vestjylland;1. halvår 2026;Paradoksproblemer',
        '522300;Butiksassistent;RAR Vestjylland;2026H1;Mindre gode jobmuligheder',
        '251220;Softwareudvikler;RAR-OEST;2026H1;Gode jobmuligheder',
        '432100;Lagerarbejder;RAR-OEST;2026H1;Stor efterspørgsel',
      ].join('\n');
      const run = await ingestText(h.db, 'balance', csv, 'balance.csv');
      expect(run).toMatchObject({ read: 5, inserted: 4, rejected: 1 });
      expect((await listRejects(h.db, run.runId))[0]!.reason).toMatch(/^vurdering "Stor efterspørgsel" is not one of Mangel/);
      expect(await ingestText(h.db, 'balance', csv, 'balance.csv')).toMatchObject({ inserted: 0, updated: 0, unchanged: 4 });
      const refused = await ingestText(h.db, 'balance', 'disco;titel\n721200;Svejser\n', 'wrong.csv');
      expect(refused.status).toBe('failed');
      expect(refused.error).toMatch(/missing required columns? .*område/);
    });
  });
});

describe('jobcentre format documentation', () => {
  it('says in FORMATS.md what `indgang ingest --list` says, for every source', async () => {
    const { jobcentre } = await import('../connectors/jobcentre/index.js');
    const doc = fs.readFileSync(new URL('../connectors/jobcentre/FORMATS.md', import.meta.url), 'utf8');
    for (const s of jobcentre.sources) expect(doc, s.name).toContain(s.format);
  });
});
