import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allSources } from '../src/connectors.js';
import type { DbHandle } from '../src/db/database.js';
import { dbTargets, freshDatabase, ownDatabase } from './helpers/db.js';
import { up as blankCareOfInRejects } from '../src/ingest/migrations/0003_no_care_of_in_rejects.js';
import { ingestText } from './helpers/graph.js';
import { testCvr, vrv } from './helpers/cvr.js';

// Person data as the real sources carry it: CVR's participants and contact details, Jobnet's contact
// persons, the course search's school staff, name/CPR/e-mail/phone columns in CSV exports.
const NAME = 'Persona Privatsen';
const MAIL = 'persona.privatsen@privat-eksempel.dk';
const PHONE = '+45 11 22 33 44';
const CPR = '010190-1234';
const MARKERS = [NAME, 'Privatsen', MAIL, 'privat-eksempel', '11 22 33 44', '11223344', CPR, '0101901234'];

const CVR = testCvr(1);
const person = { navn: NAME, email: MAIL, telefon: PHONE, cpr: CPR };

// An address written to a person (c/o, conavn), as small companies' addresses often are.
const careOfPerson = (record: any) => ((record.virksomhedMetadata.nyesteBeliggenhedsadresse.conavn = `c/o ${NAME}`), record);

const cvrRecord = (cvr: string) => ({
  ...careOfPerson(vrv({ cvr, kommuneKode: 657, postnummer: 7400 })),
  deltagerRelation: [{ deltager: { enhedstype: 'PERSON', navne: [{ navn: NAME }], beliggenhedsadresse: [{ vejnavn: 'Privatvej' }] } }],
  elektroniskPost: [{ kontaktoplysning: MAIL, hemmelig: false }],
  telefonNummer: [{ kontaktoplysning: '11223344', hemmelig: false }],
  obligatoriskEmail: [{ kontaktoplysning: MAIL }],
});

const ad = (o: Record<string, unknown>) => ({
  ID: 'E1',
  Title: 'Svejser',
  HiringOrgName: 'Firma',
  HiringOrgCVR: Number(CVR),
  WorkPlacePostalCode: '7400',
  Municipality: 'Herning',
  PostingCreated: '2026-03-01T00:00:00',
  Occupation: 'Svejser',
  ContactPersons: [{ Name: NAME, Email: MAIL, PhoneNumber: PHONE }],
  ...o,
});

const hold = (o: Record<string, unknown>) => ({
  id: 1,
  holdTitle: 'Svejsning',
  institution: 'Skolen',
  lokationPostNr: '7400',
  startDate: '2026-09-21T00:00:00',
  endDate: '2026-09-22T00:00:00',
  aflyst: false,
  currentParticipantAmount: 1,
  participantCapacity: 10,
  kontaktPerson: NAME,
  kontaktMail: MAIL,
  kontaktPersonTlfNummer: PHONE,
  ...o,
});

const personColumns = 'Kontaktperson;Email;Telefon;CPR;Navn';
const personCells = `${NAME};${MAIL};${PHONE};${CPR};${NAME}`;

/** Per source: a file with a good and a bad record, each carrying person data, plus a broken one where the format allows. */
const FEEDS: Record<string, { text: string; options?: Record<string, string> }> = {
  cvr: {
    text: [
      JSON.stringify(cvrRecord(CVR)),
      JSON.stringify(cvrRecord('12345678')),
      `${JSON.stringify(cvrRecord(testCvr(2))).slice(0, -40)}`,
    ].join('\n'),
  },
  jobnet: { text: JSON.stringify({ JobPositionPostings: [ad({}), ad({ ID: 'E2', PostingCreated: 'i går' })] }) },
  'jobnet-full': { text: JSON.stringify({ JobPositionPostings: [ad({ ID: 'E3' }), ad({ ID: '', Title: '' })] }) },
  joborders: {
    text: JSON.stringify({
      jobordrer: [
        {
          jobordreId: '3f2504e0-4f89-11d3-9a0c-0305e82c3301',
          cvrNummer: Number(CVR),
          title: 'Svejser',
          kontaktperson: NAME,
          kontaktEmail: MAIL,
          jobordreBeskrivelse: `Ring til ${NAME} på ${PHONE}`,
        },
        { jobordreId: 'x', kontaktperson: NAME },
      ],
    }),
  },
  measures: {
    text: `cvr;periode;tilbud;antal;${personColumns}\n${CVR};2026M01;løntilskud;2;${personCells}\n${CVR};2026M13;løntilskud;2;${personCells}\n`,
  },
  layoffs: {
    text: `cvr;dato;antalPersoner;aarsag;${personColumns}\n${CVR};2026-01-05;12;lukning;${personCells}\n${CVR};i går;12;lukning;${personCells}\n`,
  },
  supply: {
    text: JSON.stringify([
      { disco: '721200', area: 'RAR-VEST', periode: '2026M01', antalLedige: 4, ...person },
      { disco: '7', area: 'x', ...person },
    ]),
  },
  balance: {
    text: `disco;område;periode;vurdering;${personColumns}\n721200;RAR-VEST;2026H1;Mangel på arbejdskraft;${personCells}\n721200;RAR-VEST;2026H1;Ukendt;${personCells}\n`,
  },
  'crm-accounts': {
    text: `CVR;Firmanavn;Kommune;Rådgiver;${personColumns}\n${CVR};Firma;Herning;Anne Rådgiver;${personCells}\n;;Herning;;${personCells}\n`,
  },
  'crm-meetings': {
    text: `Mødedato_Møder;Oprettet_af_Møder;Firmanavn_Virksomheder;CVR_Virksomheder;Emner_Møder;Titel_Møder;Kommune_Virksomheder;${personColumns}\n02-03-2026;Anne Rådgiver;Firma;${CVR};Vækst;Møde;Herning;${personCells}\n31-02-2026;Anne Rådgiver;Firma;${CVR};Vækst;Møde;Herning;${personCells}\n`,
  },
  'crm-programmes': {
    text: `CVR;Firmanavn;Kommune;Forløbstype;Status;Startdato;${personColumns}\n${CVR};Firma;Herning;Vækstforløb;Aktiv;01-02-2026;${personCells}\n${CVR};Firma;Herning;Ukendt;Aktiv;01-02-2026;${personCells}\n`,
  },
  'crm-referrals': {
    text: `CVR;Firmanavn;Kommune;Henvist_til;Henvisningsdato;Status;${personColumns}\n${CVR};Firma;Herning;Jobcenter Herning;01-02-2026;Sendt;${personCells}\n${CVR};Firma;Herning;;01-02-2026;Sendt;${personCells}\n`,
  },
  'amu-courses': { text: `nummer;titel;dage;${personColumns}\n22906;Asbest;2;${personCells}\n123;Kort;2;${personCells}\n` },
  'veu-providers': { text: `navn;postnummer;${personColumns}\nSkolen;7400;${personCells}\n;7400;${personCells}\n` },
  'amu-instances': {
    text: JSON.stringify({ holdCardDtos: [hold({}), hold({ id: 2, startDate: 'snart' })] }),
    options: { course: '22906' },
  },
  'veu-enrolments': {
    text: `cvr;kursusnummer;periode;deltagere;${personColumns}\n${CVR};22906;2026-03;2;${personCells}\n${CVR};22906;2026-13;2;${personCells}\n`,
  },
  contacts: {
    text: [
      JSON.stringify({
        idempotencyKey: 'p-1',
        cvr: CVR,
        system: 'JOBCENTRE',
        organisation: 'Jobcenter Herning',
        consultant: 'Kim Konsulent',
        channel: 'VISIT',
        date: '2026-03-02',
        kontaktperson: NAME,
        email: MAIL,
        telefon: PHONE,
      }),
      JSON.stringify({ idempotencyKey: 'p-2', cvr: 'x', kontaktperson: NAME, email: MAIL }),
      `{"idempotencyKey": "p-3", "kontaktperson": "${NAME}", "email": "${MAIL}"`,
    ].join('\n'),
  },
};

describe.each(dbTargets)('no personal data from any source on $name', (target) => {
  let h: DbHandle;
  beforeAll(async () => {
    h = await freshDatabase(target);
  });
  afterAll(() => h?.close());

  it('has a feed with person data for every source', () => {
    expect(Object.keys(FEEDS).sort()).toEqual(allSources.map((s) => s.name).sort());
  });

  it('keeps no name, e-mail, phone or CPR number anywhere in the database, rejects included', async () => {
    for (const [source, feed] of Object.entries(FEEDS)) {
      const run = await ingestText(h.db, source, feed.text, `${source}.txt`, feed.options);
      expect(run.status, `${source}: ${run.error}`).toBe('succeeded');
      expect(run.read, source).toBeGreaterThan(0);
      expect(run.rejected, source).toBeGreaterThan(0);
    }
    const tables = await sql<{ s: string; t: string }>`
      SELECT table_schema AS s, table_name AS t FROM information_schema.tables
      WHERE table_type = 'BASE TABLE' AND table_schema IN ('ingest', 'registry', 'jobcentre', 'crm', 'veu', 'coordination', 'insights')`.execute(
      h.db,
    );
    expect(tables.rows.length).toBeGreaterThan(15);
    let rows = 0;
    for (const { s, t } of tables.rows) {
      const dump = await sql<{ j: string }>`SELECT to_jsonb(x)::text AS j FROM ${sql.table(`${s}.${t}`)} x`.execute(h.db);
      rows += dump.rows.length;
      for (const { j } of dump.rows) for (const m of MARKERS) expect(j, `${s}.${t}`).not.toContain(m);
    }
    expect(rows).toBeGreaterThan(30);
  });

  it('blanks the c/o names that rejects kept before ingest dropped them (migration)', async () => {
    const h = await ownDatabase(target);
    const { id } = await h.db
      .insertInto('ingest.run')
      .values({ source: 'cvr', file: 'old.ndjson', status: 'succeeded' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const old = (address: object) => JSON.stringify({ cvrNummer: 1, virksomhedMetadata: { nyesteBeliggenhedsadresse: address } });
    const raws = [
      old({ vejnavn: 'Privatvej', conavn: `c/o ${NAME}` }),
      old({ conavn: 'c/o "Citat" \\ Privatsen' }),
      `{"cvrNummer": 1, "beliggenhedsadresse": [{"conavn" : "c/o ${NAME}"}], "broken`,
    ];
    for (const raw of raws)
      await h.db
        .insertInto('ingest.reject')
        .values({ run_id: id, file: 'old.ndjson', line: 1, position: 'line 1', reason: 'old', raw })
        .execute();
    await blankCareOfInRejects(h.db);
    const kept = (await h.db.selectFrom('ingest.reject').select('raw').orderBy('id').execute()).map((r) => r.raw);
    for (const raw of kept) expect(raw).not.toMatch(/Privatsen|Citat/);
    expect(JSON.parse(kept[0]!).virksomhedMetadata.nyesteBeliggenhedsadresse).toEqual({ vejnavn: 'Privatvej', conavn: null });
    expect(JSON.parse(kept[1]!).virksomhedMetadata.nyesteBeliggenhedsadresse).toEqual({ conavn: null });
  });
});
