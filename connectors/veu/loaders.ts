import DataLoader from 'dataloader';
import type { RequestScope } from '../../src/connector.js';
import type { Db } from '../../src/db/database.js';
import { keyedLoader } from '../../src/graphql/loaders.js';
import type { CourseRecord, EnrolmentRecord, InstanceRecord, ProviderRecord, UpskillingSummary } from './domain.js';
import {
  coursesByNumber,
  enrolmentsByKeys,
  enrolmentsOf,
  instancesByIds,
  instancesOfCourses,
  nextStarts,
  providersByKey,
  toCourse,
  toInstance,
  upskillingSummaries,
  type InstanceConditions,
} from './store.js';

/**
 * A loader whose keys carry arguments: keys with the same arguments (`group`) are fetched in one
 * statement. Every item of a list asks with the same arguments, so a list level costs one statement.
 */
function groupedLoader<K, V>(
  group: (k: K) => string,
  id: (k: K) => string,
  fetch: (ids: string[], sample: K) => Promise<Map<string, V>>,
  empty: V,
) {
  return new DataLoader<K, V, string>(
    async (keys) => {
      const groups = new Map<string, K[]>();
      for (const k of keys) groups.set(group(k), [...(groups.get(group(k)) ?? []), k]);
      const results = new Map<string, Map<string, V>>();
      await Promise.all([...groups].map(async ([g, ks]) => results.set(g, await fetch([...new Set(ks.map(id))], ks[0]!))));
      return keys.map((k) => results.get(group(k))!.get(id(k)) ?? empty);
    },
    { cacheKeyFn: (k) => `${group(k)}|${id(k)}` },
  );
}

export interface InstancesKey {
  number: string;
  conditions: InstanceConditions;
  limit: number;
  after: [string, string] | null;
}

export interface EnrolmentsKey {
  cvr: string;
  from: string;
  to: string;
}

export function veuLoaders(db: Db, request: RequestScope) {
  // One day for the whole request: "upcoming" and "last 12 months" agree across its fields.
  const day = request.today;
  const loaders = {
    course: new DataLoader<string, CourseRecord | null>(async (numbers) => {
      const found = new Map((await coursesByNumber(db, numbers)).map((c) => [c.number, c]));
      return numbers.map((n) => found.get(n) ?? null);
    }),
    /** By key, for references from other subgraphs (competence match, the contact timeline). */
    instance: keyedLoader(
      (ids) => instancesByIds(db, ids),
      (i) => i.id,
    ),
    enrolment: keyedLoader(
      (keys) => enrolmentsByKeys(db, keys),
      (e) => e.key,
    ),
    provider: new DataLoader<string, ProviderRecord | null>(async (keys) => {
      const found = new Map((await providersByKey(db, keys)).map((p) => [p.key, p]));
      return keys.map((k) => found.get(k) ?? null);
    }),
    nextStart: groupedLoader<{ number: string; conditions: InstanceConditions }, string | null>(
      (k) => JSON.stringify(k.conditions),
      (k) => k.number,
      (numbers, k) => nextStarts(db, numbers, k.conditions),
      null,
    ),
    instances: groupedLoader<InstancesKey, InstanceRecord[]>(
      (k) => JSON.stringify([k.conditions, k.limit, k.after]),
      (k) => k.number,
      (numbers, k) => instancesOfCourses(db, numbers, k.conditions, k.limit, k.after),
      [],
    ),
    enrolments: groupedLoader<EnrolmentsKey, EnrolmentRecord[]>(
      (k) => `${k.from}/${k.to}`,
      (k) => k.cvr,
      async (cvrs, k) => {
        const by = new Map<string, EnrolmentRecord[]>();
        for (const e of await enrolmentsOf(db, cvrs, k.from, k.to)) by.set(e.cvr, [...(by.get(e.cvr) ?? []), e]);
        return by;
      },
      [],
    ),
    summary: new DataLoader<string, UpskillingSummary>(async (cvrs) => {
      const found = await upskillingSummaries(db, cvrs, day);
      return cvrs.map((c) => found.get(c) ?? { participantsLast12Months: 0, wageCompensationLast12Months: 0, lastCourseOn: null });
    }),
  };
  return {
    ...loaders,
    /**
     * Course and instance rows another connector's statement already read (as the VEU tables hold them,
     * e.g. course suggestions): cached so the Course and CourseInstance fields need no read of their own.
     */
    primeRows(course: { number: string }, instance: { id: string } | null) {
      loaders.course.prime(course.number, toCourse(course as Parameters<typeof toCourse>[0]));
      if (instance) loaders.instance.prime(instance.id, toInstance(instance as Parameters<typeof toInstance>[0]));
    },
  };
}

// Joins the request context's Loaders (src/graphql/context.ts) under the connector's name.
declare module '../../src/graphql/context.js' {
  interface Loaders {
    veu: ReturnType<typeof veuLoaders>;
  }
}
