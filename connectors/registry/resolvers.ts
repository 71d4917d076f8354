import { badInput } from '../../src/graphql/errors.js';
import { connectionFrom, decodeCursor, fromGlobalId, pageSize, toGlobalId } from '../../src/graphql/pagination.js';
import type { Context } from '../../src/graphql/context.js';
import type { Resolvers } from '../../src/generated/graphql.js';
import { municipalityByCode } from '../../src/codes/lists.js';
import { municipalityRef } from '../../src/graphql/common-resolvers.js';
import { bandLabel, type CompanyRecord } from './domain.js';
import { countCompanies, findCompanies, orderKey, type CompanyFilter, type CompanyOrder } from './store.js';

const record = async (cvr: string, ctx: Context): Promise<CompanyRecord> => {
  const c = await ctx.loaders.registry.company.load(cvr);
  if (!c) throw new Error(`company ${cvr} vanished from the registry`);
  return c;
};

function checkFilter(f: CompanyFilter | null | undefined): CompanyFilter {
  if (!f) return {};
  if (f.municipality != null && !municipalityByCode(f.municipality)) {
    throw badInput('filter.municipality', `${JSON.stringify(f.municipality)} is not a Danish municipality code (3 digits, e.g. "657")`);
  }
  if (f.industry != null && !/^\d{1,6}$/.test(f.industry)) throw badInput('filter.industry', 'an industry code prefix is 1 to 6 digits');
  if (f.name != null && f.name.trim().length < 2) throw badInput('filter.name', 'give at least 2 characters');
  return { ...f, name: f.name?.trim() };
}

export const resolvers: Resolvers = {
  Query: {
    async company(_, { cvr }, ctx) {
      return (await ctx.loaders.registry.company.load(cvr)) ? { cvr } : null;
    },
    async companies(_, args, ctx) {
      const first = pageSize(args.first);
      const order = (args.orderBy ?? 'NAME_ASC') as CompanyOrder;
      const filter = checkFilter(args.filter as CompanyFilter | null);
      const after = decodeCursor(args.after, order === 'NAME_ASC' ? 2 : 1);
      const rows = first === 0 ? [] : await findCompanies(ctx.db, filter, order, first + 1, after);
      // The count query only runs when a client asks for totalCount.
      const count = () => countCompanies(ctx.db, filter);
      // The page already holds full records: later field resolvers read them from the loader cache.
      for (const c of rows) ctx.loaders.registry.company.prime(c.cvr, c);
      return { ...connectionFrom(rows, first, after !== null, (c) => orderKey(order, c), (c) => ({ cvr: c.cvr })), count };
    },
    async node(_, { id }, ctx) {
      const gid = fromGlobalId(id);
      if (gid?.type === 'Company') return (await ctx.loaders.registry.company.load(gid.key)) ? { cvr: gid.key } : null;
      return null;
    },
  },
  CompanyConnection: {
    totalCount: (page) => page.count(),
  },
  Node: {
    __resolveType: () => 'Company',
  },
  Company: {
    async __resolveReference(ref, ctx) {
      return (await ctx.loaders.registry.company.load(ref.cvr)) ? { cvr: ref.cvr } : null;
    },
    id: (c) => toGlobalId('Company', c.cvr),
    cvr: (c) => c.cvr,
    name: async (c, _, ctx) => (await record(c.cvr, ctx)).name,
    legalForm: async (c, _, ctx) => (await record(c.cvr, ctx)).legalForm,
    status: async (c, _, ctx) => (await record(c.cvr, ctx)).status,
    statusText: async (c, _, ctx) => (await record(c.cvr, ctx)).statusText,
    founded: async (c, _, ctx) => (await record(c.cvr, ctx)).founded,
    address: async (c, _, ctx) => {
      const a = (await record(c.cvr, ctx)).address;
      if (!a) return null;
      const street = [a.streetName, a.houseNumber].filter(Boolean).join(' ') || null;
      return { street, ...a };
    },
    municipality: async (c, _, ctx) => municipalityRef((await record(c.cvr, ctx)).municipalityCode),
    industry: async (c, _, ctx) => (await record(c.cvr, ctx)).industry,
    employees: async (c, _, ctx) => {
      const e = (await record(c.cvr, ctx)).employees;
      return e ? { ...e, bandLabel: e.band ? bandLabel(e.band) : null } : null;
    },
    productionUnits: async (c, _, ctx) => (await record(c.cvr, ctx)).productionUnits.map((pNumber) => ({ pNumber })),
    source: async (_c, _, ctx) => ({ name: 'cvr', syncedAt: await ctx.loaders.syncedAt.load('cvr') }),
  },
};
