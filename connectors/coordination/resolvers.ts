import type { Resolvers } from '../../src/generated/graphql.js';
import { byGlobalId } from '../../src/graphql/loaders.js';
import { fromGlobalId, toGlobalId } from '../../src/graphql/pagination.js';
import type { UserError } from './domain.js';
import { correctContact, recordContact, withdrawContact } from './writes.js';

/** A contact id from the API is a global id; anything else is an unknown contact, not a fault. */
function contactUuid(id: string): string | null {
  const gid = fromGlobalId(id);
  return gid?.type === 'Contact' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(gid.key) ? gid.key : null;
}

const unknownId: UserError[] = [{ field: ['input', 'id'], message: 'no contact with this id' }];

export const resolvers: Resolvers = {
  Mutation: {
    contactRecord: (_, { input }, ctx) => recordContact(ctx.sharedDb, { ...input, topics: input.topics ?? [] }, ctx.principal, ctx.today),
    async contactCorrect(_, { input }, ctx) {
      const uuid = contactUuid(input.id);
      if (!uuid) return { contact: null, userErrors: unknownId };
      return correctContact(ctx.sharedDb, { ...input, uuid, topics: input.topics ?? [] }, ctx.principal, ctx.today);
    },
    async contactWithdraw(_, { input }, ctx) {
      const uuid = contactUuid(input.id);
      if (!uuid) return { contact: null, userErrors: unknownId };
      return withdrawContact(ctx.sharedDb, { ...input, uuid }, ctx.principal);
    },
  },
  Contact: {
    __resolveReference: (ref, ctx) => byGlobalId(ref.id, 'Contact', ctx.loaders.coordination.contact),
    id: (c) => toGlobalId('Contact', c.uuid),
    company: (c) => ({ cvr: c.cvr }),
  },
};
