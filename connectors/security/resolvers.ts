import type { Resolvers } from '../../src/generated/graphql.js';
import { connectionFrom, decodeCursor, pageSize } from '../../src/graphql/pagination.js';
import type { Principal } from '../../src/security/principal.js';
import type { CallerRecord, CallerView } from '../../src/security/records.js';
import { accessLogEntries, countAccessLog, listCallers } from '../../src/security/store.js';

const KINDS = { developer: 'DEVELOPER', key: 'API_KEY', token: 'TOKEN' } as const;

const fromPrincipal = (p: Principal): CallerView => ({
  name: p.id,
  kind: KINDS[p.kind],
  scopes: p.scopes,
  organisations: p.organisations,
  rateLimit: p.rateLimit,
  keyHint: null,
  createdAt: null,
  revokedAt: null,
});

const fromRecord = (c: CallerRecord): CallerView => ({ ...c, kind: 'API_KEY' });

export const resolvers: Resolvers = {
  Query: {
    viewer: (_, __, ctx) => fromPrincipal(ctx.principal),
    callers: async (_, __, ctx) => (await listCallers(ctx.db)).map(fromRecord),
    async accessLog(_, args, ctx) {
      const first = pageSize(args.first);
      const cursor = decodeCursor(args.after, 1);
      const before = cursor ? Number(cursor[0]) : null;
      const filter = { cvr: args.cvr, caller: args.caller, since: args.since };
      const [rows, totalCount] = await Promise.all([
        first === 0 ? Promise.resolve([]) : accessLogEntries(ctx.db, filter, first + 1, before),
        countAccessLog(ctx.db, filter),
      ]);
      return {
        ...connectionFrom(
          rows,
          first,
          cursor !== null,
          (r) => [r.id],
          (r) => r,
        ),
        totalCount,
      };
    },
  },
  Caller: {
    organisations: (c) => (c.organisations === '*' ? [] : c.organisations),
    anyOrganisation: (c) => c.organisations === '*',
  },
};
