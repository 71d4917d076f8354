import DataLoader from 'dataloader';
import type { RequestScope } from '../../src/connector.js';
import type { Db } from '../../src/db/database.js';
import type { AccountRecord, ProgrammeRecord, ReferralRecord } from './domain.js';
import { groupByCvr, keyedLoader } from '../../src/graphql/loaders.js';
import {
  accountsByCvr,
  meetingPages,
  meetingsByKeys,
  programmesByCvr,
  programmesByKeys,
  referralsByCvr,
  referralsByKeys,
  type MeetingPage,
} from './store.js';

/** A page request for one company's meetings; `fetch` is the page size plus one to see if more follow. */
export interface MeetingPageKey {
  cvr: string;
  fetch: number;
  after: [string, string] | null;
}

export function crmLoaders(db: Db, _request: RequestScope) {
  return {
    account: new DataLoader<string, AccountRecord | null>(async (cvrs) => {
      const found = new Map((await accountsByCvr(db, cvrs)).map((a) => [a.cvr, a]));
      return cvrs.map((c) => found.get(c) ?? null);
    }),
    programmes: new DataLoader<string, ProgrammeRecord[]>(async (cvrs) => groupByCvr(await programmesByCvr(db, cvrs), cvrs)),
    referrals: new DataLoader<string, ReferralRecord[]>(async (cvrs) => groupByCvr(await referralsByCvr(db, cvrs), cvrs)),
    /** By source key, for references from other subgraphs (signal evidence, the contact timeline). */
    programme: keyedLoader(
      (keys) => programmesByKeys(db, keys),
      (p) => p.key,
    ),
    referral: keyedLoader(
      (keys) => referralsByKeys(db, keys),
      (r) => r.key,
    ),
    meeting: keyedLoader(
      (keys) => meetingsByKeys(db, keys),
      (m) => m.key,
    ),
    /** Companies asking for the same page size and cursor share one statement (the usual case in a list). */
    meetings: new DataLoader<MeetingPageKey, MeetingPage, string>(
      async (keys) => {
        const groups = new Map<string, MeetingPageKey[]>();
        for (const k of keys) {
          const g = JSON.stringify([k.fetch, k.after]);
          groups.set(g, [...(groups.get(g) ?? []), k]);
        }
        const results = new Map<string, MeetingPage>();
        await Promise.all(
          [...groups.values()].map(async (group) => {
            const pages = await meetingPages(
              db,
              group.map((k) => k.cvr),
              group[0]!.fetch,
              group[0]!.after,
            );
            for (const k of group) results.set(JSON.stringify(k), pages.get(k.cvr)!);
          }),
        );
        return keys.map((k) => results.get(JSON.stringify(k))!);
      },
      { cacheKeyFn: (k) => JSON.stringify(k) },
    ),
  };
}

// Joins the request context's Loaders (src/graphql/context.ts) under the connector's name.
declare module '../../src/graphql/context.js' {
  interface Loaders {
    crm: ReturnType<typeof crmLoaders>;
  }
}
