import { sql } from 'kysely';
import { cvrProblem } from '../../../src/codes/cvr.js';
import type { IngestSource, Validation } from '../../../src/ingest/types.js';
import { upsertRows } from '../../../src/ingest/upsert.js';
import { courseNumberProblem } from '../domain.js';
import { csvRecords, type Column } from '../../../src/ingest/csv.js';
import { parseDate, parseDecimal, parseInteger, text } from '../../../src/ingest/fields.js';

export interface EnrolmentRow {
  cvr: string;
  course_number: string;
  starts_on: string;
  ends_on: string;
  period: string;
  participants: number;
  wage_compensation: number | null;
}

const COLUMNS: Column[] = [
  { field: 'cvr', headers: ['cvr', 'cvrnummer', 'cvr_nummer'], required: true },
  { field: 'course_number', headers: ['course_number', 'kursusnummer', 'amu_nummer', 'nummer', 'number'], required: true },
  { field: 'period', headers: ['period', 'periode'], required: true },
  { field: 'participants', headers: ['participants', 'deltagere', 'antal_deltagere', 'antal'], required: true },
  { field: 'wage_compensation', headers: ['wage_compensation', 'veu_godtgørelse', 'veu_godtgoerelse', 'godtgørelse', 'vgt'] },
];

const lastDayOfMonth = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);

/** A period is a month ("2025-03" or "2025M03"), one date, or a range "yyyy-mm-dd/yyyy-mm-dd". */
export function parsePeriod(value: string): { startsOn: string; endsOn: string; period: string } | string {
  const v = value.trim();
  const month = /^(\d{4})(?:-|M)(\d{2})$/.exec(v);
  if (month) {
    const y = Number(month[1]);
    const m = Number(month[2]);
    if (m < 1 || m > 12) return `period ${JSON.stringify(v)}: month ${m} does not exist`;
    const label = `${month[1]}-${month[2]}`;
    return { startsOn: `${label}-01`, endsOn: lastDayOfMonth(y, m), period: label };
  }
  const [a, b, ...more] = v.split('/');
  const start = parseDate(a);
  const end = b === undefined ? start : parseDate(b);
  if (more.length || !start || !end)
    return `period ${JSON.stringify(v)} is not a month (2025-03, 2025M03), a date or a range yyyy-mm-dd/yyyy-mm-dd`;
  if (end < start) return `period ${JSON.stringify(v)}: the end ${end} is before the start ${start}`;
  return { startsOn: start, endsOn: end, period: start === end ? start : `${start}/${end}` };
}

export function validateEnrolment(value: unknown): Validation<EnrolmentRow> {
  const v = value as Record<string, string>;
  const cvr = text(v.cvr);
  if (!cvr) return { reject: 'the CVR number is missing' };
  const problem = cvrProblem(cvr);
  if (problem) return { reject: `cvr ${cvr}: ${problem}` };
  const number = text(v.course_number);
  if (!number) return { reject: 'the course number is missing' };
  const numberProblem = courseNumberProblem(number);
  if (numberProblem) return { reject: `course number ${JSON.stringify(number)}: ${numberProblem}` };
  const period = parsePeriod(v.period ?? '');
  if (typeof period === 'string') return { reject: period };
  const participants = parseInteger(v.participants);
  if (participants === null || participants < 0)
    return { reject: `participants ${JSON.stringify(v.participants)} is not a count (0 or more)` };
  const compText = text(v.wage_compensation);
  const compensation = compText === null ? null : parseDecimal(compText);
  if (compText !== null && (compensation === null || compensation < 0))
    return { reject: `VEU wage compensation ${JSON.stringify(compText)} is not an amount in DKK (0 or more)` };
  return {
    row: {
      cvr,
      course_number: number,
      starts_on: period.startsOn,
      ends_on: period.endsOn,
      period: period.period,
      participants,
      wage_compensation: compensation,
    },
  };
}

export const enrolmentsSource: IngestSource<EnrolmentRow> = {
  name: 'veu-enrolments',
  sections: ['UPSKILLING', 'CONTACTS'],
  connector: 'veu',
  summary: "Companies' VEU enrolments CSV (aggregates): cvr, course number, period, participants, VEU wage compensation",
  format: `CSV with a header row, separated by ; (or , or tab), UTF-8, # starts a comment line. One row per
company, course and period; aggregates only, never persons. Columns: cvr/cvrnummer (required, 8 digits,
modulus-11), kursusnummer/course_number (required, 5-digit AMU number), periode/period (required: a month
"2025-03" or "2025M03", a date, or a range "2025-03-03/2025-03-07"; the end not before the start),
deltagere/participants (required, 0 or more), veu_godtgørelse/veu_godtgoerelse/wage_compensation (VEU
wage compensation paid in DKK, decimal comma allowed, may be empty). A re-sent row (same cvr, course
and period) replaces the stored one.`,
  batchSize: 5000,
  read: (input, file) => csvRecords(input, file, { columns: COLUMNS, comments: true }),
  validate: validateEnrolment,
  key: (row) => `${row.cvr}|${row.course_number}|${row.starts_on}|${row.ends_on}`,
  upsert: (tx, rows, run) =>
    upsertRows(
      tx,
      {
        table: 'veu.enrolment',
        key: ['cvr', 'course_number', 'starts_on', 'ends_on'],
        columns: {
          cvr: 'text',
          course_number: 'text',
          starts_on: 'date',
          ends_on: 'date',
          period: 'text',
          participants: 'integer',
          wage_compensation: 'numeric',
        },
        stamp: { run_id: sql`${run.id}::int`, changed_at: sql`now()` },
        touched: 'cvr',
      },
      rows,
    ),
};
