import { municipalityRef } from '../../src/graphql/common-resolvers.js';
import { byGlobalId } from '../../src/graphql/loaders.js';
import { connectionFrom, decodeCursor, pageSize, toGlobalId } from '../../src/graphql/pagination.js';
import type { Context } from '../../src/graphql/context.js';
import type { Resolvers } from '../../src/generated/graphql.js';
import { PLAN_REQUIRED, type UnmatchedRecord } from './domain.js';
import { countUnmatched, unmatchedRecords } from './store.js';

/** The ingest sources that make up "the CRM" for provenance. */
export const CRM_SOURCES = ['crm-accounts', 'crm-meetings', 'crm-programmes', 'crm-referrals'];

function unmatchedReason(r: UnmatchedRecord): string {
  const candidates = r.nameCandidates ?? 0;
  const why = !r.companyName
    ? 'no company name'
    : !r.municipalityCode
      ? 'no known municipality to match the name in'
      : candidates === 0
        ? 'no registry company with this name in this municipality'
        : `${candidates} registry companies with this name in this municipality`;
  return [r.problem, why].filter(Boolean).join('; ');
}

const stringPair = (key: unknown[] | null): [string, string] | null => (key ? [String(key[0]), String(key[1])] : null);

export const resolvers: Resolvers = {
  Query: {
    async unmatchedCrmRecords(_, args, ctx) {
      const first = pageSize(args.first);
      const after = stringPair(decodeCursor(args.after, 2));
      const [rows, totalCount] = await Promise.all([
        first === 0 ? Promise.resolve([]) : unmatchedRecords(ctx.db, first + 1, after),
        countUnmatched(ctx.db),
      ]);
      return {
        ...connectionFrom(
          rows,
          first,
          after !== null,
          (r) => [r.kind, r.key],
          (r) => r,
        ),
        totalCount,
      };
    },
  },
  Company: {
    growth: (c) => ({ cvr: c.cvr }),
  },
  Growth: {
    account: (g, _, ctx) => ctx.loaders.crm.account.load(g.cvr),
    programmes: (g, _, ctx) => ctx.loaders.crm.programmes.load(g.cvr),
    competencePlanMissing: async (g, _, ctx) =>
      (await ctx.loaders.crm.programmes.load(g.cvr)).some(
        (p) => PLAN_REQUIRED.includes(p.kind) && p.status !== 'CANCELLED' && p.competencePlanAgreed !== true,
      ),
    async meetings(g, args, ctx) {
      const first = pageSize(args.first, 10);
      const after = stringPair(decodeCursor(args.after, 2));
      const page = await ctx.loaders.crm.meetings.load({ cvr: g.cvr, fetch: first + 1, after });
      return {
        ...connectionFrom(
          page.meetings,
          first,
          after !== null,
          (m) => [m.date, m.key],
          (m) => m,
        ),
        totalCount: page.total,
      };
    },
    referrals: (g, _, ctx) => ctx.loaders.crm.referrals.load(g.cvr),
    source: async (_g, _, ctx: Context) => {
      const synced = (await ctx.loaders.syncedAt.loadMany(CRM_SOURCES)).filter((d): d is Date => d instanceof Date);
      return { name: 'crm', syncedAt: synced.length ? new Date(Math.max(...synced.map((d) => d.getTime()))) : null };
    },
  },
  GrowthAccount: {
    advisor: (a) => ({ ...a.advisor, cvr: a.cvr }),
  },
  GuidanceProgramme: {
    __resolveReference: (ref, ctx) => byGlobalId(ref.id, 'GuidanceProgramme', ctx.loaders.crm.programme),
    id: (r) => toGlobalId('GuidanceProgramme', r.key),
    advisor: (p) => (p.advisor ? { ...p.advisor, cvr: p.cvr } : null),
  },
  Meeting: {
    __resolveReference: (ref, ctx) => byGlobalId(ref.id, 'Meeting', ctx.loaders.crm.meeting),
    id: (r) => toGlobalId('Meeting', r.key),
    advisor: (m) => ({ ...m.advisor, cvr: m.cvr }),
  },
  Referral: {
    __resolveReference: (ref, ctx) => byGlobalId(ref.id, 'Referral', ctx.loaders.crm.referral),
    id: (r) => toGlobalId('Referral', r.key),
  },
  UnmatchedCrmRecord: {
    municipality: (r) => municipalityRef(r.municipalityCode),
    reason: unmatchedReason,
    nameCandidates: (r) => r.nameCandidates ?? 0,
  },
};
