import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { veu } from '../connectors/veu/index.js';
import type { DbHandle } from '../src/db/database.js';
import { listRejects } from '../src/ingest/runs.js';
import { dbTargets, freshDatabase, ownDatabase } from './helpers/db.js';
import { ingestText } from './helpers/graph.js';
import { testCvr } from './helpers/cvr.js';

const courses = `# source: test catalogue
nummer;titel;dage;disco;positivliste
22906;MIG/MAG-svejsning af stumpsømme;5;721200;ja
47592;Gaffeltruck certifikat B;5;8344,932900;nej
40150;Digital kompetence på arbejdspladsen;"0,5";;
40200;Programmering i C# # og F#;5;251220;ja
123;For kort nummer;2;721200;ja
44444;Ingen varighed;;721200;ja
55555;Forkert disco;2;72;ja
`;

const hold = (o: Record<string, unknown>) => ({
  holdId: 'H1',
  amuNummer: '22906',
  holdTitle: 'MIG/MAG-svejsning',
  institution: 'Herningsholm Erhvervsskole',
  lokationSted: 'Afdeling Fredhøj',
  lokationGade: 'Gullestrupvej 6',
  lokationPostNr: '7400',
  startDate: '2026-03-02T00:00:00',
  endDate: '2026-03-06T00:00:00',
  tilmeldingsFrist: '2026-02-16',
  undervisningsform: 'Almindelig undervisning',
  currentParticipantAmount: 14,
  participantCapacity: 12,
  aflyst: false,
  ...o,
});

const instances = JSON.stringify({
  holdCardDtos: [
    hold({}),
    hold({ holdId: 'H2', amuNummer: 47592, lokationPostNr: '9999', participantCapacity: 16, currentParticipantAmount: 3 }),
    hold({ holdId: undefined, amuNummer: '40150', lokationPostNr: '8000', aflyst: true }),
    hold({ holdId: 'H4', amuNummer: '2290' }),
    hold({ holdId: 'H5', endDate: '2026-03-01' }),
    hold({ holdId: 'H6', participantCapacity: -1 }),
  ],
});

const providers = `navn;institutionsnummer;type;adresse;postnr;by;hjemmeside
Herningsholm Erhvervsskole;657410;Erhvervsskole;Gullestrupvej 6;7400;Herning;https://www.herningsholm.dk
Mercantec;791410;Erhvervsskole;H.C. Andersens Vej 9;8800;Viborg;
;123;AMU-center;;;;
Ukendt Skole;12;AMU-center;;;;
`;

const cvr = testCvr(1);
const enrolments = `cvr;kursusnummer;periode;deltagere;veu_godtgørelse
${cvr};22906;2025-03;4;"12.480,00"
${cvr};47592;2025M10;2;
${cvr};40150;2025-11-03/2025-11-07;1;3120
12345678;22906;2025-03;4;100
${cvr};2290;2025-03;4;100
${cvr};22906;2025-13;4;100
${cvr};22906;2025-11-07/2025-11-03;4;100
${cvr};22906;2025-04;-1;100
${cvr};22906;2025-05;1;-5
`;

const sources: [string, string][] = [
  ['amu-courses', courses],
  ['amu-instances', instances],
  ['veu-providers', providers],
  ['veu-enrolments', enrolments],
];

describe.each(dbTargets)('VEU ingest on $name', (target) => {
  // The loading tests share an empty database, each filling a table of its own; the tests that read
  // what was loaded share one with every file loaded, which no test changes.
  let h: DbHandle;
  let loaded: DbHandle;
  beforeAll(async () => {
    h = await freshDatabase(target);
    loaded = await freshDatabase(target);
    for (const [source, text] of sources) expect(await ingestText(loaded.db, source, text)).toMatchObject({ status: 'succeeded' });
  });
  afterAll(async () => {
    await h?.close();
    await loaded?.close();
  });

  it('loads the catalogue, rejecting bad course numbers, durations and occupation codes', async () => {
    const run = await ingestText(h.db, 'amu-courses', courses, 'amu.csv');
    expect(run).toMatchObject({ status: 'succeeded', read: 7, inserted: 4, rejected: 3, notes: { coursesWithoutOccupation: 1 } });
    const rejects = await listRejects(h.db, run.runId);
    expect(rejects.map((r) => [r.line, r.reason])).toEqual([
      [7, 'course number "123": an AMU course number is 5 digits'],
      [8, expect.stringMatching(/^days "" is not a duration/)],
      [9, 'target occupation "72": a DISCO-08 code is 4 or 6 digits'],
    ]);
    expect(rejects[0]!.raw).toBe('123;For kort nummer;2;721200;ja');
    const stored = await h.db
      .selectFrom('veu.course')
      .select(['number', 'days', 'occupations', 'positive_list'])
      .orderBy('number')
      .execute();
    expect(stored).toEqual([
      { number: '22906', days: 5, occupations: ['721200'], positive_list: true },
      { number: '40150', days: 0.5, occupations: [], positive_list: false },
      { number: '40200', days: 5, occupations: ['251220'], positive_list: true },
      { number: '47592', days: 5, occupations: ['8344', '932900'], positive_list: false },
    ]);
  });

  it('keeps # inside a field: only a # at the start of a line is a comment', async () => {
    const t = await loaded.db.selectFrom('veu.course').select('title').where('number', '=', '40200').executeTakeFirstOrThrow();
    expect(t.title).toBe('Programmering i C# # og F#');
  });

  it('documents every source in FORMATS.md with the same text as ingest --list', () => {
    const doc = fs.readFileSync(new URL('../connectors/veu/FORMATS.md', import.meta.url), 'utf8');
    for (const s of veu.sources) expect(doc, s.name).toContain(s.format);
  });

  it('refuses a catalogue without the required columns as a whole', async () => {
    const run = await ingestText(h.db, 'amu-courses', 'nummer;titel\n22906;X\n');
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/missing required column days/);
  });

  it('loads instances, rejecting bad numbers, dates and capacities, and keeps unknown postcodes unresolved', async () => {
    const run = await ingestText(h.db, 'amu-instances', instances, 'hold.json');
    expect(run).toMatchObject({ status: 'succeeded', read: 6, inserted: 3, rejected: 3, notes: { placeUnresolved: 1, overbooked: 2 } });
    const rejects = await listRejects(h.db, run.runId);
    expect(rejects.map((r) => [r.position, r.reason])).toEqual([
      ['holdCardDtos[3]', 'course number "2290": an AMU course number is 5 digits'],
      ['holdCardDtos[4]', 'endDate 2026-03-01 is before startDate 2026-03-02'],
      ['holdCardDtos[5]', 'participantCapacity -1 is below zero'],
    ]);
    const rows = await h.db
      .selectFrom('veu.instance')
      .select(['id', 'course_number', 'municipality_code', 'city', 'starts_on', 'ends_on', 'apply_by', 'cancelled'])
      .orderBy('course_number')
      .execute();
    expect(rows).toEqual([
      {
        id: 'H1',
        course_number: '22906',
        municipality_code: '657',
        city: 'Herning',
        starts_on: '2026-03-02',
        ends_on: '2026-03-06',
        apply_by: '2026-02-16',
        cancelled: false,
      },
      {
        id: expect.stringMatching(/^h-[0-9a-f]{20}$/),
        course_number: '40150',
        municipality_code: '751',
        city: expect.any(String),
        starts_on: '2026-03-02',
        ends_on: '2026-03-06',
        apply_by: '2026-02-16',
        cancelled: true,
      },
      {
        id: 'H2',
        course_number: '47592',
        municipality_code: null,
        city: null,
        starts_on: '2026-03-02',
        ends_on: '2026-03-06',
        apply_by: '2026-02-16',
        cancelled: false,
      },
    ]);
  });

  it('reads NDJSON holdCardDtos as well', async () => {
    // The instance it adds would be one too many for the instances test: a database of its own.
    const h = await ownDatabase(target);
    const run = await ingestText(
      h.db,
      'amu-instances',
      JSON.stringify(hold({ holdId: 'H9', participantCapacity: '' })) + '\n',
      'hold.ndjson',
    );
    expect(run).toMatchObject({ status: 'succeeded', inserted: 1, rejected: 0 });
    const r = await h.db.selectFrom('veu.instance').select('capacity').where('id', '=', 'H9').executeTakeFirstOrThrow();
    expect(r.capacity).toBeNull();
  });

  it('loads providers and rejects nameless ones or bad institution numbers', async () => {
    const run = await ingestText(h.db, 'veu-providers', providers, 'providers.csv');
    expect(run).toMatchObject({ status: 'succeeded', read: 4, inserted: 2, rejected: 2 });
    const rejects = await listRejects(h.db, run.runId);
    expect(rejects.map((r) => r.reason)).toEqual(['the provider name is missing', 'institution number "12" is not 3 to 8 digits']);
    const p = await h.db
      .selectFrom('veu.provider')
      .selectAll()
      .where('name_key', '=', 'herningsholm erhvervsskole')
      .executeTakeFirstOrThrow();
    expect(p).toMatchObject({ municipality_code: '657', number: '657410' });
  });

  it('loads enrolments and rejects bad CVRs, numbers, periods, counts and amounts', async () => {
    const run = await ingestText(h.db, 'veu-enrolments', enrolments, 'veu.csv');
    expect(run).toMatchObject({ status: 'succeeded', read: 9, inserted: 3, rejected: 6, touched: [cvr] });
    const reasons = (await listRejects(h.db, run.runId)).map((r) => r.reason);
    expect(reasons).toEqual([
      expect.stringMatching(/^cvr 12345678: .*modulus-11/),
      'course number "2290": an AMU course number is 5 digits',
      'period "2025-13": month 13 does not exist',
      'period "2025-11-07/2025-11-03": the end 2025-11-03 is before the start 2025-11-07',
      'participants "-1" is not a count (0 or more)',
      'VEU wage compensation "-5" is not an amount in DKK (0 or more)',
    ]);
    const rows = await h.db
      .selectFrom('veu.enrolment')
      .select(['course_number', 'starts_on', 'ends_on', 'period', 'wage_compensation'])
      .orderBy('starts_on')
      .execute();
    expect(rows).toEqual([
      { course_number: '22906', starts_on: '2025-03-01', ends_on: '2025-03-31', period: '2025-03', wage_compensation: 12480 },
      { course_number: '47592', starts_on: '2025-10-01', ends_on: '2025-10-31', period: '2025-10', wage_compensation: null },
      { course_number: '40150', starts_on: '2025-11-03', ends_on: '2025-11-07', period: '2025-11-03/2025-11-07', wage_compensation: 3120 },
    ]);
  });

  it.each(sources)('changes nothing when %s is loaded again', async (source, text) => {
    const before = await loaded.db
      .selectFrom(`veu.${table(source)}` as 'veu.course')
      .select(['run_id', 'changed_at'])
      .execute();
    const run = await ingestText(loaded.db, source, text);
    expect(run).toMatchObject({ status: 'succeeded', inserted: 0, updated: 0 });
    expect(run.unchanged).toBeGreaterThan(0);
    const after = await loaded.db
      .selectFrom(`veu.${table(source)}` as 'veu.course')
      .select(['run_id', 'changed_at'])
      .execute();
    expect(after).toEqual(before);
  });

  it('updates a changed instance and counts it', async () => {
    // It changes an instance the re-load test reads: a database of its own with the instances loaded.
    const h = await ownDatabase(target, (d) => ingestText(d.db, 'amu-instances', instances));
    const changed = instances.replace('"currentParticipantAmount":3', '"currentParticipantAmount":4');
    expect(changed).not.toBe(instances);
    const run = await ingestText(h.db, 'amu-instances', changed);
    expect(run).toMatchObject({ inserted: 0, updated: 1 });
  });
});

function table(source: string): string {
  return { 'amu-courses': 'course', 'amu-instances': 'instance', 'veu-providers': 'provider', 'veu-enrolments': 'enrolment' }[source]!;
}
