import { createHash } from 'node:crypto';
import { sql, type Selectable } from 'kysely';
import { postcodeInfo } from '../../../src/codes/lists.js';
import { isObj, jsonRecords, type JsonShape } from '../../../src/ingest/json.js';
import type { IngestSource, RunContext, Validation } from '../../../src/ingest/types.js';
import { upsertRows } from '../../../src/ingest/upsert.js';
import type { InstanceTable } from '../tables.js';
import { courseNumberProblem, providerKey } from '../domain.js';
import { notADate, parseDate, parseFlag, parseInteger, text } from '../../../src/ingest/fields.js';

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
};

/** Where the course search may put the AMU number of a hold, first match wins. */
const NUMBER_FIELDS = ['amuNummer', 'kursusNummer', 'uddannelsesNummer', 'uddannelsesnummer', 'courseNumber', 'nummer'];
const ID_FIELDS = ['holdId', 'id', 'udbudId'];

type Obj = Record<string, unknown>;
const first = (v: Obj, fields: string[]) => fields.map((f) => v[f]).find((x) => x !== undefined && x !== null && x !== '');

export function validateInstance(value: unknown): Validation<InstanceRow> {
  if (!isObj(value)) return { reject: 'not a holdCardDto object' };
  const rawNumber = first(value, NUMBER_FIELDS);
  const number = typeof rawNumber === 'number' ? String(rawNumber).padStart(5, '0') : text(rawNumber);
  if (!number) return { reject: `the course number is missing (${NUMBER_FIELDS.join(' / ')})` };
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
  const participants = value.currentParticipantAmount == null || value.currentParticipantAmount === '' ? 0 : parseInteger(value.currentParticipantAmount);
  if (participants === null || participants < 0) return { reject: `currentParticipantAmount ${JSON.stringify(value.currentParticipantAmount)} is not a count` };
  const capacity = value.participantCapacity == null || value.participantCapacity === '' ? null : parseInteger(value.participantCapacity);
  if (capacity === null && value.participantCapacity != null && value.participantCapacity !== '') {
    return { reject: `participantCapacity ${JSON.stringify(value.participantCapacity)} is not a whole number` };
  }
  if (capacity !== null && capacity < 0) return { reject: `participantCapacity ${capacity} is below zero` };
  const cancelled = parseFlag(value.aflyst) ?? false;
  if (parseFlag(value.aflyst) === undefined) return { reject: `aflyst ${JSON.stringify(value.aflyst)} is not true/false` };

  const postcode = text(value.lokationPostNr);
  if (postcode && !/^\d{4}$/.test(postcode)) return { reject: `lokationPostNr ${JSON.stringify(value.lokationPostNr)} is not a 4-digit postcode` };
  // An unknown postcode is not the hold's fault: it loads with its place unresolved (counted in the run's notes).
  const place = postcode ? postcodeInfo(postcode) : undefined;
  const provider = text(value.institution);
  const rawId = text(first(value, ID_FIELDS));
  // Without a hold id, the hold is known by what identifies it in the search: course, provider, place and start.
  const id = rawId ?? `h-${createHash('sha1').update([number, provider, text(value.lokationSted), postcode, startsOn].join('|')).digest('hex').slice(0, 20)}`;
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
      cancelled,
    },
  };
}

const SHAPE: JsonShape = {
  arrays: ['holdCardDtos', 'data.holdCardDtos'],
  isRecord: (v) => isObj(v) && !Array.isArray(v.holdCardDtos) && !(isObj(v.data) && Array.isArray(v.data.holdCardDtos)),
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
  connector: 'veu',
  summary: 'AMU course instances (hold) in the national course search shape: {"holdCardDtos": [...]} or NDJSON',
  format: `JSON as the national course search returns it, {"holdCardDtos": [ … ]} (or a top-level array, or one
holdCardDto per line, NDJSON). Fields read from each holdCardDto: the AMU course number (required, 5 digits)
from amuNummer, kursusNummer, uddannelsesNummer, courseNumber or nummer; holdId (or id, udbudId) as the
instance's id — without one the instance is identified by course, institution, lokationSted, lokationPostNr
and startDate; holdTitle; institution (the provider's name, matched to veu-providers by name);
lokationSted, lokationGade, lokationPostNr (4 digits; resolved to a municipality through
data/codes/postcodes.csv — an unknown postcode loads with the place unresolved and is counted as
placeUnresolved), optional lokationBy; startDate (required), endDate (not before startDate; missing = one
day), tilmeldingsFrist (apply-by date) — dates as yyyy-mm-dd, ISO date-times or dd-mm-yyyy;
undervisningsform (text, grouped as classroom / distance / blended / workplace); currentParticipantAmount
(0 or more, missing = 0); participantCapacity (0 or more, may be missing); aflyst (cancelled: true/false).
A re-sent instance replaces the stored one.`,
  batchSize: 5000,
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
