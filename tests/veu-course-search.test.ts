import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../src/db/database.js';
import { listRejects } from '../src/ingest/runs.js';
import { dbTargets, freshDatabase, ownDatabase } from './helpers/db.js';
import { graph, ingestText } from './helpers/graph.js';

// Holds shaped as the national course search answers searchHold?subject_code=22906&type=AMU: field names,
// value forms and values as published (a saved answer in the public repository jpkevu/Voksenuddannelse,
// amu22906.csv); the school staff's names, e-mails and phone numbers are replaced by made-up ones.
const hold = (o: Record<string, unknown>) => ({
  antalUndervisningsdage: null,
  beskrivelse: 'Sikkerhed v. asbestarbejde uden autorisationskrav\nDer kan forekomme afsluttende prøve på dette kursus',
  duration: 2,
  endDate: '2026-09-22T00:00:00',
  forudsaetninger: null,
  holdTitle: 'Sikkerhed v. asbestarbejde uden autorisationskrav',
  id: 844352,
  institution: 'Learnmark Horsens',
  kontaktMail: 'kursist.kontakt@skole-eksempel.dk',
  kontaktPerson: 'Karla Kontaktsen',
  kontaktPersonTlfNummer: '88 16 36 47',
  lokationGade: 'Vejlevej 150',
  lokationPostNr: '8700',
  lokationSted: 'Horsens',
  startDate: '2026-09-21T00:00:00',
  tilmeldingsFrist: '2026-09-21T00:00:00',
  undervisningsform: 'Dagundervisning',
  undervisningstidspunkt: '08:00-15:24',
  aabent: false,
  aflyst: false,
  aktiGuid: '9356840D89CE405881748371298F206A',
  currentParticipantAmount: 6,
  flereKurser: false,
  garantiKursus: false,
  hjemmeside: 'www.learnmark.dk',
  kviknummer: '6154022290626002',
  minimumParticipants: 14,
  normpris: 436,
  participantCapacity: 20,
  tillaegspris: null,
  tillaegsprisAarsag: null,
  tillaegsprisBegrundelse: null,
  ...o,
});

// One page as the API sends it: a single line.
const page = JSON.stringify({
  holdCardDtos: [
    hold({}),
    hold({
      id: 878783,
      institution: 'EUC Syd',
      lokationGade: 'Stegholt 35',
      lokationPostNr: 6200,
      lokationSted: 'Aabenraa',
      startDate: '2026-09-14T00:00:00',
      endDate: '2026-09-15T00:00:00',
      tilmeldingsFrist: '2026-09-11T00:00:00',
      undervisningstidspunkt: '08.10 - 15:35',
      currentParticipantAmount: 5,
      minimumParticipants: 8,
      kviknummer: '5374012290626051',
    }),
    hold({
      id: 889455,
      institution: 'JUUL Danmark A/S',
      lokationGade: 'Abildgårdsvej 14',
      lokationPostNr: '4000',
      lokationSted: 'Roskilde',
      garantiKursus: true,
      participantCapacity: 8,
      currentParticipantAmount: 7,
      minimumParticipants: 1,
      kviknummer: '26541423068',
    }),
    hold({
      id: 890250,
      institution: 'UCE - UddannelsesCenter Sydøstdanmark',
      lokationGade: 'Stamholmen 110',
      lokationPostNr: '2650',
      lokationSted: 'Hvidovre',
      currentParticipantAmount: 25,
      participantCapacity: 25,
    }),
  ],
});

describe.each(dbTargets)('the national course search on $name', (target) => {
  let h: DbHandle;
  beforeAll(async () => {
    h = await freshDatabase(target);
  });
  afterAll(() => h?.close());

  it('rejects every hold when the run does not say which course was searched, saying how to give it', async () => {
    const run = await ingestText(h.db, 'amu-instances', page, 'searchHold-22906.json');
    expect(run).toMatchObject({ status: 'succeeded', read: 4, inserted: 0, rejected: 4 });
    const rejects = await listRejects(h.db, run.runId);
    expect(rejects[0]!.reason).toMatch(
      /^the course number is missing: course-search holds carry none, so give the query's subject_code to the run \(.*--course/,
    );
    // The school's contact person is never stored, not even in a reject.
    expect(JSON.stringify(rejects)).not.toMatch(/Karla|kontakt|88 16 36 47/);
  });

  it('loads the holds with the number from the run, resolving postcodes anywhere in Denmark', async () => {
    // It reads every instance, and other tests load holds too: a database of its own.
    const h = await ownDatabase(target);
    const run = await ingestText(h.db, 'amu-instances', page, 'searchHold-22906.json', { course: '22906' });
    expect(run).toMatchObject({ status: 'succeeded', read: 4, inserted: 4, rejected: 0 });
    expect(run.notes.placeUnresolved ?? 0).toBe(0);
    const rows = await h.db.selectFrom('veu.instance').selectAll().orderBy('id').execute();
    expect(rows.map((r) => [r.id, r.course_number, r.postcode, r.municipality_code])).toEqual([
      ['844352', '22906', '8700', '615'],
      ['878783', '22906', '6200', '580'],
      ['889455', '22906', '4000', '265'],
      ['890250', '22906', '2650', '167'],
    ]);
    expect(rows[0]).toMatchObject({
      starts_on: '2026-09-21',
      ends_on: '2026-09-22',
      apply_by: '2026-09-21',
      time_of_day: '08:00-15:24',
      minimum_participants: 14,
      guaranteed: false,
      search_code: '6154022290626002',
      website: 'www.learnmark.dk',
    });
    expect(Number(rows[0]!.teaching_days)).toBe(2);
    expect(Number(rows[0]!.price)).toBe(436);
    const everything = JSON.stringify(rows);
    expect(everything).not.toMatch(/Karla|skole-eksempel|88 16 36 47/);
  });

  it('serves what the search publishes, and a re-run changes nothing', async () => {
    await ingestText(h.db, 'amu-instances', page, 'searchHold-22906.json', { course: '22906' });
    await ingestText(h.db, 'amu-courses', 'nummer;titel;dage\n22906;Sikkerhed v. asbestarbejde uden autorisationskrav;2\n');
    const again = await ingestText(h.db, 'amu-instances', page, 'searchHold-22906.json', { course: '22906' });
    expect(again).toMatchObject({ status: 'succeeded', inserted: 0, updated: 0, unchanged: 4 });
    const q = await graph(h.db)(`{ course(number: "22906") { instances(first: 10) { edges { node { id
      courseNumber seatsLeft guaranteed minimumParticipants price days timeOfDay searchCode place { city municipality { name } } } } } } }`);
    expect(q.errors).toBeUndefined();
    const { id, ...roskilde } = q.data.course.instances.edges.map((e: any) => e.node).find((n: any) => n.id === '889455');
    expect(roskilde).toEqual({
      courseNumber: '22906',
      seatsLeft: 1,
      guaranteed: true,
      minimumParticipants: 1,
      price: 436,
      days: 2,
      timeOfDay: '08:00-15:24',
      searchCode: '26541423068',
      place: { city: 'Roskilde', municipality: { name: 'Roskilde' } },
    });
  });

  it("takes a number the hold carries itself over the run's, and fails a document of another shape naming its keys", async () => {
    const own = JSON.stringify({ holdCardDtos: [hold({ id: 1, subject_code: '47592' })] });
    const run = await ingestText(h.db, 'amu-instances', own, 'own.json', { course: '22906' });
    expect(run).toMatchObject({ status: 'succeeded', inserted: 1 });
    expect(
      (await h.db.selectFrom('veu.instance').select('course_number').where('id', '=', '1').executeTakeFirstOrThrow()).course_number,
    ).toBe('47592');
    const wrong = await ingestText(h.db, 'amu-instances', JSON.stringify({ courses: [hold({})], total: 1 }, null, 2), 'wrong.json', {
      course: '22906',
    });
    expect(wrong.status).toBe('failed');
    expect(wrong.error).toMatch(/wrong\.json: found an object with keys courses, total; expected course-search holds/);
  });
});
