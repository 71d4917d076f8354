import { createHash } from 'node:crypto';
import { sql, type Selectable } from 'kysely';
import { postcodeInfo } from '../../../src/codes/lists.js';
import { isObj, jsonRecords, type JsonShape } from '../../../src/ingest/json.js';
import type { IngestSource, ReadOptions, RunContext, Validation } from '../../../src/ingest/types.js';
import { upsertRows } from '../../../src/ingest/upsert.js';
import type { InstanceTable } from '../tables.js';
import { courseNumberProblem, providerKey } from '../domain.js';
import { notADate, parseDate, parseDecimal, parseFlag, parseInteger, text } from '../../../src/ingest/fields.js';

/** A validated row, shaped as the table without the run's stamps. */
export type InstanceRow = Omit<Selectable<InstanceTable>, 'run_id' | 'changed_at'>;

const COLUMNS: Record<keyof InstanceRow, string> = {
  id: 'text',
  course_number: 'text',
  title: 'text',
  provider_name: 'text',
  provider_key: 'text',
  place_name: 'text',
  street: 'text',
  postcode: 'text',
  city: 'text',
  municipality_code: 'text',
  starts_on: 'date',
  ends_on: 'date',
  apply_by: 'date',
  form_text: 'text',
  participants: 'integer',
  capacity: 'integer',
  cancelled: 'boolean',
  time_of_day: 'text',
  teaching_days: 'numeric',
  minimum_participants: 'integer',
  guaranteed: 'boolean',
  open_flag: 'boolean',
  price: 'numeric',
  surcharge: 'numeric',
  search_code: 'text',
  website: 'text',
};

/**
 * Where a hold may carry its AMU number, first match wins. The national course search's own holds carry
 * none (the number is the query's subject_code): for them it comes from the run (`--course`).
 */
const NUMBER_FIELDS = ['subject_code', 'amuNummer', 'kursusNummer', 'uddannelsesNummer', 'uddannelsesnummer', 'courseNumber', 'nummer'];
const ID_FIELDS = ['holdId', 'id', 'udbudId'];

type Obj = Record<string, unknown>;
const first = (v: Obj, fields: string[]) => fields.map((f) => v[f]).find((x) => x !== undefined && x !== null && x !== '');

const optionalNumber = (v: unknown, name: string, parse: (v: unknown) => number | null): { n: number | null } | { problem: string } => {
  if (text(v) === null) return { n: null };
  const n = parse(v);
  return n === null || n < 0 ? { problem: `${name} ${JSON.stringify(v)} is not a number of 0 or more` } : { n };
};

export function validateInstance(value: unknown, _record?: unknown, options: ReadOptions = {}): Validation<InstanceRow> {
  if (!isObj(value)) return { reject: 'not a holdCardDto object' };
  const rawNumber = first(value, NUMBER_FIELDS) ?? options.course;
  const number = typeof rawNumber === 'number' ? String(rawNumber).padStart(5, '0') : text(rawNumber);
  if (!number) {
    return {
      reject:
        "the course number is missing: course-search holds carry none, so give the query's subject_code to the run (indgang ingest --source amu-instances --course <AMU number> FILE)",
    };
  }
  const numberProblem = courseNumberProblem(number);
  if (numberProblem) return { reject: `course number ${JSON.stringify(rawNumber)}: ${numberProblem}` };
  const startsOn = parseDate(value.startDate);
  if (!startsOn) return { reject: notADate('startDate', value.startDate) };
  const endsOn = value.endDate == null || value.endDate === '' ? startsOn : parseDate(value.endDate);
  if (!endsOn) return { reject: notADate('endDate', value.endDate) };
  if (endsOn < startsOn) return { reject: `endDate ${endsOn} is before startDate ${startsOn}` };
  const applyBy = value.tilmeldingsFrist == null || value.tilmeldingsFrist === '' ? null : parseDate(value.tilmeldingsFrist);
  if (applyBy === null && value.tilmeldingsFrist != null && value.tilmeldingsFrist !== '') {
    return { reject: notADate('tilmeldingsFrist', value.tilmeldingsFrist) };
  }
  const participants =
    value.currentParticipantAmount == null || value.currentParticipantAmount === '' ? 0 : parseInteger(value.currentParticipantAmount);
  if (participants === null || participants < 0)
    return { reject: `currentParticipantAmount ${JSON.stringify(value.currentParticipantAmount)} is not a count` };
  const capacity = value.participantCapacity == null || value.participantCapacity === '' ? null : parseInteger(value.participantCapacity);
  if (capacity === null && value.participantCapacity != null && value.participantCapacity !== '') {
    return { reject: `participantCapacity ${JSON.stringify(value.participantCapacity)} is not a whole number` };
  }
  if (capacity !== null && capacity < 0) return { reject: `participantCapacity ${capacity} is below zero` };
  const flags: Record<string, boolean | null> = {};
  for (const f of ['aflyst', 'garantiKursus', 'aabent']) {
    const b = parseFlag(value[f]);
    if (b === undefined) return { reject: `${f} ${JSON.stringify(value[f])} is not true/false` };
    flags[f] = b;
  }
  const extras: Record<string, number | null> = {};
  for (const [f, parse] of [
    ['antalUndervisningsdage', parseDecimal],
    ['duration', parseDecimal],
    ['minimumParticipants', parseInteger],
    ['normpris', parseDecimal],
    ['tillaegspris', parseDecimal],
  ] as const) {
    const n = optionalNumber(value[f], f, parse);
    if ('problem' in n) return { reject: n.problem };
    extras[f] = n.n;
  }

  const postcode = typeof value.lokationPostNr === 'number' ? String(value.lokationPostNr).padStart(4, '0') : text(value.lokationPostNr);
  if (postcode && !/^\d{4}$/.test(postcode))
    return { reject: `lokationPostNr ${JSON.stringify(value.lokationPostNr)} is not a 4-digit postcode` };
  // An unknown postcode is not the hold's fault: it loads with its place unresolved (counted in the run's notes).
  const place = postcode ? postcodeInfo(postcode) : undefined;
  const provider = text(value.institution);
  const rawId = text(first(value, ID_FIELDS));
  // Without a hold id, the hold is known by what identifies it in the search: course, provider, place and start.
  const id =
    rawId ??
    `h-${createHash('sha1')
      .update([number, provider, text(value.lokationSted), postcode, startsOn].join('|'))
      .digest('hex')
      .slice(0, 20)}`;
  return {
    row: {
      id,
      course_number: number,
      title: text(value.holdTitle),
      provider_name: provider,
      provider_key: provider ? providerKey(provider) : null,
      place_name: text(value.lokationSted),
      street: text(value.lokationGade),
      postcode,
      city: text(value.lokationBy) ?? place?.city ?? null,
      municipality_code: place?.municipalityCode ?? null,
      starts_on: startsOn,
      ends_on: endsOn,
      apply_by: applyBy,
      form_text: text(value.undervisningsform),
      participants,
      capacity,
      cancelled: flags.aflyst ?? false,
      time_of_day: text(value.undervisningstidspunkt),
      teaching_days: extras.antalUndervisningsdage ?? extras.duration ?? null,
      minimum_participants: extras.minimumParticipants ?? null,
      guaranteed: flags.garantiKursus ?? null,
      open_flag: flags.aabent ?? null,
      price: extras.normpris ?? null,
      surcharge: extras.tillaegspris ?? null,
      search_code: text(value.kviknummer),
      website: text(value.hjemmeside),
    },
  };
}

const SHAPE: JsonShape = {
  arrays: ['holdCardDtos', 'data.holdCardDtos'],
  isRecord: (v) => isObj(v) && ('startDate' in v || 'holdTitle' in v || 'institution' in v),
  expected: 'course-search holds: {"holdCardDtos": [ … ]}, a top-level array, or one holdCardDto per line (NDJSON)',
};

function countNotes(rows: InstanceRow[], run: RunContext): void {
  for (const r of rows) {
    if (r.postcode !== null && r.municipality_code === null) run.notes.placeUnresolved = (run.notes.placeUnresolved ?? 0) + 1;
    if (r.postcode === null) run.notes.placeMissing = (run.notes.placeMissing ?? 0) + 1;
    if (r.capacity !== null && r.participants > r.capacity) run.notes.overbooked = (run.notes.overbooked ?? 0) + 1;
  }
}

export const instancesSource: IngestSource<InstanceRow> = {
  name: 'amu-instances',
  sections: ['UPSKILLING'],
  connector: 'veu',
  summary: 'AMU course instances (hold) in the national course search shape: {"holdCardDtos": [...]} or NDJSON',
  format: `The national course search's answer (voksenuddannelse.dk soeg-api/api/search/hold/searchHold?subject_code=<AMU
number>&type=AMU&pageCount=<n>): {"holdCardDtos": [ … ]}, on one line or pretty-printed, or a top-level
array, or one holdCardDto per line (NDJSON). Its holds carry no course number: the number is the query's
subject_code, given to the run (indgang ingest --source amu-instances --course 22906 FILE); a hold may
also carry it itself (subject_code, amuNummer, kursusNummer, uddannelsesNummer, courseNumber or nummer),
and a hold with none is rejected saying so. Fields read from each holdCardDto: id (holdId, udbudId also
accepted) as the instance's id — without one the instance is identified by course, institution,
lokationSted, lokationPostNr and startDate; holdTitle; institution (the provider's name, matched to
veu-providers by name); lokationSted, lokationGade, lokationPostNr (4 digits, text or number; resolved to
a municipality through data/codes/postcodes.csv, every Danish postcode — an unknown one loads with the
place unresolved and is counted as placeUnresolved), optional lokationBy; startDate (required), endDate
(not before startDate; missing = one day), tilmeldingsFrist (apply-by date) — dates as yyyy-mm-dd, ISO
date-times or dd-mm-yyyy; undervisningsform (text, grouped as classroom / distance / blended /
workplace); undervisningstidspunkt (time of day, as text); currentParticipantAmount (0 or more, missing =
0); participantCapacity (0 or more, may be missing); minimumParticipants; aflyst (cancelled),
garantiKursus (guaranteed to run), aabent (kept as given) — true/false; antalUndervisningsdage (else
duration) as teaching days; normpris and tillaegspris (fee and surcharge, DKK); kviknummer; hjemmeside.
Read past: beskrivelse, forudsaetninger, aktiGuid, flereKurser, tillaegsprisAarsag/-Begrundelse. The
school's contact person (kontaktPerson, kontaktMail, kontaktPersonTlfNummer) is never stored, not even
in rejects. A re-sent instance replaces the stored one.`,
  batchSize: 5000,
  options: { course: "the AMU course number of a course-search answer: the query's subject_code (its holds carry none)" },
  read: (input, file) => jsonRecords(input, file, SHAPE),
  validate: validateInstance,
  key: (row) => row.id,
  upsert: (tx, rows, run) => {
    countNotes(rows, run);
    return upsertRows(
      tx,
      { table: 'veu.instance', key: ['id'], columns: COLUMNS, stamp: { run_id: sql`${run.id}::int`, changed_at: sql`now()` } },
      rows,
    );
  },
};
