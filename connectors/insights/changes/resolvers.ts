import type { Resolvers } from '../../../src/generated/graphql.js';
import { configuredSyncs } from '../../../src/sync/freshness.js';
import { syncStatuses } from '../../../src/sync/status.js';
import { changesPageSize, decodeChangeCursor, encodeChangeCursor, readChanges } from './feed.js';

export const changeResolvers: Resolvers = {
  Query: {
    sources: async (_, __, ctx) => syncStatuses(ctx.db, configuredSyncs()),
    async companyChanges(_, args, ctx) {
      const first = changesPageSize(args.first);
      const start = BigInt(args.afterSequence ?? '0');
      const { from, last } = args.after ? decodeChangeCursor(args.after) : { from: start, last: start };
      const rows = first === 0 ? [] : await readChanges(ctx.db, from, last, first + 1);
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
