import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../src/db/database.js';
import { sourceByName } from '../src/connectors.js';
import { runIngest } from '../src/ingest/pipeline.js';
import { listRejects } from '../src/ingest/runs.js';
import { dbTargets, freshDatabase, ownDatabase } from './helpers/db.js';
import { ingestText } from './helpers/graph.js';
import { ndjson, testCvr, vrv } from './helpers/cvr.js';
import { csv, MEETING_HEADER } from './helpers/crm.js';

const SMEDIE = testCvr(1);
const MASKIN = testCvr(2);
const AARHUS_SMEDIE = testCvr(5);
const MOST = testCvr(6);
const badCheck = String(Number(MASKIN) + 1);

/** The register's companies the CRM rows are matched to. */
async function load(h: DbHandle) {
  const companies = [
    vrv({ cvr: SMEDIE, name: 'Hansens Smedie ApS' }),
    vrv({ cvr: MASKIN, name: 'Jensen Maskinfabrik A/S' }),
    vrv({ cvr: testCvr(3), name: 'Dobbelt Firma ApS' }),
    vrv({ cvr: testCvr(4), name: 'Dobbelt Firma I/S' }),
    vrv({ cvr: AARHUS_SMEDIE, name: 'Hansens Smedie ApS', kommuneKode: 751, postnummer: 8000, by: 'Aarhus C' }),
    vrv({ cvr: MOST, name: 'Østergaards Æblemost I/S' }),
  ];
  expect(await ingestText(h.db, 'cvr', ndjson(companies))).toMatchObject({ inserted: 6 });
}

describe.each(dbTargets)('CRM ingest on $name', (target) => {
  let h: DbHandle;
  beforeAll(async () => {
    h = await freshDatabase(target);
    await load(h);
  });
  afterAll(async () => h?.close());

  const meetings =
    '\ufeff' +
    csv(
      [...MEETING_HEADER, 'Kontaktperson_Virksomheder'],
      [
        ['03-02-2026', 'Mette Rådgiver', 'Hansens Smedie ApS', SMEDIE, 'Vækst, Eksport', 'Opfølgning', 'Herning', 'Peter Privat'],
        ['2026-03-10', 'Mette Rådgiver', 'HANSENS  smedie', '', 'Rekruttering', 'Første møde', 'Herning Kommune', 'Peter Privat'],
        ['11-03-2026', 'Ole Rådgiver', 'Jensen Maskinfabrik ApS', badCheck, 'Automatisering', 'Besøg', '657', 'Peter Privat'],
        ['12-03-2026', 'Ole Rådgiver', 'Dobbelt Firma', '', 'Vækst', 'Kaffe', 'Herning', 'Peter Privat'],
        ['15-03-2026', 'Ole Rådgiver', 'ØSTERGAARDS ÆBLEMOST', '', 'Eksport', 'Most', 'Herning', 'Peter Privat'],
        ['31-02-2026', 'Ole Rådgiver', 'Hansens Smedie ApS', SMEDIE, '', 'Umulig dato', 'Herning', 'Peter Privat'],
        ['13-03-2026', 'Ole Rådgiver', '', '1234', '', 'Ingen at finde', 'Herning', 'Peter Privat'],
      ],
    );

  it('loads meetings from a Danish CSV export, matching rows without a valid CVR by name and municipality', async () => {
    // It reads every meeting row, and another test loads the same export: a database of its own.
    const h = await ownDatabase(target, load);
    const run = await ingestText(h.db, 'crm-meetings', meetings, 'moeder.csv');
    expect(run).toMatchObject({ status: 'succeeded', read: 7, inserted: 5, rejected: 2, notes: { matchedByName: 3, unmatched: 1 } });
    const rows = await h.db
      .selectFrom('crm.meeting')
      .select(['meeting_date', 'cvr', 'matched_by', 'name_candidates', 'problem', 'topics'])
      .orderBy('meeting_date')
      .execute();
    expect(rows).toEqual([
      { meeting_date: '2026-02-03', cvr: SMEDIE, matched_by: 'CVR', name_candidates: null, problem: null, topics: ['Vækst', 'Eksport'] },
      {
        meeting_date: '2026-03-10',
        cvr: SMEDIE,
        matched_by: 'NAME_AND_MUNICIPALITY',
        name_candidates: 1,
        problem: 'no CVR',
        topics: ['Rekruttering'],
      },
      {
        meeting_date: '2026-03-11',
        cvr: MASKIN,
        matched_by: 'NAME_AND_MUNICIPALITY',
        name_candidates: 1,
        problem: `CVR ${badCheck}: the CVR number fails its modulus-11 check`,
        topics: ['Automatisering'],
      },
      { meeting_date: '2026-03-12', cvr: null, matched_by: null, name_candidates: 2, problem: 'no CVR', topics: ['Vækst'] },
      {
        meeting_date: '2026-03-15',
        cvr: MOST,
        matched_by: 'NAME_AND_MUNICIPALITY',
        name_candidates: 1,
        problem: 'no CVR',
        topics: ['Eksport'],
      },
    ]);
    const rejects = await listRejects(h.db, run.runId);
    expect(rejects.map((r) => [r.line, r.reason])).toEqual([
      [
        7,
        'Mødedato "31-02-2026" is not a date (yyyy-mm-dd, an ISO date-time (its calendar date as written), or dd-mm-yyyy / dd.mm.yyyy / dd/mm/yyyy)',
      ],
      [8, 'CVR 1234: a CVR number is 8 digits, and no company name to match on'],
    ]);
    // Contact persons at the company are personal data: not stored, not even in rejects.
    expect(JSON.stringify(rejects)).not.toContain('Peter Privat');
  });

  it('changes nothing when the same export is loaded again', async () => {
    await ingestText(h.db, 'crm-meetings', meetings, 'moeder.csv'); // the first load, as the export arrives
    const before = await h.db.selectFrom('crm.meeting').select(['source_key', 'run_id', 'changed_at']).orderBy('source_key').execute();
    const run = await ingestText(h.db, 'crm-meetings', meetings, 'moeder.csv');
    expect(run).toMatchObject({ status: 'succeeded', read: 7, inserted: 0, updated: 0, unchanged: 5, rejected: 2 });
    expect(await h.db.selectFrom('crm.meeting').select(['source_key', 'run_id', 'changed_at']).orderBy('source_key').execute()).toEqual(
      before,
    );
  });

  it('refuses a file missing required columns before writing anything, naming the columns', async () => {
    const text = csv(['Mødedato_Møder', 'Firmanavn_Virksomheder', 'Emner_Møder'], [['01-04-2026', 'Hansens Smedie ApS', 'Vækst']]);
    const before = await h.db
      .selectFrom('crm.meeting')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const run = await ingestText(h.db, 'crm-meetings', text, 'mangler.csv');
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/missing required columns oprettet_af, cvr, kommune/);
    const after = await h.db
      .selectFrom('crm.meeting')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
    const stored = await h.db.selectFrom('ingest.run').select(['status', 'error']).where('id', '=', run.runId).executeTakeFirstOrThrow();
    expect(stored.status).toBe('failed');
  });

  it('refuses a file that is not UTF-8 (a Latin-1 export)', async () => {
    const text = csv(MEETING_HEADER, [['14-04-2026', 'Søren Rådgiver', 'Hansens Smedie ApS', SMEDIE, 'Vækst', 'Møde', 'Herning']]);
    const run = await runIngest(h.db, sourceByName('crm-meetings')!, {
      file: 'latin1.csv',
      stream: (await import('node:stream')).Readable.from([Buffer.from(text, 'latin1')]),
    });
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/latin1\.csv has byte 0x[0-9A-F]{2} at offset [\d,]+, which is not UTF-8/);
    expect(await h.db.selectFrom('crm.meeting').select('cvr').where('meeting_date', '=', '2026-04-14').execute()).toEqual([]);
  });

  it('loads programmes from comma-separated CSV, rejecting unknown kinds and statuses', async () => {
    // It reads every programme row, and the OData test loads programmes too: a database of its own.
    const h = await ownDatabase(target, load);
    const text = csv(
      ['CVR', 'Firmanavn', 'Kommune', 'Forløbstype', 'Status', 'Startdato', 'Slutdato', 'Kompetenceplan'],
      [
        [SMEDIE, 'Hansens Smedie ApS', 'Herning', 'Vækstpakke', 'I gang', '2025-09-01', '', 'Nej'],
        [SMEDIE, 'Hansens Smedie ApS', 'Herning', 'Eksport', 'Afsluttet', '01-02-2025', '30-06-2025', ''],
        [SMEDIE, 'Hansens Smedie ApS', 'Herning', 'Rumfart', 'I gang', '2025-09-01', '', ''],
        [SMEDIE, 'Hansens Smedie ApS', 'Herning', 'Digitalisering', 'Måske', '2025-09-01', '', ''],
        [SMEDIE, 'Hansens Smedie ApS', 'Herning', 'Digitalisering', 'Planlagt', '2025-09-01', '2025-01-01', ''],
      ],
      ',',
    );
    const run = await ingestText(h.db, 'crm-programmes', text, 'forloeb.csv');
    expect(run).toMatchObject({ status: 'succeeded', read: 5, inserted: 2, rejected: 3 });
    expect((await listRejects(h.db, run.runId)).map((r) => r.reason)).toEqual([
      'unknown programme kind "Rumfart"',
      'unknown programme status "Måske"',
      'Slutdato 2025-01-01 is before Startdato 2025-09-01',
    ]);
    const rows = await h.db
      .selectFrom('crm.programme')
      .select(['kind', 'status', 'started_on', 'ended_on', 'competence_plan_agreed'])
      .orderBy('started_on')
      .execute();
    expect(rows).toEqual([
      { kind: 'EXPORT', status: 'COMPLETED', started_on: '2025-02-01', ended_on: '2025-06-30', competence_plan_agreed: null },
      { kind: 'GROWTH_PACKAGE', status: 'ACTIVE', started_on: '2025-09-01', ended_on: null, competence_plan_agreed: false },
    ]);
  });

  it('moves a meeting matched by name to the company that now has the name, and derives the one it leaves', async () => {
    const h = await ownDatabase(target);
    const [first, second] = [testCvr(11), testCvr(12)];
    await ingestText(h.db, 'cvr', ndjson([vrv({ cvr: first, name: 'Solo Værksted ApS' })]));
    const export_ = csv(MEETING_HEADER, [['10-03-2026', 'Mette Rådgiver', 'Solo Værksted', '', 'Vækst', 'Besøg', 'Herning']]);
    expect(await ingestText(h.db, 'crm-meetings', export_, 'moeder.csv')).toMatchObject({ inserted: 1, notes: { matchedByName: 1 } });
    // Derived per company: the day of its last contact.
    const lastContact = async () =>
      Object.fromEntries(
        (await h.db.selectFrom('insights.company_profile').select(['cvr', 'last_contact_on']).orderBy('cvr').execute()).map((r) => [
          r.cvr,
          r.last_contact_on,
        ]),
      );
    expect(await lastContact()).toEqual({ [first]: '2026-03-10' });
    // The register renames the first company and a second one takes the name; the same export, read again,
    // now points at the second, and the first company, derived again, has no contact left.
    const later = '2026-06-01T10:00:00.000+02:00';
    await ingestText(
      h.db,
      'cvr',
      ndjson([
        vrv({ cvr: first, name: 'Andet Navn ApS', updated: later }),
        vrv({ cvr: second, name: 'Solo Værksted I/S', updated: later }),
      ]),
    );
    expect(await ingestText(h.db, 'crm-meetings', export_, 'moeder.csv')).toMatchObject({ updated: 1, notes: { matchedByName: 1 } });
    expect(await lastContact()).toEqual({ [first]: null, [second]: '2026-03-10' });
  });

  it('loads referrals and keeps a row that fits no company as unmatched', async () => {
    const text = csv(
      ['CVR_Virksomheder', 'Firmanavn_Virksomheder', 'Kommune_Virksomheder', 'Henvist_til', 'Henvisningsdato', 'Årsag', 'Status'],
      [
        [SMEDIE, 'Hansens Smedie ApS', 'Herning', 'Jobcenter Herning', '05-03-2026', 'Mangler svejsere', 'Sendt'],
        ['', 'Hansens Smedie', 'Aarhus', 'AMU Midt', '06-03-2026', 'Kurser', 'Modtaget'],
        ['', 'Ukendt Firma ApS', 'Herning', 'Eksportrådet', '07-03-2026', '', 'Afvist'],
      ],
    );
    const run = await ingestText(h.db, 'crm-referrals', text, 'henvisninger.csv');
    expect(run).toMatchObject({ status: 'succeeded', inserted: 3, rejected: 0, notes: { matchedByName: 1, unmatched: 1 } });
    const rows = await h.db
      .selectFrom('crm.referral')
      .select(['to_actor', 'cvr', 'status', 'name_candidates'])
      .orderBy('referred_on')
      .execute();
    expect(rows).toEqual([
      { to_actor: 'Jobcenter Herning', cvr: SMEDIE, status: 'SENT', name_candidates: null },
      // The same name in Herning and Aarhus: the municipality decides.
      { to_actor: 'AMU Midt', cvr: AARHUS_SMEDIE, status: 'ACCEPTED', name_candidates: 1 },
      { to_actor: 'Eksportrådet', cvr: null, status: 'DECLINED', name_candidates: 0 },
    ]);
  });

  describe('OData JSON', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-odata-'));
    const account = (cvr: string, name: string, advisor: string) => ({
      CVR: cvr,
      Firmanavn: name,
      Kommune: 'Herning',
      Rådgiver: advisor,
      Kontor: 'Herning',
      Segment: 'Vækst',
      Kunde_siden: '2024-01-15T00:00:00Z',
      Kontaktperson: 'Peter Privat',
    });

    it('follows @odata.nextLink through pages stored as files', async () => {
      fs.writeFileSync(path.join(dir, 'page2.json'), JSON.stringify({ value: [account('', 'Jensen Maskinfabrik', 'Ole Rådgiver')] }));
      const first = path.join(dir, 'accounts.json');
      fs.writeFileSync(
        first,
        JSON.stringify({
          '@odata.context': 'x',
          value: [
            account(SMEDIE, 'Hansens Smedie ApS', 'Mette Rådgiver'),
            { CVR: SMEDIE, Firmanavn: 'Hansens Smedie ApS', Kommune: 'Herning', Rådgiver: '' },
          ],
          '@odata.nextLink': 'page2.json',
        }),
      );
      const run = await runIngest(h.db, sourceByName('crm-accounts')!, { file: first });
      expect(run).toMatchObject({ status: 'succeeded', read: 3, inserted: 2, rejected: 1, notes: { matchedByName: 1 } });
      const rows = await h.db.selectFrom('crm.account').select(['cvr', 'advisor_name', 'since', 'matched_by']).orderBy('cvr').execute();
      expect(rows).toEqual([
        { cvr: SMEDIE, advisor_name: 'Mette Rådgiver', since: '2024-01-15', matched_by: 'CVR' },
        { cvr: MASKIN, advisor_name: 'Ole Rådgiver', since: '2024-01-15', matched_by: 'NAME_AND_MUNICIPALITY' },
      ]);
      expect((await listRejects(h.db, run.runId)).map((r) => [r.position, r.reason])).toEqual([
        ['value[1]', 'Rådgiver (the advisor) is missing'],
      ]);
      expect(await runIngest(h.db, sourceByName('crm-accounts')!, { file: first })).toMatchObject({
        inserted: 0,
        updated: 0,
        unchanged: 2,
      });
    });

    it('follows @odata.nextLink over HTTP, relative and absolute', async () => {
      const pages: Record<string, object> = {
        '/odata/programmes': {
          value: [
            {
              CVR: MASKIN,
              Firmanavn: 'Jensen Maskinfabrik A/S',
              Kommune: '657',
              Forløbstype: 'Digital',
              Status: 'Aktiv',
              Startdato: '01-01-2026',
              Kompetenceplan: 'Ja',
            },
          ],
          '@odata.nextLink': '/odata/programmes?$skiptoken=2',
        },
        '/odata/programmes?$skiptoken=2': {
          value: [
            {
              CVR: MASKIN,
              Firmanavn: 'Jensen Maskinfabrik A/S',
              Kommune: '657',
              Forløbstype: 'Vækst',
              Status: 'Planlagt',
              Startdato: '01-05-2026',
            },
          ],
          '@odata.nextLink': 'ABSOLUTE',
        },
        '/odata/programmes?$skiptoken=3': {
          value: [
            {
              CVR: MASKIN,
              Firmanavn: 'Jensen Maskinfabrik A/S',
              Kommune: '657',
              Forløbstype: 'Grøn omstilling',
              Status: 'Afbrudt',
              Startdato: '01-06-2026',
            },
          ],
        },
      };
      const served: string[] = [];
      const server = http.createServer((req, res) => {
        served.push(req.url!);
        const page = pages[req.url!];
        if (!page) return res.writeHead(404).end();
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(
            JSON.stringify(page).replace(
              '"ABSOLUTE"',
              JSON.stringify(`http://127.0.0.1:${(server.address() as AddressInfo).port}/odata/programmes?$skiptoken=3`),
            ),
          );
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      try {
        const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/odata/programmes`;
        const run = await runIngest(h.db, sourceByName('crm-programmes')!, { file: url });
        expect(run).toMatchObject({ status: 'succeeded', read: 3, inserted: 3, rejected: 0 });
        expect(served).toEqual(['/odata/programmes', '/odata/programmes?$skiptoken=2', '/odata/programmes?$skiptoken=3']);
        const kinds = await h.db
          .selectFrom('crm.programme')
          .select(['kind', 'status', 'competence_plan_agreed'])
          .where('cvr', '=', MASKIN)
          .orderBy('started_on')
          .execute();
        expect(kinds).toEqual([
          { kind: 'DIGITAL', status: 'ACTIVE', competence_plan_agreed: true },
          { kind: 'GROWTH', status: 'PLANNED', competence_plan_agreed: null },
          { kind: 'GREEN_TRANSITION', status: 'CANCELLED', competence_plan_agreed: null },
        ]);
      } finally {
        server.close();
      }
    });

    it('refuses an OData document whose records lack required properties', async () => {
      const run = await ingestText(h.db, 'crm-accounts', JSON.stringify({ value: [{ CVR: SMEDIE, Navn: 'x' }] }), 'accounts.json');
      expect(run.status).toBe('failed');
      expect(run.error).toMatch(/missing required columns kommune, rådgiver/);
    });
  });
});

describe('CRM format documentation', () => {
  it('says in FORMATS.md what `indgang ingest --list` says', async () => {
    const { crmSources } = await import('../connectors/crm/ingest/sources.js');
    const doc = fs.readFileSync(new URL('../connectors/crm/FORMATS.md', import.meta.url), 'utf8');
    for (const s of crmSources) expect(doc).toContain(s.format);
  });
});
