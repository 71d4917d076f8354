import DataLoader from 'dataloader';
import type { RequestScope } from '../../src/connector.js';
import type { Db } from '../../src/db/database.js';
import { groupedLoader, keyedLoader } from '../../src/graphql/loaders.js';
import {
  MEASURE_KINDS,
  type BalanceRecord,
  type JobOrderRecord,
  type LayoffRecord,
  type MeasureKind,
  type SupplyRecord,
  type VacancyRecord,
  type VacancyStatus,
} from './domain.js';
import * as store from './store.js';

const byCvr = <T extends { cvr: string | null }>(rows: T[]) => {
  const m = new Map<string, T[]>();
  for (const r of rows) {
    if (!r.cvr) continue;
    const list = m.get(r.cvr);
    if (list) list.push(r);
    else m.set(r.cvr, [r]);
  }
  return m;
};

export interface PageKey {
  cvr: string;
  /** Rows to fetch (page size + 1, to know whether more follow). */
  limit: number;
  after: unknown[] | null;
}

export function jobcentreLoaders(db: Db, request: RequestScope) {
  // One "today" per request, so every field of an answer applies the open rule to the same day.
  const day = request.today;
  return {
    // `columns`: the narrow columns a list's prefetch read the page with (prefetch.ts); a page loaded here
    // has whole rows, which serve any of them.
    vacancies: groupedLoader<PageKey & { status: VacancyStatus | null; columns: readonly string[] | null }, VacancyRecord[]>(
      ({ cvr: _, ...args }) => args,
      async (keys) => {
        const { status, limit, after } = keys[0]!;
        const found = byCvr(
          await store.vacanciesOfCompanies(
            db,
            keys.map((k) => k.cvr),
            status,
            day,
            { limit, after },
          ),
        );
        return keys.map((k) => found.get(k.cvr) ?? []);
      },
    ),
    vacancyCount: groupedLoader<{ cvr: string; status: VacancyStatus | null }, number>(
      (k) => k.status,
      async (keys) => {
        const counts = await store.countVacanciesOfCompanies(
          db,
          keys.map((k) => k.cvr),
          keys[0]!.status,
          day,
        );
        return keys.map((k) => counts.get(k.cvr) ?? 0);
      },
    ),
    jobOrders: groupedLoader<PageKey, JobOrderRecord[]>(
      ({ cvr: _, ...args }) => args,
      async (keys) => {
        const { limit, after } = keys[0]!;
        const found = byCvr(
          await store.jobOrdersOfCompanies(
            db,
            keys.map((k) => k.cvr),
            { limit, after },
          ),
        );
        return keys.map((k) => found.get(k.cvr) ?? []);
      },
    ),
    jobOrderCount: new DataLoader<string, number>(async (cvrs) => {
      const counts = await store.countJobOrdersOfCompanies(db, cvrs);
      return cvrs.map((c) => counts.get(c) ?? 0);
    }),
    measures: groupedLoader<{ cvr: string; from: string | null; to: string | null }, { kind: MeasureKind; count: number }[]>(
      ({ from, to }) => [from, to],
      async (keys) => {
        const sums = await store.measureSums(
          db,
          keys.map((k) => k.cvr),
          keys[0]!.from,
          keys[0]!.to,
        );
        return keys.map((k) =>
          MEASURE_KINDS.map((kind) => ({ kind, count: sums.find((s) => s.cvr === k.cvr && s.kind === kind)?.count ?? 0 })),
        );
      },
    ),
    layoffs: new DataLoader<string, LayoffRecord[]>(async (cvrs) => {
      const found = byCvr(await store.layoffsOfCompanies(db, cvrs));
      return cvrs.map((c) => found.get(c) ?? []);
    }),
    /** By key, for references from other subgraphs (signal evidence, the contact timeline). */
    vacancy: keyedLoader(
      (ids) => store.vacanciesByIds(db, ids),
      (v) => v.id,
    ),
    jobOrder: keyedLoader(
      (ids) => store.jobOrdersByIds(db, ids),
      (o) => o.id,
    ),
    layoff: keyedLoader(
      (keys) => store.layoffsByKeys(db, keys),
      (l) => l.key,
    ),
    balance: groupedLoader<{ disco: string; area: string; period: string | null }, BalanceRecord | null>(
      (k) => k.period,
      async (keys) => {
        const rows = await store.balancesFor(db, keys, keys[0]!.period);
        return keys.map((k) => rows.find((r) => r.disco === k.disco && r.area === k.area) ?? null);
      },
    ),
    supply: new DataLoader<{ disco: string; area: string }, SupplyRecord | null, string>(
      async (keys) => {
        const rows = await store.suppliesFor(db, keys);
        return keys.map((k) => rows.find((r) => r.disco === k.disco && r.area === k.area) ?? null);
      },
      { cacheKeyFn: (k) => `${k.disco}|${k.area}` },
    ),
  };
}

// Joins the request context's Loaders (src/graphql/context.ts) under the connector's name.
declare module '../../src/graphql/context.js' {
  interface Loaders {
    jobcentre: ReturnType<typeof jobcentreLoaders>;
  }
}
