import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoFromLabel } from '../connectors/jobcentre/codes.js';
import { remapOccupations } from '../connectors/jobcentre/remap.js';
import type { Db, DbHandle } from '../src/db/database.js';
import { listRejects } from '../src/ingest/runs.js';
import { dbTargets, freshDatabase, ownDatabase } from './helpers/db.js';
import { graph, ingestText } from './helpers/graph.js';
import { ndjson, testCvr, vrv } from './helpers/cvr.js';
import { day } from './helpers/jobcentre.js';
import { detailDocument, jobnetDay, searchPosting, searchResponse } from './helpers/jobnet.js';

// Jobnet as it publishes ads (issue 10, part 4 and 6): search responses and ad detail documents, with
// records shaped as in real published files (see tests/helpers/jobnet.ts for the source).

const KNOWN = testCvr(40);
const LATER = testCvr(41); // valid, loaded into the register only later
const INVALID = 12345679;

// Labels nobody will add to data/codes: counted as unmapped whatever the shipped list holds.
const DREAM = 'Drømmejob i det blå';
const HANDY = 'Alt-mulig-mand, weekend';

const page = searchResponse([
  searchPosting({ id: '6100001', cvr: Number(KNOWN), occupation: DREAM }),
  searchPosting({ id: '6100002', cvr: Number(LATER), title: 'Truckfører til lager', occupation: DREAM }),
  // An external ad: no CVR, no workplace postcode (Jobnet files it under the municipality's postcode),
  // no deadline ("Ikke oplyst"), an employment type but no occupation label.
  searchPosting({
    id: 'E8300001',
    hiringOrgName: 'Aarhus Kommune',
    address: '',
    workPlacePostalCode: '',
    city: '',
    postalCode: '8000',
    municipality: 'Aarhus',
    deadline: '1900-01-01T00:00:00',
    employmentType: 'Tidsbegrænset ansættelse',
  }),
  // Work at changing places: no workplace, and the PostalCode is the employer's, not the work's.
  searchPosting({
    id: '6100004',
    cvr: Number(KNOWN),
    notStatic: true,
    address: '',
    workPlacePostalCode: '',
    city: '',
    postalCode: '8700',
    municipality: '',
    region: '',
    occupation: HANDY,
  }),
  // A postcode the list does not know: the municipality comes from the ad's name for it.
  searchPosting({
    id: '6100005',
    cvr: Number(KNOWN),
    workPlacePostalCode: '9999',
    city: 'Taastrup',
    municipality: 'Høje-Taastrup',
    region: 'Hovedstaden og Bornholm',
  }),
  // Neither postcode nor municipality known: loads, place unresolved.
  searchPosting({ id: '6100006', cvr: Number(KNOWN), workPlacePostalCode: '9999', city: 'Atlantis', municipality: 'Atlantis' }),
  searchPosting({ id: '6100007', cvr: INVALID, occupation: DREAM }),
  // Bad: the posting date is no date.
  searchPosting({ id: '6100008', cvr: Number(KNOWN), posted: '2. juli 2021' }),
]);
// No postcode at all: the municipality comes from the name Jobnet gives.
const noPostcode = { ...searchPosting({ id: '6100009', cvr: Number(KNOWN), municipality: 'Aarhus', city: 'Aarhus C' }) };
delete noPostcode.WorkPlacePostalCode;
delete noPostcode.PostalCode;
(page.JobPositionPostings as object[]).push(noPostcode);

/** Every row of every table as text, for searching the whole database. */
async function wholeDatabase(db: Db): Promise<string> {
  const tables = await sql<{ s: string; t: string }>`
    SELECT table_schema AS s, table_name AS t FROM information_schema.tables
    WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema') AND table_schema NOT LIKE 'pg\\_%'`.execute(
    db,
  );
  expect(tables.rows.map((r) => `${r.s}.${r.t}`)).toEqual(expect.arrayContaining(['jobcentre.vacancy', 'ingest.reject', 'ingest.run']));
  const texts = await Promise.all(
    tables.rows.map((r) => sql<{ x: string }>`SELECT x::text AS x FROM ${sql.table(`${r.s}.${r.t}`)} x`.execute(db)),
  );
  return texts.flatMap((t) => t.rows.map((r) => r.x)).join('\n');
}

/** One stored ad, every column. */
const adIn = async (h: DbHandle, id: string) =>
  (await h.db.selectFrom('jobcentre.vacancy').selectAll().where('id', '=', id).executeTakeFirstOrThrow()) as Record<string, unknown>;

/** The company most ads name, and (unless only the company is asked for) the search response loaded. */
async function load(h: DbHandle, withPage = true) {
  expect(await ingestText(h.db, 'cvr', ndjson([vrv({ cvr: KNOWN, name: 'Herning Lager ApS' })]))).toMatchObject({ inserted: 1 });
  if (withPage) expect(await ingestText(h.db, 'jobnet', JSON.stringify(page, null, 4), 'search.json')).toMatchObject({ inserted: 8 });
}

describe.each(dbTargets)('Jobnet as published, on $name', (target) => {
  // The tests share a database with the search response loaded where none changes what another reads;
  // a test that loads the response itself, or changes ads or their mapping, has a database of its own.
  let h: DbHandle;
  let q: ReturnType<typeof graph>;
  beforeAll(async () => {
    h = await freshDatabase(target);
    q = graph(h.db);
    await load(h);
  });
  afterAll(async () => h?.close());
  const own = async (withPage = true) => {
    const h = await ownDatabase(target, (d) => load(d, withPage));
    return { h, q: graph(h.db), ad: (id: string) => adIn(h, id) };
  };

  it('loads a search response: places resolved from the postcode or the municipality name, never rejected for them', async () => {
    const { h, q, ad } = await own(false);
    const run = await ingestText(h.db, 'jobnet', JSON.stringify(page, null, 4), 'search.json');
    expect(run).toMatchObject({ status: 'succeeded', read: 9, inserted: 8, rejected: 1 });
    expect(run.notes).toMatchObject({
      unknownPostcode: 2,
      unknownMunicipality: 1,
      placeUnresolved: 2,
      workplaceNotStatic: 1,
      unmatchedCompany: 2,
    });
    expect((await listRejects(h.db, run.runId)).map((r) => [r.position, r.reason])).toEqual([
      ['JobPositionPostings[7]', expect.stringMatching(/^PostingCreated "2\. juli 2021" is not a date/)],
    ]);
    expect(await ad('6100001')).toMatchObject({
      cvr: KNOWN,
      hiring_org_name: 'Herning Lager ApS',
      title: 'Lagermedarbejder til vareindgang',
      workplace_address: 'Fabriksvej 12',
      workplace_postcode: '7400',
      workplace_city: 'Herning',
      municipality_code: '657',
      posted_at: day(-5),
      apply_by: day(20),
      employment_type: null,
      work_hours: 'Fuldtid',
      positions: null,
      occupation_label: DREAM,
      disco: null,
      external: false,
      workplace_not_static: false,
    });
    expect(await ad('E8300001')).toMatchObject({
      cvr: null,
      hiring_org_cvr: '0',
      external: true,
      workplace_postcode: '8000',
      municipality_code: '751',
      apply_by: null,
      employment_type: 'Tidsbegrænset ansættelse',
      occupation_label: null,
    });
    expect(await ad('6100004')).toMatchObject({
      workplace_not_static: true,
      workplace_postcode: null,
      workplace_city: null,
      municipality_code: null,
      occupation_label: HANDY,
    });
    expect(await ad('6100005')).toMatchObject({ workplace_postcode: '9999', workplace_city: 'Taastrup', municipality_code: '169' });
    expect(await ad('6100006')).toMatchObject({ workplace_postcode: '9999', workplace_city: 'Atlantis', municipality_code: null });
    expect(await ad('6100009')).toMatchObject({ workplace_postcode: null, workplace_city: 'Aarhus C', municipality_code: '751' });
    expect(await ad('6100007')).toMatchObject({ cvr: null, hiring_org_cvr: String(INVALID) });
    expect(await ad('6100002')).toMatchObject({ cvr: LATER });
    const r = await q(
      `{ unmatchedVacancies(first: 1) { totalCount } v: company(cvr: "${KNOWN}") { recruitment { vacancies(first: 10) { edges { node { adId external workplace { postcode city notStatic municipality { name } } } } } } } }`,
    );
    expect(r.errors).toBeUndefined();
    const places = Object.fromEntries(r.data.v.recruitment.vacancies.edges.map((e: any) => [e.node.adId, e.node.workplace]));
    expect(places['6100004']).toEqual({ postcode: null, city: null, notStatic: true, municipality: null });
    expect(places['6100005']).toEqual({ postcode: '9999', city: 'Taastrup', notStatic: false, municipality: { name: 'Høje-Taastrup' } });
    expect(places['6100006']).toEqual({ postcode: '9999', city: 'Atlantis', notStatic: false, municipality: null });
  });

  it('a detail document fills what the search page lacks, and loading either again changes nothing', async () => {
    const { h, q, ad } = await own();
    const before = await ad('6100001');
    // The ad's detail: 3 positions, a fixed-term employment (an id named by the document's EmploymentTypes),
    // posted by the employer's office in Horsens (WorkPlace.Address) for work in Herning (WorkLocation).
    const detail = detailDocument({
      id: 6100001,
      cvr: KNOWN,
      numberToFill: 3,
      employmentType: 16,
      office: { postalCode: '8700', city: 'Horsens', municipality: { Id: 615, Name: 'Horsens' } },
    });
    const run = await ingestText(h.db, 'jobnet', JSON.stringify(detail, null, 4), 'JobDetailJson-6100001.json');
    expect(run).toMatchObject({ status: 'succeeded', read: 1, inserted: 0, updated: 1, rejected: 0, notes: { detailDocuments: 1 } });
    const after = await ad('6100001');
    expect(after).toMatchObject({
      positions: 3,
      employment_type: 'Tidsbegrænset ansættelse',
      municipality_code: '657',
      workplace_postcode: '7400',
    });
    // What the detail lacks stays: the label (the detail's Occupation.Name is null), IsExternal, WorkPlaceNotStatic.
    for (const k of [
      'occupation_label',
      'external',
      'workplace_not_static',
      'hiring_org_cvr',
      'title',
      'posted_at',
      'apply_by',
      'workplace_address',
    ] as const)
      expect(after[k]).toEqual(before[k]);
    expect(await ingestText(h.db, 'jobnet', JSON.stringify(detail, null, 4))).toMatchObject({ read: 1, updated: 0, unchanged: 1 });
    expect(await ingestText(h.db, 'jobnet', JSON.stringify(page))).toMatchObject({
      read: 9,
      inserted: 0,
      updated: 0,
      unchanged: 8,
      rejected: 1,
    });
    expect(await ad('6100001')).toMatchObject({ positions: 3, employment_type: 'Tidsbegrænset ansættelse' });
    const r = await q(
      `{ company(cvr: "${KNOWN}") { recruitment { vacancies(first: 1) { edges { node { adId positions employmentType unmatchedReason } } } } } }`,
    );
    expect(r.data.company.recruitment.vacancies.edges[0].node).toEqual({
      adId: '6100001',
      positions: 3,
      employmentType: 'Tidsbegrænset ansættelse',
      unmatchedReason: null,
    });
  });

  it('reads detail documents on one line, one per line, and for an ad no search page brought', async () => {
    const { h, ad } = await own();
    const oneLine = detailDocument({ id: 6100010, cvr: KNOWN, title: 'Pakkeriassistent', numberToFill: 2 });
    const run = await ingestText(h.db, 'jobnet', JSON.stringify(oneLine), 'one-line.json');
    expect(run).toMatchObject({ status: 'succeeded', read: 1, inserted: 1 });
    expect(await ad('6100010')).toMatchObject({
      title: 'Pakkeriassistent',
      positions: 2,
      cvr: KNOWN,
      municipality_code: '657',
      employment_type: 'Fastansættelse',
      external: false,
      workplace_not_static: null,
    });
    // The detail of the ad whose work moves: its WorkLocation is empty (municipality id 9090, no name).
    const moving = detailDocument({
      id: 6100004,
      cvr: KNOWN,
      numberToFill: 4,
      workLocation: { line: '', postalCode: '', city: '', municipality: { Id: 9090, Name: '' } },
    });
    const lines = ndjson([moving, detailDocument({ id: 6100010, cvr: KNOWN, title: 'Pakkeriassistent', numberToFill: 2 })]);
    expect(await ingestText(h.db, 'jobnet', lines, 'details.ndjson')).toMatchObject({
      status: 'succeeded',
      read: 2,
      inserted: 0,
      updated: 1,
      unchanged: 1,
    });
    expect(await ad('6100004')).toMatchObject({
      positions: 4,
      workplace_not_static: true,
      workplace_postcode: null,
      municipality_code: null,
    });
    // A search page and a detail of the same ad in one file merge in file order.
    const both = ndjson([
      searchPosting({ id: '6100011', cvr: Number(KNOWN) }),
      detailDocument({ id: 6100011, cvr: KNOWN, numberToFill: 7 }),
    ]);
    expect(await ingestText(h.db, 'jobnet', both)).toMatchObject({ read: 2, inserted: 1, updated: 1 });
    expect(await ad('6100011')).toMatchObject({ positions: 7, external: false, workplace_not_static: false });
    expect(await ingestText(h.db, 'jobnet', both)).toMatchObject({ read: 2, inserted: 0, updated: 0, unchanged: 2 });
  });

  it('refuses what is not a Jobnet document, never reporting success with nothing read', async () => {
    // External ads' detail pages are other sites' HTML.
    const html = await ingestText(h.db, 'jobnet', '<!DOCTYPE HTML>\n<html lang="da"><head></head></html>\n', 'E8300001.html');
    expect(html).toMatchObject({ status: 'failed', read: 0 });
    expect(html.error).toMatch(/is not JSON: it starts with "<!DOCTYPE HTML>.*expected Jobnet job ads/);
    const other = await ingestText(h.db, 'jobnet', JSON.stringify({ holdCardDtos: [{ id: 1 }] }, null, 2), 'wrong.json');
    expect(other).toMatchObject({ status: 'failed', read: 0 });
    expect(other.error).toMatch(/found an object with keys holdCardDtos; expected Jobnet job ads/);
  });

  it('lists ads tied to no company with the reason, decided when asked: one drops off once its company is loaded', async () => {
    const list = `{ unmatchedVacancies(first: 20) { totalCount edges { node { adId unmatchedReason hiringOrg { cvrAsGiven } } } }
      unknown: unmatchedVacancies(reason: UNKNOWN_TO_REGISTER) { totalCount edges { node { adId } } } }`;
    const r = await q(list);
    expect(r.errors).toBeUndefined();
    expect(r.data.unmatchedVacancies.edges.map((e: any) => [e.node.adId, e.node.unmatchedReason, e.node.hiringOrg.cvrAsGiven])).toEqual([
      ['6100002', 'UNKNOWN_TO_REGISTER', LATER],
      ['6100007', 'INVALID_CVR', String(INVALID)],
      ['E8300001', 'NO_CVR', '0'],
    ]);
    expect(r.data.unmatchedVacancies.totalCount).toBe(3);
    const second = await q(`{ unmatchedVacancies(first: 1) { pageInfo { endCursor } } }`);
    const rest = await q(
      `query ($a: String) { unmatchedVacancies(first: 5, after: $a) { edges { node { adId } } pageInfo { hasNextPage hasPreviousPage } } }`,
      {
        a: second.data.unmatchedVacancies.pageInfo.endCursor,
      },
    );
    expect(rest.data.unmatchedVacancies).toEqual({
      edges: [{ node: { adId: '6100007' } }, { node: { adId: 'E8300001' } }],
      pageInfo: { hasNextPage: false, hasPreviousPage: true },
    });
    expect(r.data.unknown).toEqual({ totalCount: 1, edges: [{ node: { adId: '6100002' } }] });

    expect(await ingestText(h.db, 'cvr', ndjson([vrv({ cvr: LATER, name: 'Senere Transport A/S' })]))).toMatchObject({ inserted: 1 });
    const after = await q(list);
    expect(after.data.unmatchedVacancies.totalCount).toBe(2);
    expect(after.data.unmatchedVacancies.edges.map((e: any) => e.node.adId)).toEqual(['6100007', 'E8300001']);
    expect(after.data.unknown.totalCount).toBe(0);
    const company = await q(
      `{ company(cvr: "${LATER}") { recruitment { vacancies(first: 5) { edges { node { adId title unmatchedReason } } } } } }`,
    );
    expect(company.data.company.recruitment.vacancies.edges).toEqual([
      { node: { adId: '6100002', title: 'Truckfører til lager', unmatchedReason: null } },
    ]);
  });

  it('counts occupation labels that map to no DISCO code, most frequent first, paged', async () => {
    const all = await q(`{ unmappedOccupationLabels(first: 100) { totalCount edges { node { label count } } pageInfo { hasNextPage } } }`);
    expect(all.errors).toBeUndefined();
    const labels = all.data.unmappedOccupationLabels.edges.map((e: any) => e.node);
    expect(labels).toEqual(
      expect.arrayContaining([
        { label: DREAM, count: 3 },
        { label: HANDY, count: 1 },
      ]),
    );
    expect(labels.findIndex((l: any) => l.label === DREAM)).toBeLessThan(labels.findIndex((l: any) => l.label === HANDY));
    expect(labels.map((l: any) => l.count)).toEqual([...labels.map((l: any) => l.count)].sort((a, b) => b - a));
    // Every label here maps to nothing by the shipped files.
    expect(labels.every((l: any) => discoFromLabel(l.label) === null)).toBe(true);
    expect(all.data.unmappedOccupationLabels.totalCount).toBe(labels.length);
    const paged: unknown[] = [];
    let after: string | null = null;
    do {
      const p: any = await q(
        `query ($a: String) { unmappedOccupationLabels(first: 1, after: $a) { edges { node { label count } } pageInfo { hasNextPage endCursor } } }`,
        { a: after },
      );
      paged.push(...p.data.unmappedOccupationLabels.edges.map((e: any) => e.node));
      after = p.data.unmappedOccupationLabels.pageInfo.hasNextPage ? p.data.unmappedOccupationLabels.pageInfo.endCursor : null;
    } while (after);
    expect(paged).toEqual(labels);
    const bad = await q(`{ unmappedOccupationLabels(first: 101) { totalCount } }`);
    expect(bad.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
  });

  it('maps the stored ads again when a label is added (codes remap), and again when it is taken away', async () => {
    const { h, q, ad } = await own();
    const withHandy = (label: string) => (label === HANDY ? '711510' : discoFromLabel(label));
    const first = await remapOccupations(h.db, withHandy);
    expect(first).toMatchObject({ vacancies: 1, jobOrders: 0 });
    expect(await ad('6100004')).toMatchObject({ disco: '711510', occupation_via: 'label', occupation_label: HANDY });
    const labels = await q(`{ unmappedOccupationLabels(first: 100) { edges { node { label } } } }`);
    expect(labels.data.unmappedOccupationLabels.edges.map((e: any) => e.node.label)).not.toContain(HANDY);
    expect(await remapOccupations(h.db, withHandy)).toMatchObject({ vacancies: 0, jobOrders: 0 });
    const runs = await h.db.selectFrom('ingest.run').selectAll().where('source', '=', 'codes-remap').orderBy('id').execute();
    expect(runs.map((r) => [r.status, r.updated])).toEqual([
      ['succeeded', 1],
      ['succeeded', 0],
    ]);
    // The operator removes the row again: the shipped files map the label to nothing.
    expect(await remapOccupations(h.db)).toMatchObject({ vacancies: 1 });
    expect(await ad('6100004')).toMatchObject({ disco: null, occupation_via: null });
  });

  it('keeps no contact person, e-mail address, phone number or free text anywhere, rejects included', async () => {
    // A detail document as the detail test loads it, then a rejected one, beside the search response.
    await ingestText(h.db, 'jobnet', JSON.stringify(detailDocument({ id: 6100001, cvr: KNOWN, numberToFill: 3 })));
    // A detail document that is rejected (no publication date) keeps its scrubbed text in ingest.reject.
    const rejected = detailDocument({ id: 6100012, cvr: KNOWN });
    (rejected.JobPositionPosting as Record<string, unknown>).PublicationStartDate = null;
    const run = await ingestText(h.db, 'jobnet', JSON.stringify(rejected, null, 2));
    expect(run).toMatchObject({ read: 1, rejected: 1 });
    const [reject] = await listRejects(h.db, run.runId);
    expect(reject!.reason).toBe('JobPositionPosting.PublicationStartDate is missing');
    expect(reject!.raw).toContain('"OrganizationNumber"');
    const all = await wholeDatabase(h.db);
    expect(all).toContain('Herning Lager ApS');
    for (const trace of [
      'Jens',
      'Hansen',
      '@example.dk',
      '12 34 56 78',
      '87654321',
      '97123456',
      'JppContacts',
      'PersonName',
      'ContactPerson',
      'Purpose',
      'Presentation',
    ]) {
      expect(all, trace).not.toContain(trace);
    }
    const columns = await sql<{
      c: string;
    }>`SELECT column_name AS c FROM information_schema.columns WHERE table_schema = 'jobcentre'`.execute(h.db);
    expect(columns.rows.map((r) => r.c).filter((c) => /person|contact|email|phone|cpr/.test(c))).toEqual(['persons']);
  });
});

// The posting date is today's, so the status rule applies to the real dates too.
describe('Jobnet dates as written', () => {
  it('reads 1900-01-01 ("Ikke oplyst") and 0001-01-01 as no date', async () => {
    const { validateJobAd } = await import('../connectors/jobcentre/ingest/jobnet.js');
    const r = validateJobAd(searchPosting({ id: '1', deadline: '1900-01-01T00:00:00', posted: jobnetDay(-1) })) as any;
    expect(r.row).toMatchObject({ apply_by: null, posted_at: day(-1) });
    const d = detailDocument({ id: 2, deadline: '0001-01-01T00:00:00' });
    expect((validateJobAd(d) as any).row).toMatchObject({ apply_by: null });
  });
});
