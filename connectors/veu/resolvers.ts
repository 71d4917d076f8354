import { areaByCode, areaOfMunicipality, municipalitiesInArea } from '../../src/codes/areas.js';
import { municipalityByCode } from '../../src/codes/lists.js';
import { occupationAncestry } from '../../src/codes/occupations.js';
import type { Resolvers } from '../../src/generated/graphql.js';
import type { Context } from '../../src/graphql/context.js';
import { municipalityRef, occupationRef } from '../../src/graphql/common-resolvers.js';
import { badInput } from '../../src/graphql/errors.js';
import { byGlobalId } from '../../src/graphql/loaders.js';
import { connectionFrom, decodeCursor, pageSize, toGlobalId } from '../../src/graphql/pagination.js';
import { courseNumberProblem, seatsLeft, teachingForm, type CourseRecord, type InstanceScope } from './domain.js';
import { countCourses, findCourses, type CourseFilter, type InstanceConditions } from './store.js';

const course = async (number: string, ctx: Context): Promise<CourseRecord> => {
  const c = await ctx.loaders.veu.course.load(number);
  if (!c) throw new Error(`course ${number} vanished from the catalogue`);
  return c;
};

/** Conditions for a course's next start: its scope, from today on, never cancelled instances. */
const nextStartConditions = (scope: InstanceScope | undefined, today: string): InstanceConditions => ({
  municipalities: scope?.municipalities ?? null,
  from: scope?.from ?? today,
  to: scope?.to ?? null,
  includeCancelled: false,
});

const laterOf = (a: string | null | undefined, b: string) => (a && a > b ? a : b);

const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const minusYears = (day: string, n: number) => `${Number(day.slice(0, 4)) - n}${day.slice(4)}`.replace(/-02-29$/, '-02-28');

interface FilterArgs {
  text?: string | null;
  occupation?: string | null;
  municipality?: string | null;
  area?: string | null;
  from?: string | null;
  to?: string | null;
  positiveList?: boolean | null;
}

function courseFilter(f: FilterArgs | null | undefined, today: string): { filter: CourseFilter; scope?: InstanceScope } {
  const filter: CourseFilter = { today, positiveList: f?.positiveList ?? null };
  if (!f) return { filter };
  if (f.text != null) {
    if (f.text.trim().length < 2) throw badInput('filter.text', 'give at least 2 characters');
    filter.text = f.text.trim();
  }
  if (f.occupation != null) {
    const known = occupationAncestry(f.occupation);
    // DISCO codes nest by prefix (7 ⊃ 72 ⊃ 721 ⊃ 7212 ⊃ 721200), so a code outside the shipped list still has its groups.
    const prefixes = [1, 2, 3, 4, 6].filter((n) => n <= f.occupation!.length).map((n) => f.occupation!.slice(0, n));
    filter.occupationAncestry = [...new Set([...known, ...prefixes])];
    filter.occupationPrefix = f.occupation;
  }
  let municipalities: string[] | null = null;
  if (f.municipality != null) {
    if (!municipalityByCode(f.municipality))
      throw badInput('filter.municipality', `${JSON.stringify(f.municipality)} is not a Danish municipality code (3 digits, e.g. "657")`);
    municipalities = [f.municipality];
  }
  if (f.area != null) {
    if (!areaByCode(f.area)) throw badInput('filter.area', `${JSON.stringify(f.area)} is not a labour-market area code (e.g. "RAR-VEST")`);
    const inArea = municipalitiesInArea(f.area);
    municipalities = municipalities ? municipalities.filter((m) => inArea.includes(m)) : inArea;
  }
  if (f.from != null && f.to != null && f.to < f.from) throw badInput('filter.to', `${f.to} is before filter.from ${f.from}`);
  if (municipalities === null && f.from == null && f.to == null) return { filter };
  // The filter is about upcoming instances: a window reaching into the past starts today.
  const scope: InstanceScope = { municipalities, from: laterOf(f.from, today), to: f.to ?? null };
  filter.instances = { ...scope, includeCancelled: false };
  return { filter, scope };
}

export const resolvers: Resolvers = {
  Query: {
    async courses(_, args, ctx) {
      const first = pageSize(args.first);
      const today = ctx.today;
      const { filter, scope } = courseFilter(args.filter, today);
      const after = decodeCursor(args.after, 2);
      const [rows, totalCount] = await Promise.all([
        first === 0 ? Promise.resolve([]) : findCourses(ctx.db, filter, first + 1, after),
        countCourses(ctx.db, filter),
      ]);
      // The page holds the courses and their next starts: field resolvers read them from the loader caches.
      for (const r of rows) {
        ctx.loaders.veu.course.prime(r.course.number, r.course);
        ctx.loaders.veu.nextStart.prime({ number: r.course.number, conditions: nextStartConditions(scope, today) }, r.nextStart);
      }
      const page = connectionFrom(
        rows,
        first,
        after !== null,
        (r) => [r.nextStart, r.course.number],
        (r) => ({ number: r.course.number, scope }),
      );
      return { ...page, totalCount };
    },
    async course(_, { number }, ctx) {
      const problem = courseNumberProblem(number);
      if (problem) throw badInput('number', `${JSON.stringify(number)}: ${problem}`);
      return (await ctx.loaders.veu.course.load(number)) ? { number } : null;
    },
  },
  Course: {
    __resolveReference: async (ref, ctx) => ((await ctx.loaders.veu.course.load(ref.number)) ? { number: ref.number } : null),
    number: (c) => c.number,
    title: async (c, _, ctx) => (await course(c.number, ctx)).title,
    days: async (c, _, ctx) => (await course(c.number, ctx)).days,
    positiveList: async (c, _, ctx) => (await course(c.number, ctx)).positiveList,
    occupations: async (c, _, ctx) => (await course(c.number, ctx)).occupations.map(occupationRef).filter((o) => o !== null),
    nextStartsOn: (c, _, ctx) => ctx.loaders.veu.nextStart.load({ number: c.number, conditions: nextStartConditions(c.scope, ctx.today) }),
    async instances(c, args, ctx) {
      const first = pageSize(args.first);
      const after = decodeCursor(args.after, 2) as [string, string] | null;
      const scope = c.scope;
      const conditions: InstanceConditions = {
        municipalities: scope?.municipalities ?? null,
        from: args.upcoming ? laterOf(scope?.from, ctx.today) : (scope?.from ?? null),
        to: scope?.to ?? null,
        includeCancelled: args.includeCancelled ?? false,
      };
      const rows = await ctx.loaders.veu.instances.load({ number: c.number, conditions, limit: first + 1, after });
      return connectionFrom(
        rows,
        first,
        after !== null,
        (i) => [i.startsOn, i.id],
        (i) => i,
      );
    },
    source: async (_c, _, ctx) => ({ name: 'amu-courses', syncedAt: await ctx.loaders.syncedAt.load('amu-courses') }),
  },
  CourseInstance: {
    __resolveReference: (ref, ctx) => ctx.loaders.veu.instance.load(ref.id),
    course: async (i, _, ctx) => ((await ctx.loaders.veu.course.load(i.courseNumber)) ? { number: i.courseNumber } : null),
    provider: async (i, _, ctx) => {
      if (!i.providerName || !i.providerKey) return null;
      const p = await ctx.loaders.veu.provider.load(i.providerKey);
      // A provider missing from veu-providers is still known by the name the course search gives.
      return (
        p ?? {
          name: i.providerName,
          number: null,
          kind: null,
          street: null,
          postcode: null,
          city: null,
          municipalityCode: null,
          website: null,
        }
      );
    },
    seatsLeft: (i) => seatsLeft(i),
    form: (i) => teachingForm(i.formText),
    source: async (_i, _, ctx) => ({ name: 'amu-instances', syncedAt: await ctx.loaders.syncedAt.load('amu-instances') }),
  },
  CoursePlace: {
    municipality: (p) => municipalityRef(p.municipalityCode),
    area: (p) => {
      const a = p.municipalityCode ? areaOfMunicipality(p.municipalityCode) : undefined;
      return a ? { code: a.code, name: a.name } : null;
    },
  },
  Provider: {
    municipality: (p) => municipalityRef(p.municipalityCode),
  },
  Company: {
    upskilling: (c) => ({ cvr: c.cvr }),
  },
  Upskilling: {
    async enrolments(u, args, ctx) {
      const to = args.to ?? ctx.today;
      const from = args.from ?? addDays(minusYears(to, 1), 1);
      if (to < from) throw badInput('to', `${to} is before from ${from}`);
      if (from < minusYears(to, 3)) throw badInput('from', 'the window is at most 3 years long');
      return ctx.loaders.veu.enrolments.load({ cvr: u.cvr, from, to });
    },
    participantsLast12Months: async (u, _, ctx) => (await ctx.loaders.veu.summary.load(u.cvr)).participantsLast12Months,
    wageCompensationLast12Months: async (u, _, ctx) => (await ctx.loaders.veu.summary.load(u.cvr)).wageCompensationLast12Months,
    lastCourseOn: async (u, _, ctx) => (await ctx.loaders.veu.summary.load(u.cvr)).lastCourseOn,
    source: async (_u, _, ctx) => ({ name: 'veu-enrolments', syncedAt: await ctx.loaders.syncedAt.load('veu-enrolments') }),
  },
  Enrolment: {
    __resolveReference: (ref, ctx) => byGlobalId(ref.id, 'Enrolment', ctx.loaders.veu.enrolment),
    id: (e) => toGlobalId('Enrolment', e.key),
    course: async (e, _, ctx) => ((await ctx.loaders.veu.course.load(e.courseNumber)) ? { number: e.courseNumber } : null),
  },
};
