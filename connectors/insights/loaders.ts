import DataLoader from 'dataloader';
import type { RequestScope } from '../../src/connector.js';
import type { Db } from '../../src/db/database.js';
import { groupByCvr, groupedLoader, keyedLoader } from '../../src/graphql/loaders.js';
import { addDays, addMonths } from '../../src/today.js';
import { insightsConfig } from './config.js';
import { entryKey, type ContactEntryRecord, type FollowUpRecord, type NeedRecord, type ProfileRecord, type SignalRecord, type SuggestionRecord } from './domain.js';
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
  return {
    profile: keyedLoader((cvrs) => store.profilesByCvr(db, cvrs), (p: ProfileRecord) => p.cvr),
    signals: new DataLoader<string, SignalRecord[]>(async (cvrs) => groupByCvr(await store.signalsByCvr(db, cvrs), cvrs)),
    needs: new DataLoader<string, NeedRecord[]>(async (cvrs) => groupByCvr(await store.needsByCvr(db, cvrs), cvrs)),
    entries: groupedLoader<EntryPageKey, ContactEntryRecord[]>(
      ({ cvr: _, ...args }) => args,
      async (keys) => {
        const { cvr: _, limit, after, ...filter } = keys[0]!;
        return groupByCvr(await store.entryPages(db, keys.map((k) => k.cvr), filter, limit, after), keys.map((k) => k.cvr));
      },
    ),
    entryCount: groupedLoader<store.EntryFilter & { cvr: string }, number>(
      ({ cvr: _, ...filter }) => filter,
      async (keys) => {
        const { cvr: _, ...filter } = keys[0]!;
        const counts = await store.countEntries(db, keys.map((k) => k.cvr), filter);
        return keys.map((k) => counts.get(k.cvr) ?? 0);
      },
    ),
    /** Entries by evidence key (source|key). */
    entry: keyedLoader((keys) => store.entriesByKeys(db, keys), entryKey),
    lastBySystem: new DataLoader<string, ContactEntryRecord[]>(async (cvrs) => groupByCvr(await store.lastBySystem(db, cvrs, day), cvrs)),
    activeActors: new DataLoader<string, string[]>(async (cvrs) => {
      const rows = await store.activeActors(db, cvrs, addMonths(day, -cfg.coordination.activeActorMonths), day);
      return groupByCvr(rows, cvrs).map((r) => r.map((x) => x.organisation));
    }),
    followUps: new DataLoader<string, FollowUpRecord[]>(async (cvrs) => {
      const rows = await store.followUpsDue(db, cvrs, day, addDays(day, cfg.coordination.followUpHorizonDays));
      return groupByCvr(rows.map((f) => ({ ...f, cvr: f.entry.cvr })), cvrs);
    }),
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
        return groupByCvr(await store.entryPages(db, keys.map((k) => k.cvr), window, OVERLAP_CONTACTS, null), keys.map((k) => k.cvr));
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
