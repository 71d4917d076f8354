import { sql, type Selectable } from 'kysely';
import type { Db } from '../../src/db/database.js';
import {
  enrolmentKey,
  type CourseRecord,
  type EnrolmentRecord,
  type InstanceRecord,
  type InstanceScope,
  type ProviderRecord,
  type UpskillingSummary,
} from './domain.js';
import type { CourseTable, EnrolmentTable, InstanceTable, ProviderTable } from './tables.js';

export const toCourse = (r: Selectable<CourseTable>): CourseRecord => ({
  number: r.number,
  title: r.title,
  days: Number(r.days),
  occupations: r.occupations,
  positiveList: r.positive_list,
});

export const toInstance = (r: Selectable<InstanceTable>): InstanceRecord => ({
  id: r.id,
  courseNumber: r.course_number,
  title: r.title,
  providerName: r.provider_name,
  providerKey: r.provider_key,
  place: { name: r.place_name, street: r.street, postcode: r.postcode, city: r.city, municipalityCode: r.municipality_code },
  startsOn: r.starts_on,
  endsOn: r.ends_on,
  applyBy: r.apply_by,
  formText: r.form_text,
  participants: r.participants,
  capacity: r.capacity,
  cancelled: r.cancelled,
  timeOfDay: r.time_of_day,
  days: r.teaching_days === null ? null : Number(r.teaching_days),
  minimumParticipants: r.minimum_participants,
  guaranteed: r.guaranteed,
  price: r.price === null ? null : Number(r.price),
  surcharge: r.surcharge === null ? null : Number(r.surcharge),
  searchCode: r.search_code,
  website: r.website,
});

const toProvider = (r: Selectable<ProviderTable>): ProviderRecord & { key: string } => ({
  key: r.name_key,
  name: r.name,
  number: r.number,
  kind: r.kind,
  street: r.street,
  postcode: r.postcode,
  city: r.city,
  municipalityCode: r.municipality_code,
  website: r.website,
});

const toEnrolment = (r: Selectable<EnrolmentTable>): EnrolmentRecord => ({
  key: enrolmentKey(r.cvr, r.course_number, r.starts_on, r.ends_on),
  cvr: r.cvr,
  courseNumber: r.course_number,
  startsOn: r.starts_on,
  endsOn: r.ends_on,
  period: r.period,
  participants: r.participants,
  wageCompensation: r.wage_compensation === null ? null : Number(r.wage_compensation),
});

export async function coursesByNumber(db: Db, numbers: readonly string[]): Promise<CourseRecord[]> {
  if (numbers.length === 0) return [];
  return (await db.selectFrom('veu.course').selectAll().where('number', 'in', numbers).execute()).map(toCourse);
}

export async function providersByKey(db: Db, keys: readonly string[]): Promise<(ProviderRecord & { key: string })[]> {
  if (keys.length === 0) return [];
  return (await db.selectFrom('veu.provider').selectAll().where('name_key', 'in', keys).execute()).map(toProvider);
}

/** Conditions on instances: a scope from the course list plus the `instances` arguments. */
export interface InstanceConditions extends InstanceScope {
  includeCancelled?: boolean;
}

function instanceWhere(c: InstanceConditions) {
  const parts = [sql`true`];
  if (!c.includeCancelled) parts.push(sql`NOT i.cancelled`);
  if (c.from) parts.push(sql`i.starts_on >= ${c.from}::date`);
  if (c.to) parts.push(sql`i.starts_on <= ${c.to}::date`);
  if (c.municipalities) {
    parts.push(c.municipalities.length ? sql`i.municipality_code IN (${sql.join(c.municipalities)})` : sql`false`);
  }
  return sql.join(parts, sql` AND `);
}

export async function instancesByIds(db: Db, ids: readonly string[]): Promise<InstanceRecord[]> {
  if (ids.length === 0) return [];
  return (await db.selectFrom('veu.instance').selectAll().where('id', 'in', ids).execute()).map(toInstance);
}

/** Enrolments by key (cvr|course|start|end, see domain.enrolmentKey), in one statement. */
export async function enrolmentsByKeys(db: Db, keys: readonly string[]): Promise<EnrolmentRecord[]> {
  if (keys.length === 0) return [];
  const r = await sql<Selectable<EnrolmentTable>>`
    SELECT * FROM veu.enrolment
    WHERE cvr = ANY(${[...new Set(keys.map((k) => k.slice(0, 8)))]}::text[])
      AND cvr || '|' || course_number || '|' || starts_on || '|' || ends_on = ANY(${[...keys]}::text[])`.execute(db);
  return r.rows.map(toEnrolment);
}

/** First start day per course under the conditions: one statement for all courses asked for. */
export async function nextStarts(db: Db, numbers: readonly string[], c: InstanceConditions): Promise<Map<string, string>> {
  if (numbers.length === 0) return new Map();
  const r = await sql<{ course_number: string; next_start: string }>`
    SELECT i.course_number, min(i.starts_on) AS next_start FROM veu.instance i
    WHERE i.course_number IN (${sql.join([...numbers])}) AND ${instanceWhere(c)}
    GROUP BY i.course_number`.execute(db);
  return new Map(r.rows.map((x) => [x.course_number, x.next_start]));
}

/**
 * Up to `limit` instances per course, by start date, after the cursor (start, id): one statement for
 * any number of courses, numbered per course with a window function.
 */
export async function instancesOfCourses(
  db: Db,
  numbers: readonly string[],
  c: InstanceConditions,
  limit: number,
  after: [string, string] | null,
): Promise<Map<string, InstanceRecord[]>> {
  const out = new Map<string, InstanceRecord[]>(numbers.map((n) => [n, []]));
  if (numbers.length === 0 || limit === 0) return out;
  const cursor = after ? sql`AND (i.starts_on, i.id) > (${after[0]}::date, ${after[1]})` : sql``;
  const r = await sql<Selectable<InstanceTable>>`
    SELECT * FROM (
      SELECT i.*, row_number() OVER (PARTITION BY i.course_number ORDER BY i.starts_on, i.id) AS rn
      FROM veu.instance i
      WHERE i.course_number IN (${sql.join([...numbers])}) AND ${instanceWhere(c)} ${cursor}
    ) x WHERE rn <= ${limit} ORDER BY course_number, starts_on, id`.execute(db);
  for (const row of r.rows) out.get(row.course_number)?.push(toInstance(row));
  return out;
}

export interface CourseFilter {
  text?: string | null;
  /** The occupation and the groups above it: a course aimed at any of them matches. */
  occupationAncestry?: string[] | null;
  /** A course aimed at an occupation inside this group matches too (DISCO codes nest by prefix). */
  occupationPrefix?: string | null;
  positiveList?: boolean | null;
  /** Conditions on a course's instances; null when the filter names no place or date. */
  instances?: InstanceConditions | null;
  /** Day from which a start counts as "next". */
  today: string;
}

function filteredCourses(db: Db, f: CourseFilter) {
  const c: InstanceConditions = { ...(f.instances ?? {}), from: f.instances?.from ?? f.today, includeCancelled: false };
  const nxt = sql`(SELECT i.course_number, min(i.starts_on) AS next_start FROM veu.instance i WHERE ${instanceWhere(c)} GROUP BY i.course_number)`;
  const conditions = [sql`true`];
  if (f.text) conditions.push(sql`c.title ILIKE ${`%${escapeLike(f.text)}%`}`);
  if (f.positiveList != null) conditions.push(sql`c.positive_list = ${f.positiveList}`);
  if (f.occupationAncestry) {
    const wider = f.occupationAncestry.length ? sql`c.occupations && ARRAY[${sql.join(f.occupationAncestry)}]::text[]` : sql`false`;
    const narrower = f.occupationPrefix
      ? sql`EXISTS (SELECT 1 FROM unnest(c.occupations) o WHERE o LIKE ${`${f.occupationPrefix}%`})`
      : sql`false`;
    conditions.push(sql`(${wider} OR ${narrower})`);
  }
  // With place or date conditions a course must have a matching instance; without, it is listed anyway.
  const join = f.instances ? sql`JOIN` : sql`LEFT JOIN`;
  return { from: sql`veu.course c ${join} ${nxt} n ON n.course_number = c.number`, where: sql.join(conditions, sql` AND `) };
}

const NO_START = '9999-12-31';

/** One page of courses by next start (courses without one last), then number. */
export async function findCourses(
  db: Db,
  f: CourseFilter,
  limit: number,
  after: unknown[] | null,
): Promise<{ course: CourseRecord; nextStart: string | null }[]> {
  const { from, where } = filteredCourses(db, f);
  const cursor = after
    ? sql`AND (coalesce(n.next_start, ${NO_START}::date), c.number) > (${String(after[0] ?? NO_START)}::date, ${String(after[1])})`
    : sql``;
  const r = await sql<Selectable<CourseTable> & { next_start: string | null }>`
    SELECT c.*, n.next_start FROM ${from} WHERE ${where} ${cursor}
    ORDER BY coalesce(n.next_start, ${NO_START}::date), c.number LIMIT ${limit}`.execute(db);
  return r.rows.map((row) => ({ course: toCourse(row), nextStart: row.next_start }));
}

export async function countCourses(db: Db, f: CourseFilter): Promise<number> {
  const { from, where } = filteredCourses(db, f);
  const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${from} WHERE ${where}`.execute(db);
  return Number(r.rows[0]!.n);
}

/** Enrolments of the companies whose period overlaps the window, newest first. */
export async function enrolmentsOf(db: Db, cvrs: readonly string[], from: string, to: string): Promise<EnrolmentRecord[]> {
  if (cvrs.length === 0) return [];
  const rows = await db
    .selectFrom('veu.enrolment')
    .selectAll()
    .where('cvr', 'in', cvrs)
    .where('starts_on', '<=', to)
    .where('ends_on', '>=', from)
    .orderBy('cvr')
    .orderBy('starts_on', 'desc')
    .orderBy('course_number')
    .execute();
  return rows.map(toEnrolment);
}

/** The last-12-months figures per company, in one statement for all companies asked for. */
export async function upskillingSummaries(db: Db, cvrs: readonly string[], today: string): Promise<Map<string, UpskillingSummary>> {
  if (cvrs.length === 0) return new Map();
  const r = await sql<{ cvr: string; participants: number | null; compensation: number | null; last_course: string | null }>`
    SELECT cvr,
      sum(participants) FILTER (WHERE starts_on > ${today}::date - interval '12 months' AND starts_on <= ${today}::date)::int AS participants,
      sum(wage_compensation) FILTER (WHERE starts_on > ${today}::date - interval '12 months' AND starts_on <= ${today}::date) AS compensation,
      max(least(ends_on, ${today}::date)) FILTER (WHERE starts_on <= ${today}::date AND participants > 0) AS last_course
    FROM veu.enrolment WHERE cvr IN (${sql.join([...cvrs])}) GROUP BY cvr`.execute(db);
  return new Map(
    r.rows.map((x) => [
      x.cvr,
      {
        participantsLast12Months: x.participants ?? 0,
        wageCompensationLast12Months: Number(x.compensation ?? 0),
        lastCourseOn: x.last_course,
      },
    ]),
  );
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (m) => `\\${m}`);
}
