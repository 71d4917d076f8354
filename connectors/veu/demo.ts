import fs from 'node:fs';
import path from 'node:path';
import type { Random } from '../../src/demo/random.js';
import { demoPlaces, MIDTJYLLAND_WEIGHTS } from '../../src/demo/region.js';
import type { DemoCompany, DemoFile, DemoWorld } from '../../src/demo/world.js';
import { demoCourses, demoProviders, type DemoCourse } from '../../src/demo/catalogue.js';

/** How often a theme's courses are planned, roughly after AMU activity by area. */
const THEME_WEIGHT: Record<string, number> = {
  welding: 5,
  truck: 4,
  transport: 4,
  care: 5,
  construction: 3,
  food: 3,
  it: 2,
  office: 1,
  agri: 1,
  general: 3,
};

/** Which course themes a company's trade (DB07 prefix) sends people on. */
const TRADE_THEMES: [string, string[]][] = [
  ['01', ['agri', 'truck']],
  ['10', ['food', 'general']],
  ['16', ['welding', 'truck']],
  ['22', ['general', 'welding']],
  ['25', ['welding', 'general']],
  ['28', ['welding', 'general', 'truck']],
  ['31', ['general', 'welding']],
  ['41', ['construction']],
  ['43', ['construction']],
  ['45', ['construction']],
  ['46', ['truck', 'office']],
  ['47', ['food', 'office']],
  ['49', ['transport', 'truck']],
  ['52', ['truck', 'transport']],
  ['56', ['food']],
  ['62', ['it', 'office']],
  ['69', ['office', 'it']],
  ['71', ['it', 'office']],
  ['81', ['general']],
  ['86', ['care']],
  ['87', ['care']],
  ['88', ['care']],
];

const FORMS: [string, number][] = [
  ['Almindelig undervisning', 80],
  ['Fjernundervisning', 7],
  ['Blended learning', 8],
  ['Virksomhedsforlagt undervisning', 5],
];

/** Danish VEU wage compensation per participant and day in the demo (the real rate is set yearly by law). */
const COMPENSATION_PER_DAY = 1117.75;

const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const weekday = (day: string) => new Date(`${day}T00:00:00Z`).getUTCDay();
/** The Monday on or after the day: most holds start on a Monday. */
const monday = (day: string) => addDays(day, (8 - weekday(day)) % 7);
/** Last day of a course of `days` teaching days starting on a weekday, skipping weekends. */
function lastDay(start: string, days: number): string {
  let d = start;
  for (let left = Math.max(1, Math.ceil(days)) - 1; left > 0;) {
    d = addDays(d, 1);
    if (weekday(d) !== 0 && weekday(d) !== 6) left--;
  }
  return d;
}
const csvCell = (v: string) => (/[;"\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

export interface VeuDemoOptions {
  /** Number of course instances; default 2,400 (about ten per course over the year). */
  instances?: number;
}

/**
 * The VEU demo files in load order: the catalogue, providers, a year of course instances across the
 * region's 19 municipalities, and enrolments for about a third of the demo companies.
 */
export function writeVeuFiles(world: DemoWorld, dir: string, rnd: Random, opts: VeuDemoOptions = {}): DemoFile[] {
  const courses = demoCourses();
  const providers = demoProviders();
  const places = demoPlaces();

  const catalogue = path.join(dir, 'amu-courses.csv');
  fs.writeFileSync(
    catalogue,
    '# source: indgang demo catalogue (data/demo/amu-courses.csv)\nnummer;titel;dage;disco;positivliste\n' +
      courses.map((c) => [c.number, c.title, c.days, c.disco, c.positiveList ? 'ja' : 'nej'].map(csvCell).join(';')).join('\n') +
      '\n',
  );

  const providerFile = path.join(dir, 'veu-providers.csv');
  fs.writeFileSync(
    providerFile,
    'navn;institutionsnummer;type;adresse;postnr;by;hjemmeside\n' +
      providers.map((p) => [p.name, p.number, p.kind, p.street, p.postcode, p.city, p.website].map(csvCell).join(';')).join('\n') +
      '\n',
  );

  const weightedCourses = courses.map((c) => [c, THEME_WEIGHT[c.theme] ?? 1] as const);
  const holds: object[] = [];
  const count = opts.instances ?? 2400;
  for (let n = 0; n < count; n++) {
    const course = rnd.weighted(weightedCourses);
    const teaching = providers.filter((p) => p.themes.includes(course.theme));
    let municipality = rnd.weighted(MIDTJYLLAND_WEIGHTS);
    let provider = teaching.filter((p) => p.municipalities.includes(municipality));
    // No school teaches the theme there: the hold runs at a school that does, in one of its own municipalities.
    if (provider.length === 0) {
      const p = rnd.pick(teaching);
      provider = [p];
      municipality = rnd.pick(p.municipalities);
    }
    const p = rnd.pick(provider);
    const place = places.get(municipality)!;
    const { postcode, city } = rnd.pick(place.postcodes);
    const start = monday(addDays(world.today, rnd.int(-60, 365)));
    const days = Number(course.days.replace(',', '.'));
    const capacity = rnd.pick([8, 10, 12, 12, 14, 16, 16, 18, 20, 24]);
    const participants = Math.min(capacity + 1, Math.round(capacity * Math.pow(rnd.float(), 0.7) * 1.03));
    holds.push({
      holdId: `${p.number}-${String(n + 1).padStart(6, '0')}`,
      amuNummer: course.number,
      holdTitle: course.title,
      institution: p.name,
      lokationSted: p.municipalities[0] === municipality ? p.name : `${p.name}, afdeling ${city}`,
      lokationGade: `${rnd.pick(place.streets)} ${rnd.int(1, 80)}`,
      lokationPostNr: postcode,
      startDate: `${start}T00:00:00`,
      endDate: `${lastDay(start, days)}T00:00:00`,
      tilmeldingsFrist: `${addDays(start, -14)}T00:00:00`,
      undervisningsform: rnd.weighted(FORMS),
      currentParticipantAmount: participants,
      participantCapacity: capacity,
      aflyst: rnd.chance(0.04),
    });
  }
  const instanceFile = path.join(dir, 'amu-instances.json');
  fs.writeFileSync(
    instanceFile,
    `{"totalCount":${holds.length},"holdCardDtos":[\n${holds.map((h) => JSON.stringify(h)).join(',\n')}\n]}\n`,
  );

  const enrolmentFile = path.join(dir, 'veu-enrolments.csv');
  fs.writeFileSync(
    enrolmentFile,
    'cvr;kursusnummer;periode;deltagere;veu_godtgørelse\n' + enrolmentLines(world.companies, courses, world.today, rnd).join('\n') + '\n',
  );

  return [
    { source: 'amu-courses', file: catalogue },
    { source: 'veu-providers', file: providerFile },
    { source: 'amu-instances', file: instanceFile },
    { source: 'veu-enrolments', file: enrolmentFile },
  ];
}

/** Enrolments over the last two years for about a third of the active companies with staff, on courses that fit their trade. */
function enrolmentLines(companies: DemoCompany[], courses: DemoCourse[], today: string, rnd: Random): string[] {
  const byTheme = new Map<string, DemoCourse[]>();
  for (const c of courses) byTheme.set(c.theme, [...(byTheme.get(c.theme) ?? []), c]);
  const lines: string[] = [];
  for (const company of companies) {
    if (!company.active || company.employees === 0 || !rnd.chance(0.35)) continue;
    const themes = TRADE_THEMES.find(([prefix]) => company.industry.startsWith(prefix))?.[1] ?? ['general'];
    const seen = new Set<string>();
    const n = rnd.int(1, 2 + Math.floor(company.employees / 15));
    for (let i = 0; i < Math.min(n, 12); i++) {
      const course = rnd.pick(byTheme.get(rnd.pick(themes)) ?? byTheme.get('general')!);
      const start = monday(addDays(today, -rnd.int(7, 730)));
      const byMonth = rnd.chance(0.6);
      const period = byMonth ? start.slice(0, 7) : `${start}/${lastDay(start, Number(course.days.replace(',', '.')))}`;
      if (seen.has(`${course.number}|${period}`)) continue;
      seen.add(`${course.number}|${period}`);
      const participants = rnd.int(1, Math.max(1, Math.min(company.employees, 8)));
      const days = Math.max(1, Number(course.days.replace(',', '.')));
      // Not every participant is entitled to compensation (e.g. those with a higher education), so some rows have none.
      const compensation = rnd.chance(0.85) ? (participants * days * COMPENSATION_PER_DAY).toFixed(2).replace('.', ',') : '';
      lines.push([company.cvr, course.number, period, String(participants), compensation].join(';'));
    }
  }
  return lines;
}
