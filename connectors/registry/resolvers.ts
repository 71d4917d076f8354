import { fromGlobalId, toGlobalId } from '../../src/graphql/pagination.js';
import type { Context } from '../../src/graphql/context.js';
import type { Resolvers } from '../../src/generated/graphql.js';
import { industryView } from '../../src/codes/industries.js';
import { municipalityRef } from '../../src/graphql/common-resolvers.js';
import {
  bandLabel,
  type AddressRecord,
  type CompanyRecord,
  type EmployeesRecord,
  type IndustryRecord,
  type ProductionUnitRecord,
} from './domain.js';

const record = async (cvr: string, ctx: Context): Promise<CompanyRecord> => {
  const c = await ctx.loaders.registry.company.load(cvr);
  if (!c) throw new Error(`company ${cvr} vanished from the registry`);
  return c;
};

/** The Address object: the record plus "street" (street name and house number, as written on a letter). */
// careOf stays in the schema for the clients that ask for it, always null (see its description).
const address = (a: AddressRecord | null) =>
  a ? { street: [a.streetName, a.houseNumber].filter(Boolean).join(' ') || null, careOf: null, ...a } : null;

/** The Industry object: the code as given, read in its code list (DB07's title where the code is DB07's). */
const industry = (i: IndustryRecord | null) =>
  i ? { code: i.code, version: i.version, ...industryView(i.code, i.title, i.version) } : null;

const employees = (e: EmployeesRecord | null) => (e ? { ...e, bandLabel: e.band ? bandLabel(e.band) : null } : null);

const productionUnit = (u: ProductionUnitRecord) => ({
  pNumber: u.pNumber,
  name: u.name,
  statusText: u.statusText,
  address: address(u.address),
  municipality: municipalityRef(u.municipalityCode),
  industry: industry(u.industry),
  employees: employees(u.employees),
});

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
    name: async (c, _, ctx) => {
      const listed = ctx.loaders.registry.names.get(c.cvr);
      return listed !== undefined ? listed : (await record(c.cvr, ctx)).name;
    },
    legalForm: async (c, _, ctx) => (await record(c.cvr, ctx)).legalForm,
    status: async (c, _, ctx) => (await record(c.cvr, ctx)).status,
    statusText: async (c, _, ctx) => (await record(c.cvr, ctx)).statusText,
    founded: async (c, _, ctx) => (await record(c.cvr, ctx)).founded,
    address: async (c, _, ctx) => address((await record(c.cvr, ctx)).address),
    municipality: async (c, _, ctx) => municipalityRef((await record(c.cvr, ctx)).municipalityCode),
    industry: async (c, _, ctx) => industry((await record(c.cvr, ctx)).industry),
    employees: async (c, _, ctx) => employees((await record(c.cvr, ctx)).employees),
    productionUnits: async (c, _, ctx) => (await ctx.loaders.registry.productionUnits.load(c.cvr)).map(productionUnit),
    source: async (_c, _, ctx) => ({ name: 'cvr', syncedAt: await ctx.loaders.syncedAt.load('cvr') }),
  },
};
