import type { Readable } from 'node:stream';
import { csvRecords, describeColumns, type Column } from '../../../src/ingest/csv.js';
import { notADate, parseDate, parseFlag } from '../../../src/ingest/fields.js';
import { peek } from '../../../src/ingest/text.js';
import type { IngestSource, SourceRecord, Validation } from '../../../src/ingest/types.js';
import { acceptedTexts, companyKey, programmeKind, programmeStatus, referralStatus } from '../domain.js';
import { COMPANY_FIELDS, ENTITY_SUFFIX, type Fields } from './columns.js';
import { companyRef, withRef } from './company-ref.js';
import { upsertMatched, type CrmRow } from './match-upsert.js';
import { odataRecords } from './odata.js';

const CSV_TEXT = `CSV export, UTF-8 with or without byte-order mark (other encodings are refused), separated by
semicolons, commas or tabs (taken from the header line). Headers are compared case-insensitively,
with spaces read as underscores and an entity suffix such as _Møder or _Virksomheder ignored
(Mødedato_Møder = Mødedato). Dates are dd-mm-yyyy (also dd.mm.yyyy) or ISO yyyy-mm-dd. Columns not
listed are ignored: contact persons and other personal data at the company are never imported.
A file missing a required column is refused as a whole, naming the missing columns.`;

const ODATA_TEXT = `Or OData-style JSON {"value": [ … ], "@odata.nextLink": "…"}: the records' property names are
the column names below; next links are followed, as file names relative to the current file or as
http(s) URLs (a URL may also be given instead of a file).`;

const COMPANY_TEXT = `A row whose CVR is blank or fails its modulus-11 check is matched on company name (case,
spacing and legal-form suffix such as ApS, A/S, I/S ignored) plus municipality against the registry
when exactly one company fits (matchedBy NAME_AND_MUNICIPALITY); otherwise it is kept unmatched and
listed by Query.unmatchedCrmRecords. Load cvr first.`;

/** Reads CSV, or OData JSON when the input starts with "{" and the source accepts it. */
function reader(fields: Column[], odata: boolean) {
  return async function* (input: Readable, file: string): AsyncGenerator<SourceRecord> {
    const { head, rest } = await peek(input);
    if (odata && head.trimStart().startsWith('{')) yield* odataRecords(rest, file, fields);
    else yield* csvRecords(rest, file, { columns: fields, headerSuffix: ENTITY_SUFFIX });
  };
}

function date(f: Fields, field: string, label: string, required: boolean): string | null | { reject: string } {
  const text = f[field]!;
  if (text === '') return required ? { reject: `${label} is missing` } : null;
  return parseDate(text) ?? { reject: notADate(label, text) };
}
const isReject = (v: unknown): v is { reject: string } => typeof v === 'object' && v !== null && 'reject' in v;

interface CrmSourceSpec<Row extends CrmRow> {
  name: string;
  sections: IngestSource['sections'];
  summary: string;
  table: string;
  fields: Column[];
  /** Postgres types of the table's own columns, as named in the rows. */
  columns: Record<string, string>;
  odata: boolean;
  extra?: string;
  validate(f: Fields): Validation<Row>;
}

function crmSource<Row extends CrmRow>(spec: CrmSourceSpec<Row>): IngestSource<Row> {
  return {
    name: spec.name,
    sections: spec.sections,
    connector: 'crm',
    summary: spec.summary,
    format: [CSV_TEXT, spec.odata ? ODATA_TEXT : '', `Columns:\n${describeColumns(spec.fields)}`, spec.extra ?? '', COMPANY_TEXT]
      .filter(Boolean)
      .join('\n'),
    batchSize: 5000,
    read: reader(spec.fields, spec.odata),
    validate: (value) => spec.validate(value as Fields),
    key: (row) => row.source_key,
    upsert: (tx, rows, run) => upsertMatched(tx, spec.table, spec.columns, rows, run),
  };
}

const field = (name: string, headers: string[], opts: Omit<Column, 'field' | 'headers'> = {}): Column => ({
  field: name,
  headers,
  ...opts,
});
const list = (texts: Record<string, string[]>) =>
  Object.entries(texts)
    .map(([k, v]) => `${k} (${v.join(', ')})`)
    .join('; ');

export const accountsSource = crmSource({
  name: 'crm-accounts',
  sections: ['GROWTH'],
  summary: 'Erhvervshus CRM advisory accounts (CSV or OData JSON): advisor, office, segment, customer since',
  table: 'crm.account',
  odata: true,
  fields: [
    ...COMPANY_FIELDS,
    field('advisor', ['rådgiver', 'kontoansvarlig', 'ansvarlig', 'ejer', 'virksomhedsrådgiver'], {
      required: true,
      note: 'the advisor (business-house staff) responsible for the account',
    }),
    field('office', ['kontor', 'afdeling', 'lokation', 'filial'], { note: 'the business-house office' }),
    field('segment', ['segment', 'kundesegment', 'kundetype'], { note: 'segment as the CRM names it, e.g. "Vækstvirksomhed"' }),
    field('since', ['kunde_siden', 'oprettet', 'oprettet_dato', 'oprettelsesdato', 'startdato'], { note: 'customer since (date)' }),
  ],
  columns: { advisor_name: 'text', office: 'text', segment: 'text', since: 'date' },
  validate(f) {
    const ref = companyRef(f);
    if (isReject(ref)) return ref;
    if (!f.advisor) return { reject: 'Rådgiver (the advisor) is missing' };
    const since = date(f, 'since', 'Kunde_siden', false);
    if (isReject(since)) return since;
    // One account per company and advisor: a company may be served by more than one office.
    return {
      row: withRef(ref, {
        source_key: `${companyKey(ref)}|${f.advisor.toLowerCase()}`,
        advisor_name: f.advisor,
        office: f.office || null,
        segment: f.segment || null,
        since,
      }),
    };
  },
});

export const meetingsSource = crmSource({
  name: 'crm-meetings',
  sections: ['GROWTH', 'CONTACTS'],
  summary: 'Erhvervshus CRM meetings (CSV): date, advisor, topics, title',
  table: 'crm.meeting',
  odata: false,
  fields: [
    field('date', ['mødedato', 'dato', 'startdato'], { required: true, note: 'meeting date' }),
    field('advisor', ['oprettet_af', 'rådgiver', 'mødeejer', 'ejer'], { required: true, note: 'the advisor who held the meeting' }),
    ...COMPANY_FIELDS,
    field('topics', ['emner', 'emne', 'tags'], { note: 'topics, separated by , ; or |' }),
    field('title', ['titel', 'overskrift', 'emnelinje'], { note: 'meeting title' }),
  ],
  extra:
    'Example header: Mødedato_Møder;Oprettet_af_Møder;Firmanavn_Virksomheder;CVR_Virksomheder;Emner_Møder;Titel_Møder;Kommune_Virksomheder',
  columns: { meeting_date: 'date', advisor_name: 'text', topics: 'text[]', title: 'text' },
  validate(f) {
    const ref = companyRef(f);
    if (isReject(ref)) return ref;
    const d = date(f, 'date', 'Mødedato', true);
    if (isReject(d)) return d;
    if (!f.advisor) return { reject: 'Oprettet_af (the advisor) is missing' };
    const topics = [
      ...new Set(
        f.topics
          .split(/[,;|]/)
          .map((t) => t.trim())
          .filter(Boolean),
      ),
    ];
    // The export has no meeting id: a meeting is its company, day, advisor and title.
    return {
      row: withRef(ref, {
        source_key: `${companyKey(ref)}|${d}|${f.advisor.toLowerCase()}|${f.title.toLowerCase()}`,
        meeting_date: d!,
        advisor_name: f.advisor,
        topics,
        title: f.title || null,
      }),
    };
  },
});

export const programmesSource = crmSource({
  name: 'crm-programmes',
  sections: ['GROWTH'],
  summary: 'Erhvervshus CRM guidance programmes (CSV or OData JSON): kind, status, dates, competence plan agreed',
  table: 'crm.programme',
  odata: true,
  fields: [
    ...COMPANY_FIELDS,
    field('kind', ['forløbstype', 'type', 'programtype', 'program', 'forløb'], {
      required: true,
      note: 'programme kind, one of the texts below',
    }),
    field('status', ['status', 'forløbsstatus'], { required: true, note: 'one of the texts below' }),
    field('start', ['startdato', 'start', 'opstart'], { required: true, note: 'start date' }),
    field('end', ['slutdato', 'slut', 'afsluttet_dato'], { note: 'end date' }),
    field('plan', ['kompetenceplan', 'kompetenceplan_aftalt', 'kompetenceudviklingsplan'], {
      note: 'competence-development plan agreed: Ja/Nej (blank = not recorded)',
    }),
    field('advisor', ['rådgiver', 'ansvarlig'], { note: 'the advisor running the programme' }),
  ],
  extra: `Kinds: ${list(acceptedTexts.programmeKind)}.\nStatuses: ${list(acceptedTexts.programmeStatus)}.\nKinds and statuses are compared case-insensitively, ignoring spaces, hyphens, underscores and colons;\nunknown kinds or statuses are rejected with the text found.`,
  columns: {
    kind: 'text',
    kind_text: 'text',
    status: 'text',
    started_on: 'date',
    ended_on: 'date',
    competence_plan_agreed: 'boolean',
    advisor_name: 'text',
  },
  validate(f) {
    const ref = companyRef(f);
    if (isReject(ref)) return ref;
    const kind = programmeKind(f.kind);
    if (!kind)
      return { reject: f.kind ? `unknown programme kind ${JSON.stringify(f.kind)}` : 'Forløbstype (the programme kind) is missing' };
    const status = programmeStatus(f.status);
    if (!status) return { reject: f.status ? `unknown programme status ${JSON.stringify(f.status)}` : 'Status is missing' };
    const start = date(f, 'start', 'Startdato', true);
    if (isReject(start)) return start;
    const end = date(f, 'end', 'Slutdato', false);
    if (isReject(end)) return end;
    if (end && end < start!) return { reject: `Slutdato ${end} is before Startdato ${start}` };
    const plan = parseFlag(f.plan);
    if (plan === undefined) return { reject: `Kompetenceplan ${JSON.stringify(f.plan)} is not Ja or Nej` };
    return {
      row: withRef(ref, {
        source_key: `${companyKey(ref)}|${kind}|${start}`,
        kind,
        kind_text: f.kind,
        status,
        started_on: start!,
        ended_on: end,
        competence_plan_agreed: plan,
        advisor_name: f.advisor || null,
      }),
    };
  },
});

export const referralsSource = crmSource({
  name: 'crm-referrals',
  sections: ['GROWTH', 'CONTACTS'],
  summary: 'Erhvervshus CRM referrals to other actors (CSV): actor, date, reason, status',
  table: 'crm.referral',
  odata: false,
  fields: [
    ...COMPANY_FIELDS,
    field('actor', ['henvist_til', 'til_aktør', 'aktør', 'modtager'], {
      required: true,
      note: 'the actor referred to, e.g. "Jobcenter Herning" or an AMU school',
    }),
    field('date', ['henvisningsdato', 'dato'], { required: true, note: 'referral date' }),
    field('reason', ['årsag', 'begrundelse', 'formål'], { note: 'why the company was referred' }),
    field('status', ['status', 'henvisningsstatus'], { required: true, note: 'one of the texts below' }),
  ],
  extra: `Statuses: ${list(acceptedTexts.referralStatus)}, compared as programme statuses are; unknown statuses are rejected.`,
  columns: { to_actor: 'text', referred_on: 'date', reason: 'text', status: 'text' },
  validate(f) {
    const ref = companyRef(f);
    if (isReject(ref)) return ref;
    if (!f.actor) return { reject: 'Henvist_til (the actor) is missing' };
    const d = date(f, 'date', 'Henvisningsdato', true);
    if (isReject(d)) return d;
    const status = referralStatus(f.status);
    if (!status) return { reject: f.status ? `unknown referral status ${JSON.stringify(f.status)}` : 'Status is missing' };
    return {
      row: withRef(ref, {
        source_key: `${companyKey(ref)}|${f.actor.toLowerCase()}|${d}`,
        to_actor: f.actor,
        referred_on: d!,
        reason: f.reason || null,
        status,
      }),
    };
  },
});

export const crmSources = [accountsSource, meetingsSource, programmesSource, referralsSource];
