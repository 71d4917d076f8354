import { fromGlobalId, toGlobalId } from '../../src/graphql/pagination.js';
import type { Context } from '../../src/graphql/context.js';
import type { Resolvers } from '../../src/generated/graphql.js';
import { industryView } from '../../src/codes/industries.js';
import { municipalityRef } from '../../src/graphql/common-resolvers.js';
import { bandLabel, type CompanyRecord } from './domain.js';

const record = async (cvr: string, ctx: Context): Promise<CompanyRecord> => {
  const c = await ctx.loaders.registry.company.load(cvr);
  if (!c) throw new Error(`company ${cvr} vanished from the registry`);
  return c;
};

export const resolvers: Resolvers = {
  Query: {
    async company(_, { cvr }, ctx) {
      return (await ctx.loaders.registry.company.load(cvr)) ? { cvr } : null;
    },
    async node(_, { id }, ctx) {
      const gid = fromGlobalId(id);
      if (gid?.type === 'Company') return (await ctx.loaders.registry.company.load(gid.key)) ? { cvr: gid.key } : null;
      return null;
    },
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
    industry: async (c, _, ctx) => {
      const i = (await record(c.cvr, ctx)).industry;
      return i ? { code: i.code, version: i.version, ...industryView(i.code, i.title, i.version) } : null;
    },
    employees: async (c, _, ctx) => {
      const e = (await record(c.cvr, ctx)).employees;
      return e ? { ...e, bandLabel: e.band ? bandLabel(e.band) : null } : null;
    },
    productionUnits: async (c, _, ctx) => (await record(c.cvr, ctx)).productionUnits.map((pNumber) => ({ pNumber })),
    source: async (_c, _, ctx) => ({ name: 'cvr', syncedAt: await ctx.loaders.syncedAt.load('cvr') }),
  },
};
