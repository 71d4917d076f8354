import { sql, type Expression, type ExpressionBuilder, type Selectable, type SqlBool } from 'kysely';
import { anyText } from '../../src/db/arrays.js';
import type { Db } from '../../src/db/database.js';
import { perParent } from '../../src/db/paging.js';
import type { Database } from '../../src/db/schema.js';
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

/** `veu.instance as i`, the alias the instance conditions name. */
type InstanceEb = ExpressionBuilder<Database & { i: InstanceTable }, 'i'>;

function instanceWhere(c: InstanceConditions) {
  return (eb: InstanceEb) => {
    const parts: Expression<SqlBool>[] = [];
    // Spelled as the partial indexes' predicate (WHERE NOT cancelled), so they apply.
    if (!c.includeCancelled) parts.push(eb.not(eb.ref('i.cancelled')));
    if (c.from) parts.push(eb('i.starts_on', '>=', day(c.from)));
    if (c.to) parts.push(eb('i.starts_on', '<=', day(c.to)));
    if (c.municipalities) parts.push(c.municipalities.length ? eb('i.municipality_code', 'in', c.municipalities) : eb.lit(false));
    return eb.and(parts);
  };
}

const day = (d: string) => sql<string>`${d}::date`;

export async function instancesByIds(db: Db, ids: readonly string[]): Promise<InstanceRecord[]> {
  if (ids.length === 0) return [];
  return (await db.selectFrom('veu.instance').selectAll().where('id', 'in', ids).execute()).map(toInstance);
}

/** Enrolments by key (cvr|course|start|end, see domain.enrolmentKey), in one statement. */
export async function enrolmentsByKeys(db: Db, keys: readonly string[]): Promise<EnrolmentRecord[]> {
  if (keys.length === 0) return [];
  const rows = await db
    .selectFrom('veu.enrolment')
    .selectAll()
    .where('cvr', '=', anyText([...new Set(keys.map((k) => k.slice(0, 8)))]))
    .where(({ eb, ref }) =>
      eb(
        sql<string>`${ref('cvr')} || '|' || ${ref('course_number')} || '|' || ${ref('starts_on')} || '|' || ${ref('ends_on')}`,
        '=',
        anyText(keys),
      ),
    )
    .execute();
  return rows.map(toEnrolment);
}

/** First start day per course under the conditions: one statement for all courses asked for. */
export async function nextStarts(db: Db, numbers: readonly string[], c: InstanceConditions): Promise<Map<string, string>> {
  if (numbers.length === 0) return new Map();
  const rows = await db
    .selectFrom('veu.instance as i')
    .select((eb) => ['i.course_number', eb.fn.min('i.starts_on').as('next_start')])
    .where('i.course_number', 'in', numbers)
    .where(instanceWhere(c))
    .groupBy('i.course_number')
    .execute();
  return new Map(rows.map((x) => [x.course_number, x.next_start]));
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
  const rows = await perParent(db, (eb) =>
    eb.selectFrom('veu.instance as i').selectAll('i').where('i.course_number', 'in', numbers).where(instanceWhere(c)),
  )
    .top({
      alias: 'i',
      parent: 'course_number',
      sort: [{ by: 'starts_on' }, { by: 'id' }],
      after: after && [day(after[0]), after[1]],
      limit,
    })
    .execute();
  for (const row of rows) out.get(row.course_number)?.push(toInstance(row));
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
  const next = db
    .selectFrom('veu.instance as i')
    .select((eb) => ['i.course_number', eb.fn.min('i.starts_on').as('next_start')])
    .where(instanceWhere(c))
    .groupBy('i.course_number')
    .as('n');
  const courses = db.selectFrom('veu.course as c');
  const listed = courses.leftJoin(next, 'n.course_number', 'c.number');
  // With place or date conditions a course must have a matching instance; without, it is listed anyway.
  // (The inner join's rows are the left join's with next_start set, so its type widens soundly.)
  const joined = f.instances ? (courses.innerJoin(next, 'n.course_number', 'c.number') as unknown as typeof listed) : listed;
  return joined.where((eb) => {
    const parts: Expression<SqlBool>[] = [];
    if (f.text) parts.push(eb('c.title', 'ilike', `%${escapeLike(f.text)}%`));
    if (f.positiveList != null) parts.push(eb('c.positive_list', '=', f.positiveList));
    if (f.occupationAncestry) {
      const wider = f.occupationAncestry.length
        ? eb('c.occupations', '&&', sql<string[]>`ARRAY[${sql.join(f.occupationAncestry)}]::text[]`)
        : eb.lit(false);
      const narrower = f.occupationPrefix
        ? sql<SqlBool>`EXISTS (SELECT 1 FROM unnest(${eb.ref('c.occupations')}) o WHERE o LIKE ${`${f.occupationPrefix}%`})`
        : eb.lit(false);
      parts.push(eb.or([wider, narrower]));
    }
    return eb.and(parts);
  });
}

const NO_START = '9999-12-31';

/** One page of courses by next start (courses without one last), then number. */
export async function findCourses(
  db: Db,
  f: CourseFilter,
  limit: number,
  after: unknown[] | null,
): Promise<{ course: CourseRecord; nextStart: string | null }[]> {
  const rows = await filteredCourses(db, f)
    .selectAll('c')
    .select('n.next_start')
    .$if(after !== null, (q) =>
      q.where((eb) =>
        eb(
          eb.tuple(eb.fn.coalesce('n.next_start', day(NO_START)), eb.ref('c.number')),
          '>',
          eb.tuple(day(String(after![0] ?? NO_START)), String(after![1])),
        ),
      ),
    )
    .orderBy((eb) => eb.fn.coalesce('n.next_start', day(NO_START)))
    .orderBy('c.number')
    .limit(limit)
    .execute();
  return rows.map((row) => ({ course: toCourse(row), nextStart: row.next_start }));
}

export async function countCourses(db: Db, f: CourseFilter): Promise<number> {
  const r = await filteredCourses(db, f)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
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
  const rows = await db
    .selectFrom('veu.enrolment')
    .select((eb) => {
      const lastYear = eb.and([
        eb('starts_on', '>', sql<string>`${today}::date - interval '12 months'`),
        eb('starts_on', '<=', day(today)),
      ]);
      return [
        'cvr',
        eb.fn.sum<number | null>('participants').filterWhere(lastYear).as('participants'),
        eb.fn.sum<number | null>('wage_compensation').filterWhere(lastYear).as('compensation'),
        eb.fn
          .max<string | null>(eb.fn('least', ['ends_on', day(today)]))
          .filterWhere((eb) => eb.and([eb('starts_on', '<=', day(today)), eb('participants', '>', 0)]))
          .as('last_course'),
      ];
    })
    .where('cvr', 'in', cvrs)
    .groupBy('cvr')
    .execute();
  return new Map(
    rows.map((x) => [
      x.cvr,
      {
        participantsLast12Months: Number(x.participants ?? 0),
        wageCompensationLast12Months: Number(x.compensation ?? 0),
        lastCourseOn: x.last_course,
      },
    ]),
  );
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (m) => `\\${m}`);
}
