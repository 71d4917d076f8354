import { areaByCode, areaOfMunicipality } from '../../src/codes/areas.js';
import { municipalityRef, occupationRef } from '../../src/graphql/common-resolvers.js';
import type { Context } from '../../src/graphql/context.js';
import { badInput } from '../../src/graphql/errors.js';
import { byGlobalId } from '../../src/graphql/loaders.js';
import { connectionFrom, decodeCursor, pageSize, toGlobalId } from '../../src/graphql/pagination.js';
import type { Resolvers } from '../../src/generated/graphql.js';
import { resolveArea } from './codes.js';
import {
  halfYear,
  monthPeriod,
  vacancyStatus,
  type BalanceCategory,
  type OccupationLabelRecord,
  type UnmatchedVacancyReason,
  type VacancyRecord,
  type VacancyStatus,
} from './domain.js';
import { vacancyPage } from './prefetch.js';
import { operationFields } from '../../src/prefetch.js';
import * as store from './store.js';

const SOURCES = ['jobnet', 'joborders', 'measures', 'layoffs'] as const;

const vacancyKey = (v: VacancyRecord) => [v.postedAt, v.id];
const labelKey = (l: OccupationLabelRecord) => [l.count, l.label];

function areaArg(text: string, argument = 'area'): string {
  const a = resolveArea(text);
  if (!a)
    throw badInput(argument, `${JSON.stringify(text)} is not a labour-market area code or name (e.g. "RAR-VEST" or "RAR Vestjylland")`);
  return a.code;
}

function halfYearArg(text: string | null | undefined, argument = 'period'): string | null {
  if (text == null) return null;
  const p = halfYear(text);
  if (!p) throw badInput(argument, `${JSON.stringify(text)} is not a half-year (e.g. "2025H2")`);
  return p;
}

function monthArg(text: string | null | undefined, argument: string): string | null {
  if (text == null) return null;
  const m = monthPeriod(text);
  if (!m) throw badInput(argument, `${JSON.stringify(text)} is not a month, yyyy-mm (e.g. "2025-01")`);
  return m;
}

const areaObject = (code: string) => {
  const a = areaByCode(code);
  return { code, name: a?.name ?? code };
};

async function sourceInfo(name: string, ctx: Context) {
  return { name, syncedAt: await ctx.loaders.syncedAt.load(name) };
}

export const resolvers: Resolvers = {
  Query: {
    occupation: (_, { disco }) => occupationRef(disco),
    async labourMarketBalance(_, args, ctx) {
      const area = areaArg(args.area);
      const first = pageSize(args.first);
      const category = (args.category ?? null) as BalanceCategory | null;
      const period = halfYearArg(args.period) ?? (await store.latestBalancePeriod(ctx.db, area));
      const after = decodeCursor(args.after, 1);
      if (!period)
        return {
          ...connectionFrom(
            [],
            first,
            after !== null,
            () => [],
            (b) => b,
          ),
          count: async () => 0,
        };
      const rows = await store.balanceOfArea(ctx.db, area, period, category, { limit: first + 1, after });
      return {
        ...connectionFrom(
          rows,
          first,
          after !== null,
          (b) => [b.disco],
          (b) => b,
        ),
        count: () => store.countBalanceOfArea(ctx.db, area, period, category),
      };
    },
    async unmatchedVacancies(_, args, ctx) {
      const first = pageSize(args.first);
      const status = (args.status ?? null) as VacancyStatus | null;
      const reason = (args.reason ?? null) as UnmatchedVacancyReason | null;
      const after = decodeCursor(args.after, 2);
      const day = ctx.today;
      const rows = await store.unmatchedVacancies(ctx.db, status, reason, day, { limit: first + 1, after });
      return {
        ...connectionFrom(rows, first, after !== null, vacancyKey, (v) => v),
        count: () => store.countUnmatchedVacancies(ctx.db, status, reason, day),
      };
    },
    async unmappedOccupationLabels(_, args, ctx) {
      const first = pageSize(args.first);
      const after = decodeCursor(args.after, 2);
      const rows = await store.unmappedOccupationLabels(ctx.db, { limit: first + 1, after });
      return {
        ...connectionFrom(rows, first, after !== null, labelKey, (l) => l),
        count: () => store.countUnmappedOccupationLabels(ctx.db),
      };
    },
  },
  Company: {
    recruitment: (c) => ({ cvr: c.cvr }),
  },
  Recruitment: {
    async vacancies(r, args, ctx, info) {
      const page = vacancyPage(args, operationFields(info));
      // A list of companies may have loaded this page already, in its own statement (prefetch.ts).
      const rows = await ctx.loaders.jobcentre.vacancies.load({ cvr: r.cvr, ...page });
      return {
        ...connectionFrom(rows, page.limit - 1, page.after !== null, vacancyKey, (v) => v),
        count: () => ctx.loaders.jobcentre.vacancyCount.load({ cvr: r.cvr, status: page.status }),
      };
    },
    async jobOrders(r, args, ctx) {
      const first = pageSize(args.first);
      const after = decodeCursor(args.after, 2);
      const rows = await ctx.loaders.jobcentre.jobOrders.load({ cvr: r.cvr, limit: first + 1, after });
      return {
        ...connectionFrom(rows, first, after !== null, store.jobOrderKey, (o) => o),
        count: () => ctx.loaders.jobcentre.jobOrderCount.load(r.cvr),
      };
    },
    measures(r, args, ctx) {
      const from = monthArg(args.from, 'from');
      const to = monthArg(args.to, 'to');
      if (from && to && from > to) throw badInput('from', `${from} is after to (${to})`);
      return ctx.loaders.jobcentre.measures.load({ cvr: r.cvr, from, to });
    },
    layoffNotices: (r, _, ctx) => ctx.loaders.jobcentre.layoffs.load(r.cvr),
    source: (_r, _, ctx) => sourceInfo('jobnet', ctx),
    sources: (_r, _, ctx) => Promise.all(SOURCES.map((s) => sourceInfo(s, ctx))),
  },
  VacancyConnection: { totalCount: (page) => page.count() },
  JobOrderConnection: { totalCount: (page) => page.count() },
  BalanceConnection: { totalCount: (page) => page.count() },
  OccupationLabelConnection: { totalCount: (page) => page.count() },
  Vacancy: {
    __resolveReference: (ref, ctx) => ctx.loaders.jobcentre.vacancy.load(ref.id),
    adId: (v) => v.id,
    occupation: (v) => occupationRef(v.disco),
    status: (v, _, ctx) => vacancyStatus(v, ctx.today),
    hiringOrg: (v) => ({ name: v.hiringOrgName, cvrAsGiven: v.hiringOrgCvr }),
    workplace: (v) => (Object.values(v.workplace).some((x) => x !== null) ? v.workplace : null),
  },
  Workplace: {
    municipality: (w) => municipalityRef(w.municipalityCode),
    area: (w) => {
      const a = w.municipalityCode ? areaOfMunicipality(w.municipalityCode) : undefined;
      return a ? { code: a.code, name: a.name } : null;
    },
  },
  JobOrder: {
    __resolveReference: (ref, ctx) => ctx.loaders.jobcentre.jobOrder.load(ref.id),
    orderId: (o) => o.id,
    occupation: (o) => occupationRef(o.disco),
  },
  LayoffNotice: {
    __resolveReference: (ref, ctx) => byGlobalId(ref.id, 'LayoffNotice', ctx.loaders.jobcentre.layoff),
    id: (l) => toGlobalId('LayoffNotice', l.key),
  },
  OccupationBalance: {
    occupation: (b) => ({ disco: b.disco }),
    area: (b) => areaObject(b.area),
  },
  UnemployedSupply: {
    occupation: (s) => ({ disco: s.disco }),
    area: (s) => areaObject(s.area),
  },
  Occupation: {
    balance: (o, args, ctx) =>
      ctx.loaders.jobcentre.balance.load({ disco: o.disco, area: areaArg(args.area), period: halfYearArg(args.period) }),
    unemployedSupply: (o, args, ctx) => ctx.loaders.jobcentre.supply.load({ disco: o.disco, area: areaArg(args.area) }),
  },
};
