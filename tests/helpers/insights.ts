import type { Db } from '../../src/db/database.js';
import { ingestText } from './graph.js';
import { csv, MEETING_HEADER } from './crm.js';
import { ad, day } from './jobcentre.js';

/** Loads one feed and insists that it succeeded without rejects (a test's setup must not half-load). */
export async function feed(db: Db, source: string, text: string) {
  const run = await ingestText(db, source, text);
  if (run.status !== 'succeeded' || run.rejected !== 0) throw new Error(`${source} did not load cleanly: ${JSON.stringify(run)}`);
  return run;
}

export const balance = (rows: [disco: string, area: string, period: string, category: string][]) =>
  `disco;område;periode;vurdering\n${rows.map((r) => r.join(';')).join('\n')}\n`;

export const supply = (rows: [disco: string, area: string, period: string, count: number][]) =>
  `disco;area;periode;antalLedige\n${rows.map((r) => r.join(';')).join('\n')}\n`;

export const jobAds = (ads: Record<string, unknown>[]) => JSON.stringify({ JobPositionPostings: ads.map((a) => ad(a as { ID: string })) });

export const meetings = (rows: [cvr: string, date: string, title: string][]) =>
  csv(
    MEETING_HEADER,
    rows.map(([cvr, date, title]) => [date, 'Ole Olsen', `Firma ${cvr} ApS`, cvr, 'Rekruttering', title, 'Herning']),
  );

export const programmes = (rows: [cvr: string, kind: string, status: string, start: string, plan: string][]) =>
  csv(
    ['CVR', 'Firmanavn', 'Kommune', 'Forløbstype', 'Status', 'Startdato', 'Slutdato', 'Kompetenceplan'],
    rows.map(([cvr, kind, status, start, plan]) => [cvr, `Firma ${cvr} ApS`, 'Herning', kind, status, start, '', plan]),
  );

export const referrals = (rows: [cvr: string, to: string, date: string][]) =>
  csv(
    ['CVR', 'Firmanavn', 'Kommune', 'Henvist_til', 'Henvisningsdato', 'Årsag', 'Status'],
    rows.map(([cvr, to, date]) => [cvr, `Firma ${cvr} ApS`, 'Herning', to, date, 'Rekruttering', 'Sendt']),
  );

export const enrolments = (rows: [cvr: string, course: string, from: string, to: string, participants: number][]) =>
  `cvr;kursusnummer;periode;deltagere\n${rows.map(([c, n, f, t, p]) => `${c};${n};${f}/${t};${p}`).join('\n')}\n`;

export const layoffs = (rows: { cvr: string; dato: string; antalPersoner: number; aarsag: string }[]) =>
  rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

/** A contactRecord input with defaults: Jobcenter Herning visited the company today. */
export const contactInput = (key: string, cvr: string, over: Record<string, unknown> = {}) => ({
  idempotencyKey: key,
  cvr,
  system: 'JOBCENTRE',
  organisation: 'Jobcenter Herning',
  consultant: 'Hanne Bækgaard',
  channel: 'VISIT',
  date: day(0),
  topics: ['rekruttering'],
  outcome: 'Aftalt opslag',
  ...over,
});

export const RECORD = `mutation ($input: ContactRecordInput!) { contactRecord(input: $input) { contact { id } userErrors { field message } } }`;

export const SITUATION = `query ($cvr: CVR!) { company(cvr: $cvr) { changeSequence situation { signals { kind severity message since
  evidence { __typename ... on Vacancy { adId } ... on GuidanceProgramme { programmeKind: kind } ... on LayoffNotice { date persons } ... on Course { number }
    ... on Company { cvr } ... on ContactEntry { date system kind } } } } } }`;

export { day };
