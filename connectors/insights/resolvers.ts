import { sql } from 'kysely';
import { areaByCode, municipalitiesInArea, resolveArea } from '../../src/codes/areas.js';
import { municipalityByCode } from '../../src/codes/lists.js';
import { occupationByCode } from '../../src/codes/occupations.js';
import type { Resolvers } from '../../src/generated/graphql.js';
import { occupationRef } from '../../src/graphql/common-resolvers.js';
import type { Context } from '../../src/graphql/context.js';
import { badInput } from '../../src/graphql/errors.js';
import { connectionFrom, decodeCursor, pageSize, toGlobalId } from '../../src/graphql/pagination.js';
import { companyPrefetches, operationFields } from '../../src/prefetch.js';
import { requireScopes } from '../../src/security/require.js';
import { addDays, addMonths } from '../../src/today.js';
import { bySeverity, signalMessage, situationSummary, type ContactEntryRecord, type EvidenceRef, type NeedRecord } from './domain.js';
import { countCompanies, orderArity, searchCompanies, type CompanyOrder, type CompanySearch } from './search.js';
import { countOverlaps, overlaps } from './store.js';
import { provenanceSources, timelineContributions } from './derive/contributions.js';
import type { ProvenanceSource } from '../../src/timeline.js';

const MAX_COURSES = 10;

/** Tags a record with its GraphQL type, for the unions that point into other connectors. */
const tagged = <T extends object>(typename: string, record: T | null | undefined) => (record ? { ...record, __typename: typename } : null);
/**
 * Tags a record of an entity another connector owns with its type and federated key: in a subgraph
 * the reference is all this connector answers (the owner's resolvers, not its stores, make ids).
 */
const referenced = <T extends object>(typename: string, key: string, record: T | null | undefined) =>
  record ? { id: toGlobalId(typename, key), ...record, __typename: typename } : null;
const typeOf = (record: object) => (record as { __typename: string }).__typename as never;

async function sourceInfo(source: ProvenanceSource, ctx: Context) {
  return { name: source.name, syncedAt: await ctx.loaders.insights.syncedAt(source.name) };
}

function months(value: number | null | undefined, field: string): number | null {
  if (value == null) return null;
  if (!Number.isInteger(value) || value < 1 || value > 120)
    throw badInput(`filter.${field}`, `must be between 1 and 120 months, got ${value}`);
  return value;
}

function atLeast(value: number | null | undefined, field: string): number | null {
  if (value == null) return null;
  if (!Number.isInteger(value) || value < 0) throw badInput(`filter.${field}`, `must be 0 or more, got ${value}`);
  return value;
}

function municipalityArg(code: string | null | undefined, field: string): string | null {
  if (code == null) return null;
  if (!municipalityByCode(code)) throw badInput(field, `${JSON.stringify(code)} is not a Danish municipality code (3 digits, e.g. "657")`);
  return code;
}

/** Checks the filter and turns month counts into cut-off days; every problem names its field. */
function companySearch(f: Record<string, any> | null | undefined, day: string): CompanySearch {
  if (!f) return {};
  const area = f.area == null ? null : resolveArea(f.area)?.code;
  if (area === undefined)
    throw badInput('filter.area', `${JSON.stringify(f.area)} is not a labour-market area code or name (e.g. "RAR-VEST")`);
  if (f.industry != null && !/^\d{1,6}$/.test(f.industry)) throw badInput('filter.industry', 'an industry code prefix is 1 to 6 digits');
  if (f.name != null && f.name.trim().length < 2) throw badInput('filter.name', 'give at least 2 characters');
  const since = (value: number | null | undefined, field: string) => {
    const m = months(value, field);
    return m === null ? null : addMonths(day, -m);
  };
  return {
    municipality: municipalityArg(f.municipality, 'filter.municipality'),
    area,
    industry: f.industry,
    name: f.name?.trim(),
    status: f.status,
    signals: f.signals,
    minOpenVacancies: atLeast(f.minOpenVacancies, 'minOpenVacancies'),
    minHardToFillVacancies: atLeast(f.minHardToFillVacancies, 'minHardToFillVacancies'),
    noCourseActivitySince: since(f.noCourseActivityMonths, 'noCourseActivityMonths'),
    courseActivitySince: since(f.courseActivityMonths, 'courseActivityMonths'),
    noContactSince: since(f.noContactMonths, 'noContactMonths'),
    contactedSince: since(f.contactedWithinMonths, 'contactedWithinMonths'),
    contactSystems: f.contactSystems,
    activeProgramme: f.activeProgramme,
  };
}

/** The record a timeline entry is made from, through the connector that contributed it (src/timeline.ts). */
async function sourceRecord(e: ContactEntryRecord, ctx: Context) {
  const record = timelineContributions().find((t) => t.source === e.source)?.record;
  return record ? referenced(record.type, e.sourceKey, await record.load(ctx, e.sourceKey)) : null;
}

async function evidence(ref: EvidenceRef, ctx: Context) {
  const l = ctx.loaders;
  switch (ref.type) {
    case 'Vacancy':
      return tagged('Vacancy', await l.jobcentre.vacancy.load(ref.key));
    case 'GuidanceProgramme':
      return referenced('GuidanceProgramme', ref.key, await l.crm.programme.load(ref.key));
    case 'LayoffNotice':
      return referenced('LayoffNotice', ref.key, await l.jobcentre.layoff.load(ref.key));
    case 'Course':
      return (await l.veu.course.load(ref.key)) ? tagged('Course', { number: ref.key }) : null;
    case 'Company':
      return (await l.registry.company.load(ref.key)) ? tagged('Company', { cvr: ref.key }) : null;
    case 'ContactEntry':
      return tagged('ContactEntry', await l.insights.entry.load(ref.key));
  }
}

const needKey = (n: NeedRecord) => `${n.cvr}|${n.disco}`;

/** Filters and orders on derived facts: `companies` answers them only for callers with read:insights. */
const DERIVED_FILTERS = [
  'signals',
  'minOpenVacancies',
  'minHardToFillVacancies',
  'noCourseActivityMonths',
  'courseActivityMonths',
  'noContactMonths',
  'contactedWithinMonths',
  'contactSystems',
  'activeProgramme',
];
const REGISTRY_ORDERS = ['NAME_ASC', 'CVR_ASC'];

export const resolvers: Resolvers = {
  Query: {
    async companies(_, args, ctx, info) {
      const first = pageSize(args.first);
      const order = (args.orderBy ?? 'NAME_ASC') as CompanyOrder;
      const derived = DERIVED_FILTERS.filter((f) => (args.filter as Record<string, unknown> | null | undefined)?.[f] != null).map(
        (f) => `filter.${f}`,
      );
      if (!REGISTRY_ORDERS.includes(order)) derived.push(`orderBy: ${order}`);
      if (derived.length) requireScopes(ctx.principal, ['read:insights'], `Query.companies with ${derived.join(', ')}`);
      const filter = companySearch(args.filter, ctx.today);
      const after = decodeCursor(args.after, orderArity(order));
      const nested = companyPrefetches(info, ['edges', 'node'], sql.ref('p.cvr'), ctx.today);
      // The profile comes along when the operation asks for a company field of this connector (most read it).
      const asked = operationFields(info).on('Company');
      const withProfile = OWN_COMPANY_FIELDS.some((f) => asked.has(f));
      const rows = await searchCompanies(
        ctx.db,
        filter,
        order,
        first + 1,
        after,
        nested.map((n) => n.sql),
        withProfile,
      );
      // The page already holds the fields other connectors prefetch (the register's among them), and the
      // profile when asked for: later fields read them from the loader caches.
      for (const r of rows) {
        if (r.profile) ctx.loaders.insights.profile.prime(r.cvr, r.profile);
        nested.forEach((n, i) => n.prime(ctx, r.cvr, r.extra[i]));
      }
      const page = connectionFrom(
        rows,
        first,
        after !== null,
        (r) => r.key,
        (r) => ({ cvr: r.cvr }),
      );
      return { ...page, count: () => countCompanies(ctx.db, filter) };
    },
    async contactOverlaps(_, args, ctx) {
      const days = args.days ?? 30;
      if (!Number.isInteger(days) || days < 1 || days > 365) throw badInput('days', `must be between 1 and 365, got ${days}`);
      const first = pageSize(args.first);
      const after = decodeCursor(args.after, 2);
      const day = ctx.today;
      const window = {
        from: addDays(day, -(days - 1)),
        today: day,
        municipality: municipalityArg(args.municipality, 'municipality'),
        uncoordinatedOnly: args.uncoordinatedOnly ?? false,
      };
      const rows = await overlaps(ctx.db, { ...window, limit: first + 1, after: after ? [String(after[0]), String(after[1])] : null });
      return {
        ...connectionFrom(
          rows,
          first,
          after !== null,
          (o) => [o.to, o.cvr],
          (o) => o,
        ),
        count: () => countOverlaps(ctx.db, window),
      };
    },
  },
  CompanyConnection: {
    totalCount: (page) => page.count(),
  },
  ContactOverlapConnection: {
    totalCount: (page) => page.count(),
  },
  Company: {
    async contacts(c, args, ctx) {
      const first = pageSize(args.first);
      const cursor = decodeCursor(args.after, 3);
      if (args.from && args.to && args.from > args.to) throw badInput('from', `${args.from} is after to (${args.to})`);
      const filter = { systems: args.systems ?? null, kinds: args.kinds ?? null, from: args.from ?? null, to: args.to ?? null };
      const after = cursor ? (cursor.map(String) as [string, string, string]) : null;
      const rows = await ctx.loaders.insights.entries.load({ cvr: c.cvr, ...filter, limit: first + 1, after });
      return {
        ...connectionFrom(
          rows,
          first,
          after !== null,
          (e) => [e.date, e.source, e.sourceKey],
          (e) => e,
        ),
        count: () => ctx.loaders.insights.entryCount.load({ cvr: c.cvr, ...filter }),
      };
    },
    coordination: (c) => ({ cvr: c.cvr }),
    situation: async (c, _, ctx) => ((await ctx.loaders.insights.profile.load(c.cvr)) ? { cvr: c.cvr } : null),
    competenceMatch: async (c, _, ctx) => ((await ctx.loaders.insights.profile.load(c.cvr)) ? { cvr: c.cvr } : null),
    changeSequence: async (c, _, ctx) => (await ctx.loaders.insights.profile.load(c.cvr))?.changeSequence ?? null,
  },
  ContactEntryConnection: {
    totalCount: (page) => page.count(),
  },
  ContactEntry: {
    // Tagged with the GraphQL type its contribution names (a ContactSourceRecord member).
    record: (e, _, ctx) => sourceRecord(e, ctx) as Promise<never>,
    sourceKey: (e) => e.sourceKey,
    source: (e, _, ctx) => sourceInfo(provenanceSources().find((p) => p.name === e.source) ?? { name: e.source }, ctx),
  },
  ContactSourceRecord: { __resolveType: typeOf },
  Coordination: {
    async lastContact(c, _, ctx) {
      const latest = await ctx.loaders.insights.lastBySystem.load(c.cvr);
      return latest.reduce<ContactEntryRecord | null>((best, e) => (!best || e.date > best.date ? e : best), null);
    },
    lastContactBySystem: async (c, _, ctx) =>
      [...(await ctx.loaders.insights.lastBySystem.load(c.cvr))].sort(
        (a, b) => b.date.localeCompare(a.date) || a.system.localeCompare(b.system),
      ),
    activeActors: (c, _, ctx) => ctx.loaders.insights.activeActors.load(c.cvr),
    followUpsDue: (c, _, ctx) => ctx.loaders.insights.followUps.load(c.cvr),
  },
  FollowUp: {
    system: (f) => f.entry.system,
    organisation: (f) => f.entry.organisation,
    contact: (f) => f.entry,
  },
  Situation: {
    async summary(c, _, ctx) {
      const [profile, signals] = await Promise.all([ctx.loaders.insights.profile.load(c.cvr), ctx.loaders.insights.signals.load(c.cvr)]);
      return situationSummary(profile!, [...signals].sort(bySeverity));
    },
    recruitment: async (c, _, ctx) => (await ctx.loaders.insights.profile.load(c.cvr))!,
    upskilling: async (c, _, ctx) => (await ctx.loaders.insights.profile.load(c.cvr))!,
    growth: async (c, _, ctx) => (await ctx.loaders.insights.profile.load(c.cvr))!,
    signals: async (c, args, ctx) =>
      (await ctx.loaders.insights.signals.load(c.cvr)).filter((s) => !args.kinds || args.kinds.includes(s.kind)).sort(bySeverity),
    changedAt: async (c, _, ctx) => (await ctx.loaders.insights.profile.load(c.cvr))!.changedAt,
    sources: (_c, _, ctx) => Promise.all(provenanceSources().map((s) => sourceInfo(s, ctx))),
  },
  UpskillingFacts: {
    lastEnrolmentOn: (p) => p.lastEnrolmentOn,
  },
  Signal: {
    message: (s) => signalMessage(s),
    evidence: async (s, _, ctx) => (await Promise.all(s.evidence.map((ref) => evidence(ref, ctx)))).filter((e) => e !== null) as never,
  },
  SignalEvidence: { __resolveType: typeOf },
  CompetenceMatch: {
    async area(c, _, ctx) {
      const code = (await ctx.loaders.insights.profile.load(c.cvr))?.areaCode;
      const a = code ? areaByCode(code) : undefined;
      return a ? { code: a.code, name: a.name } : null;
    },
    needs: (c, _, ctx) => ctx.loaders.insights.needs.load(c.cvr),
  },
  CompetenceNeed: {
    occupation: (n) => occupationRef(n.disco) ?? { disco: n.disco },
    balance: (n) => n.balanceCategory as never,
    unemployedInArea: (n) => n.unemployed,
    async courses(n, args, ctx) {
      const limit = args.first ?? 3;
      if (!Number.isInteger(limit) || limit < 0 || limit > MAX_COURSES)
        throw badInput('first', `must be between 0 and ${MAX_COURSES}, got ${limit}`);
      const parent = occupationByCode(n.disco)?.parent;
      const found = await ctx.loaders.insights.courses.load({
        key: needKey(n),
        occupations: parent ? [n.disco, parent] : [n.disco],
        municipality: n.municipalityCode,
        area: n.areaCode ? municipalitiesInArea(n.areaCode) : [],
        limit,
      });
      // The suggestions' statement read the course and instance rows: the Course and CourseInstance fields use them.
      for (const s of found) {
        ctx.loaders.veu.primeRows(s.courseRow, s.instanceRow);
      }
      return found;
    },
  },
  CourseSuggestion: {
    course: (s) => ({ number: s.courseNumber }),
    nextInstance: (s, _, ctx) => (s.instanceId ? ctx.loaders.veu.instance.load(s.instanceId) : null),
  },
  ContactOverlap: {
    company: (o) => ({ cvr: o.cvr }),
    contacts: (o, _, ctx) => ctx.loaders.insights.overlapEntries.load({ cvr: o.cvr, from: o.window.from, to: o.window.to }),
  },
};

/** The Company fields this connector resolves: asked for, a list of companies selects their profiles too. */
const OWN_COMPANY_FIELDS = Object.keys(resolvers.Company ?? {}).filter((f) => !f.startsWith('__'));
