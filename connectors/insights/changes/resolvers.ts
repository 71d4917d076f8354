import type { Resolvers } from '../../../src/generated/graphql.js';
import { configuredSyncs } from '../../../src/sync/freshness.js';
import { syncStatuses } from '../../../src/sync/status.js';
import { listDeliveries, subscribe } from './webhooks.js';
import { badInput } from '../../../src/graphql/errors.js';
import { changesPageSize, decodeChangeCursor, encodeChangeCursor, municipalityFilter, readChanges } from './feed.js';

export const changeResolvers: Resolvers = {
  Mutation: {
    webhookSubscribe: (_, args, ctx) => subscribe(ctx.db, ctx.principal?.id ?? null, args.input) as never,
  },
  Query: {
    sources: async (_, __, ctx) => syncStatuses(ctx.db, configuredSyncs()),
    async webhookDeliveries(_, args, ctx) {
      const first = args.first ?? 20;
      if (!Number.isInteger(first) || first < 1 || first > 100) throw badInput('first', `must be between 1 and 100, got ${first}`);
      if (args.subscription != null && !/^\d{1,18}$/.test(args.subscription)) throw badInput('subscription', 'is not a subscription id');
      return listDeliveries(ctx.db, args.subscription ?? null, first) as never;
    },
    async companyChanges(_, args, ctx) {
      const first = changesPageSize(args.first);
      const start = BigInt(args.afterSequence ?? '0');
      const { from, last } = args.after != null ? decodeChangeCursor(args.after) : { from: start, last: start };
      const filter = { sections: args.sections ?? null, municipality: municipalityFilter(args.municipality) };
      const rows = first === 0 ? [] : await readChanges(ctx.db, from, last, first + 1, filter);
      const page = rows.slice(0, first);
      const edges = page.map((r) => ({ cursor: encodeChangeCursor(from, r.sequence), node: { ...r, company: { cvr: r.cvr } } }));
      return {
        edges,
        pageInfo: {
          hasNextPage: rows.length > first,
          hasPreviousPage: args.after != null,
          startCursor: edges[0]?.cursor ?? null,
          endCursor: edges.at(-1)?.cursor ?? null,
        },
      };
    },
  },
};
