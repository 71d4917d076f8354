import DataLoader from 'dataloader';
import type { RequestScope } from '../../src/connector.js';
import type { Db } from '../../src/db/database.js';
import { groupByCvr, groupedLoader, keyedLoader } from '../../src/graphql/loaders.js';
import { addDays, addMonths } from '../../src/today.js';
import { insightsConfig } from './config.js';
import { provenanceSources } from './derive/contributions.js';
import {
  entryKey,
  type ContactEntryRecord,
  type FollowUpRecord,
  type NeedRecord,
  type ProfileRecord,
  type SignalRecord,
  type SuggestionRecord,
} from './domain.js';
import * as store from './store.js';

/** Contacts listed per overlap (ContactOverlap.contacts says at most 50). */
const OVERLAP_CONTACTS = 50;

export interface EntryPageKey extends store.EntryFilter {
  cvr: string;
  limit: number;
  after: [string, string, string] | null;
}

export function insightsLoaders(db: Db, request: RequestScope) {
  const day = request.today;
  const cfg = insightsConfig();
  const sources = provenanceSources();
  /**
   * The profile, signals, needs and coordination facts of a company come from one statement per batch:
   * the fields of a company view (situation, coordination, competence match) all read this loader's cache.
   */
  let synced: Promise<Map<string, Date | null>> | undefined;
  const facts = new DataLoader<string, store.CompanyFacts | null>(async (cvrs) => {
    const batch = store.companyFacts(
      db,
      cvrs,
      day,
      addMonths(day, -cfg.coordination.activeActorMonths),
      addDays(day, cfg.coordination.followUpHorizonDays),
      sources,
    );
    // The same statement tells when the sources synced: provenance asked while it runs waits for it, not for a statement of its own.
    if (!synced) {
      synced = batch.then((b) => b.synced ?? store.sourcesSyncedAt(db, sources));
      // Nobody may ask for provenance: a failed batch must not become an unhandled rejection (its loads report it).
      synced.catch(() => {});
    }
    const { facts: found } = await batch;
    return cvrs.map((c) => found.get(c) ?? null);
  });
  const part = <T>(pick: (f: store.CompanyFacts) => T, none: T) =>
    new DataLoader<string, T>(async (cvrs) => (await facts.loadMany(cvrs)).map((f) => (f instanceof Error ? f : f ? pick(f) : none)));
  const entryCount = groupedLoader<store.EntryFilter & { cvr: string }, number>(
    ({ cvr: _, ...filter }) => filter,
    async (keys) => {
      const { cvr: _, ...filter } = keys[0]!;
      const counts = await store.countEntries(
        db,
        keys.map((k) => k.cvr),
        filter,
      );
      return keys.map((k) => counts.get(k.cvr) ?? 0);
    },
  );
  return {
    day,
    /** When a source (or the contact log) was last synced, for provenance: every source in one statement per request. */
    syncedAt: (source: string) => (synced ??= store.sourcesSyncedAt(db, sources)).then((m) => m.get(source) ?? null),
    /** Primed by company lists that ask for a field of insights (they read the profile with the page); otherwise part of the facts. */
    profile: part<ProfileRecord | null>((f) => f.profile, null),
    signals: part<SignalRecord[]>((f) => f.signals, []),
    needs: part<NeedRecord[]>((f) => f.needs, []),
    entries: groupedLoader<EntryPageKey, ContactEntryRecord[]>(
      ({ cvr: _, ...args }) => args,
      async (keys) => {
        const { cvr: _, limit, after, ...filter } = keys[0]!;
        const cvrs = keys.map((k) => k.cvr);
        const { entries, totals } = await store.entryPages(db, cvrs, filter, limit, after);
        // The page's statement counted each company's entries too: totalCount asks no statement of its own.
        for (const cvr of cvrs) {
          const total = totals.get(cvr) ?? (after === null && limit > 0 ? 0 : undefined);
          if (total !== undefined)
            entryCount.prime({ cvr, systems: filter.systems, kinds: filter.kinds, from: filter.from, to: filter.to }, total);
        }
        return groupByCvr(entries, cvrs);
      },
    ),
    entryCount,
    /** Entries by evidence key (source|key). */
    entry: keyedLoader((keys) => store.entriesByKeys(db, keys), entryKey),
    lastBySystem: part<ContactEntryRecord[]>((f) => f.lastBySystem, []),
    activeActors: part<string[]>((f) => f.activeActors, []),
    followUps: part<FollowUpRecord[]>((f) => f.followUps, []),
    courses: groupedLoader<store.NeedPlace & { limit: number }, SuggestionRecord[]>(
      (k) => k.limit,
      async (keys) => {
        const found = await store.courseSuggestions(db, keys, keys[0]!.limit, day);
        return keys.map((k) => found.get(k.key) ?? []);
      },
    ),
    overlapEntries: groupedLoader<{ cvr: string; from: string; to: string }, ContactEntryRecord[]>(
      ({ from, to }) => [from, to],
      async (keys) => {
        const window = { systems: null, kinds: null, from: keys[0]!.from, to: keys[0]!.to };
        return groupByCvr(
          (
            await store.entryPages(
              db,
              keys.map((k) => k.cvr),
              window,
              OVERLAP_CONTACTS,
              null,
            )
          ).entries,
          keys.map((k) => k.cvr),
        );
      },
    ),
  };
}

// Joins the request context's Loaders (src/graphql/context.ts) under the connector's name.
declare module '../../src/graphql/context.js' {
  interface Loaders {
    insights: ReturnType<typeof insightsLoaders>;
  }
}
