import type { Resolvers } from '../../src/generated/graphql.js';
import { connectionFrom, decodeCursor, fromGlobalId, pageSize, toGlobalId } from '../../src/graphql/pagination.js';
import type { UserError } from './domain.js';
import { correctContact, recordContact, withdrawContact } from './writes.js';

const today = () => new Date().toISOString().slice(0, 10);

/** A contact id from the API is a global id; anything else is an unknown contact, not a fault. */
function contactUuid(id: string): string | null {
  const gid = fromGlobalId(id);
  return gid?.type === 'Contact' && /^[0-9a-f-]{36}$/.test(gid.key) ? gid.key : null;
}

const unknownId: UserError[] = [{ field: ['input', 'id'], message: 'no contact with this id' }];

export const resolvers: Resolvers = {
  Mutation: {
    contactRecord: (_, { input }, ctx) =>
      recordContact(ctx.db, { ...input, topics: input.topics ?? [] }, ctx.principal.id, today()),
    async contactCorrect(_, { input }, ctx) {
      const id = contactUuid(input.id);
      if (!id) return { contact: null, userErrors: unknownId };
      return correctContact(ctx.db, { ...input, id, topics: input.topics ?? [] }, ctx.principal.id, today());
    },
    async contactWithdraw(_, { input }, ctx) {
      const id = contactUuid(input.id);
      if (!id) return { contact: null, userErrors: unknownId };
      return withdrawContact(ctx.db, { ...input, id }, ctx.principal.id);
    },
  },
  Company: {
    async contacts(company, args, ctx) {
      const first = pageSize(args.first);
      const key = decodeCursor(args.after, 2);
      const rows = await ctx.loaders.coordination.contacts(company.cvr, {
        systems: args.systems ?? null,
        from: args.from ?? null,
        to: args.to ?? null,
        limit: first + 1,
        after: key ? [String(key[0]), String(key[1])] : null,
      });
      return connectionFrom(rows, first, key !== null, (c) => [c.date, c.id], (c) => c);
    },
  },
  Contact: {
    id: (c) => toGlobalId('Contact', c.id),
    company: (c) => ({ cvr: c.cvr }),
  },
};
