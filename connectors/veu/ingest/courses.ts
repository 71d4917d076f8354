import { sql } from 'kysely';
import { occupationByCode, discoProblem } from '../../../src/codes/occupations.js';
import type { IngestSource, RunContext, Validation } from '../../../src/ingest/types.js';
import { upsertRows } from '../../../src/ingest/upsert.js';
import { courseNumberProblem } from '../domain.js';
import { csvRecords, type Column } from '../../../src/ingest/csv.js';
import { parseDecimal, parseFlag, text } from '../../../src/ingest/fields.js';

export interface CourseRow {
  number: string;
  title: string;
  days: number;
  occupations: string[];
  positive_list: boolean;
}

const COLUMNS: Column[] = [
  { field: 'number', headers: ['number', 'nummer', 'kursusnummer', 'amu_nummer', 'uddannelsesnummer'], required: true },
  { field: 'title', headers: ['title', 'titel', 'kursustitel'], required: true },
  { field: 'days', headers: ['days', 'dage', 'varighed', 'varighed_dage'], required: true },
  { field: 'occupations', headers: ['occupations', 'disco', 'målgruppe_disco', 'stillingsbetegnelser'] },
  { field: 'positive_list', headers: ['positive_list', 'positivliste', 'positivlisten', 'på_positivlisten'] },
];

export function validateCourse(value: unknown): Validation<CourseRow> {
  const v = value as Record<string, string>;
  const number = text(v.number);
  if (!number) return { reject: 'the course number is missing' };
  const numberProblem = courseNumberProblem(number);
  if (numberProblem) return { reject: `course number ${JSON.stringify(number)}: ${numberProblem}` };
  const title = text(v.title);
  if (!title) return { reject: 'the title is missing' };
  const days = parseDecimal(v.days);
  if (days === null || days <= 0 || days > 250)
    return { reject: `days ${JSON.stringify(v.days)} is not a duration in days (a number above 0, e.g. 3 or 0,5)` };
  const occupations: string[] = [];
  for (const code of (v.occupations ?? '').split(/[,|\s]+/).filter(Boolean)) {
    const problem = discoProblem(code);
    if (problem) return { reject: `target occupation ${JSON.stringify(code)}: ${problem}` };
    if (!occupations.includes(code)) occupations.push(code);
  }
  const positive = parseFlag(v.positive_list);
  if (positive === undefined) return { reject: `positive-list flag ${JSON.stringify(v.positive_list)} is not ja/nej` };
  return { row: { number, title, days, occupations: occupations.sort(), positive_list: positive ?? false } };
}

/** Courses load without (known) target occupations, but the occupation filter cannot find them: say how many. */
function countNotes(rows: CourseRow[], run: RunContext): void {
  for (const r of rows) {
    if (r.occupations.length === 0) run.notes.coursesWithoutOccupation = (run.notes.coursesWithoutOccupation ?? 0) + 1;
    const unknown = r.occupations.filter((o) => !occupationByCode(o)).length;
    if (unknown) run.notes.unknownOccupationCodes = (run.notes.unknownOccupationCodes ?? 0) + unknown;
  }
}

export const coursesSource: IngestSource<CourseRow> = {
  name: 'amu-courses',
  sections: ['UPSKILLING'],
  connector: 'veu',
  summary: 'AMU course catalogue CSV: number, title, days, target DISCO occupations, positive-list flag',
  format: `CSV with a header row, separated by ; (or , or tab), UTF-8, lines starting with # are comments.
Columns (Danish or English header, any order): nummer/number (required, the 5-digit AMU course number),
titel/title (required), dage/days (required, duration in days above 0, decimal comma allowed: "0,5"),
disco/occupations (target occupations: DISCO-08 codes of 4 or 6 digits separated by commas, spaces or |;
may be empty), positivliste/positive_list (on the positive list for 6 weeks' job-directed training:
ja/nej, true/false, 1/0, x/blank; blank = no). A re-sent course replaces the stored one.`,
  batchSize: 5000,
  tables: ['veu.course'],
  read: (input, file) => csvRecords(input, file, { columns: COLUMNS, comments: true }),
  validate: (value) => validateCourse(value),
  key: (row) => row.number,
  upsert: (tx, rows, run) => {
    countNotes(rows, run);
    return upsertRows(
      tx,
      {
        table: 'veu.course',
        key: ['number'],
        columns: { number: 'text', title: 'text', days: 'numeric', occupations: 'text[]', positive_list: 'boolean' },
        stamp: { run_id: sql`${run.id}::int`, changed_at: sql`now()` },
      },
      rows,
    );
  },
};
