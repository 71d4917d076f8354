import DataLoader from 'dataloader';
import type { RequestScope } from '../../src/connector.js';
import type { Db } from '../../src/db/database.js';
import { groupedMapLoader, keyedLoader } from '../../src/graphql/loaders.js';
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
    // Keys with the same arguments (every item of a list asks with the same) are one statement.
    nextStart: groupedMapLoader<{ number: string; conditions: InstanceConditions }, string | null>(
      (k) => k.conditions,
      (k) => k.number,
      (numbers, k) => nextStarts(db, numbers, k.conditions),
      null,
    ),
    instances: groupedMapLoader<InstancesKey, InstanceRecord[]>(
      (k) => [k.conditions, k.limit, k.after],
      (k) => k.number,
      (numbers, k) => instancesOfCourses(db, numbers, k.conditions, k.limit, k.after),
      [],
    ),
    enrolments: groupedMapLoader<EnrolmentsKey, EnrolmentRecord[]>(
      (k) => [k.from, k.to],
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
