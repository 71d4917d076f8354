import fs from 'node:fs';
import path from 'node:path';
import { municipalityByCode, readCodeList } from '../../src/codes/lists.js';
import type { Random } from '../../src/demo/random.js';
import type { DemoCompany, DemoFile, DemoWorld } from '../../src/demo/world.js';

interface Advisor {
  name: string;
  office: string;
}
interface Actor {
  actor: string;
  kind: string;
  municipality_code: string;
}

const SEGMENTS: [string, number][] = [
  ['Etableret SMV', 5],
  ['Vækstvirksomhed', 3],
  ['Iværksætter', 2],
  ['Eksportvirksomhed', 1],
];
const TOPICS = [
  'Vækst',
  'Eksport',
  'Digitalisering',
  'Rekruttering',
  'Kompetenceudvikling',
  'Finansiering',
  'Grøn omstilling',
  'Generationsskifte',
  'Automatisering',
];
const TITLES = [
  'Opstartsmøde',
  'Opfølgning',
  'Vækstsparring',
  'Virksomhedsbesøg',
  'Afklaringsmøde',
  'Statusmøde',
  'Netværksmøde',
  'Telefonmøde',
];
const KINDS: [string, number][] = [
  ['Vækstforløb', 4],
  ['Vækstpakke', 3],
  ['Eksport', 2],
  ['Digitalisering', 3],
  ['Grøn omstilling', 2],
  ['Iværksætter', 1],
];

const DAY = 86_400_000;
const shift = (iso: string, days: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
const dk = (iso: string) => `${iso.slice(8, 10)}-${iso.slice(5, 7)}-${iso.slice(0, 4)}`;

function writeCsv(file: string, header: string[], rows: string[][]): void {
  const cell = (v: string) => (/[;"\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  // Excel-style export: byte-order mark, semicolons, CRLF.
  fs.writeFileSync(file, '\ufeff' + [header, ...rows].map((r) => r.map(cell).join(';')).join('\r\n') + '\r\n');
}

/**
 * The Erhvervshus CRM's view of the demo region: accounts for a share of the companies (more often
 * the larger ones), two years of meetings, programmes (some growth packages without an agreed
 * competence plan) and referrals. A few rows carry no or a mistyped CVR but the company's name, as
 * CRM exports do; a few name companies the register does not have, and stay unmatched.
 */
export function writeCrmFiles(world: DemoWorld, dir: string, rnd: Random): DemoFile[] {
  const advisors = readCodeList<{ name: string; office: string }>('demo/crm-advisors.csv') as Advisor[];
  const actors = readCodeList<{ actor: string; kind: string; municipality_code: string }>('demo/crm-referral-actors.csv') as Actor[];
  const today = world.today;
  const twoYearsAgo = shift(today, -730);
  const customers = world.companies.filter((c) => c.active && rnd.chance(Math.min(0.85, 0.2 + c.employees / 150)));
  const town = (c: DemoCompany) => municipalityByCode(c.municipality)!.name;

  // How the CRM names the company on one row: usually the CVR; sometimes only the name, or a mistyped CVR.
  const companyCells = (c: DemoCompany): [string, string, string] => {
    const r = rnd.float();
    const cvr = r < 0.04 ? '' : r < 0.05 ? c.cvr.slice(0, 7) + String((Number(c.cvr[7]) + 1) % 10) : c.cvr;
    const name = r < 0.05 && rnd.chance(0.5) ? c.name.replace(/ (ApS|A\/S|I\/S)$/, '').toUpperCase() : c.name;
    return [cvr, name, town(c)];
  };

  const accountRows: string[][] = [];
  const meetingRows: string[][] = [];
  const programmeRows: string[][] = [];
  const referralRows: string[][] = [];
  const meetingKeys = new Set<string>();
  for (const c of customers) {
    const advisor = rnd.pick(advisors);
    const since = rnd.date(shift(today, -6 * 365), shift(today, -30));
    accountRows.push([...companyCells(c), advisor.name, advisor.office, rnd.weighted(SEGMENTS), dk(since)]);

    const from = since > twoYearsAgo ? since : twoYearsAgo;
    for (let m = rnd.int(1, 8); m > 0; m--) {
      const date = rnd.date(from, today);
      const who = rnd.chance(0.85) ? advisor : rnd.pick(advisors);
      const title = rnd.pick(TITLES);
      const key = `${c.cvr}|${date}|${who.name}|${title}`;
      if (meetingKeys.has(key)) continue;
      meetingKeys.add(key);
      const topics = [...new Set([rnd.pick(TOPICS), rnd.pick(TOPICS)])].slice(0, rnd.int(1, 2)).join(', ');
      const [cvr, name, kommune] = companyCells(c);
      meetingRows.push([dk(date), who.name, name, cvr, topics, title, kommune]);
    }

    if (rnd.chance(0.45)) {
      const kinds = new Set<string>();
      for (let p = rnd.chance(0.3) ? 2 : 1; p > 0; p--) kinds.add(rnd.weighted(KINDS));
      for (const kind of kinds) {
        const start = rnd.date(from, shift(today, 60));
        const months = rnd.int(3, 12);
        const end = shift(start, months * 30);
        const status = start > today ? 'Planlagt' : end < today ? (rnd.chance(0.9) ? 'Afsluttet' : 'Afbrudt') : 'I gang';
        const growth = kind === 'Vækstforløb' || kind === 'Vækstpakke';
        const plan = growth
          ? rnd.weighted([
              ['Ja', 65],
              ['Nej', 25],
              ['', 10],
            ])
          : rnd.weighted([
              ['Ja', 20],
              ['', 80],
            ]);
        programmeRows.push([
          ...companyCells(c),
          kind,
          status,
          start,
          status === 'Afsluttet' || status === 'Afbrudt' ? end : '',
          plan,
          advisor.name,
        ]);
      }
    }

    if (rnd.chance(0.25)) {
      const actor = rnd.weighted(
        actors.map(
          (a) => [a, a.kind === 'VEU' ? (a.municipality_code === c.municipality ? 6 : 1) : a.kind === 'JOBCENTRE' ? 8 : 2] as const,
        ),
      );
      const to = actor.kind === 'JOBCENTRE' ? `Jobcenter ${town(c)}` : actor.actor;
      const reason =
        actor.kind === 'JOBCENTRE'
          ? 'Rekruttering af medarbejdere'
          : actor.kind === 'VEU'
            ? 'Kompetenceudvikling af medarbejdere (AMU)'
            : actor.kind === 'EXPORT'
              ? 'Eksportrådgivning'
              : actor.kind === 'FINANCE'
                ? 'Finansiering af vækst'
                : 'Innovationsprojekt';
      const date = rnd.date(from, today);
      const status = rnd.weighted([
        ['Sendt', 3],
        ['Modtaget', 3],
        ['Afsluttet', 3],
        ['Afvist', 1],
      ]);
      referralRows.push([...companyCells(c), to, dk(date), reason, status]);
    }
  }
  // Companies the register does not have (not yet registered, or misspelt): kept unmatched.
  for (let i = 0; i < 3; i++) {
    const m = rnd.pick(world.companies).municipality;
    meetingRows.push([
      dk(rnd.date(twoYearsAgo, today)),
      rnd.pick(advisors).name,
      `Nyetableret Virksomhed ${i + 1}`,
      '',
      'Iværksætteri',
      'Afklaringsmøde',
      municipalityByCode(m)!.name,
    ]);
  }

  const files = {
    accounts: path.join(dir, 'crm-accounts.csv'),
    meetings: path.join(dir, 'crm-meetings.csv'),
    programmes: path.join(dir, 'crm-programmes.csv'),
    referrals: path.join(dir, 'crm-referrals.csv'),
  };
  writeCsv(
    files.accounts,
    [
      'CVR_Virksomheder',
      'Firmanavn_Virksomheder',
      'Kommune_Virksomheder',
      'Rådgiver_Konti',
      'Kontor_Konti',
      'Segment_Konti',
      'Kunde_siden_Konti',
    ],
    accountRows,
  );
  writeCsv(
    files.meetings,
    [
      'Mødedato_Møder',
      'Oprettet_af_Møder',
      'Firmanavn_Virksomheder',
      'CVR_Virksomheder',
      'Emner_Møder',
      'Titel_Møder',
      'Kommune_Virksomheder',
    ],
    meetingRows,
  );
  writeCsv(
    files.programmes,
    [
      'CVR_Virksomheder',
      'Firmanavn_Virksomheder',
      'Kommune_Virksomheder',
      'Forløbstype',
      'Status',
      'Startdato',
      'Slutdato',
      'Kompetenceplan_aftalt',
      'Rådgiver',
    ],
    programmeRows,
  );
  writeCsv(
    files.referrals,
    ['CVR_Virksomheder', 'Firmanavn_Virksomheder', 'Kommune_Virksomheder', 'Henvist_til', 'Henvisningsdato', 'Årsag', 'Status'],
    referralRows,
  );
  return [
    { source: 'crm-accounts', file: files.accounts },
    { source: 'crm-meetings', file: files.meetings },
    { source: 'crm-programmes', file: files.programmes },
    { source: 'crm-referrals', file: files.referrals },
  ];
}
