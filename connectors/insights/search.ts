import { sql, type RawBuilder, type Selectable } from 'kysely';
import type { Db } from '../../src/db/database.js';
import type { ContactSystem } from '../../src/generated/graphql.js';
import type { CompanyProfileTable } from './tables.js';
import type { ProfileRecord, SignalKind } from './domain.js';
import { toProfile } from './store.js';

/** A checked company filter: codes known, months turned into cut-off days. */
export interface CompanySearch {
  municipality?: string | null;
  area?: string | null;
  industry?: string | null;
  name?: string | null;
  status?: string | null;
  signals?: SignalKind[] | null;
  minOpenVacancies?: number | null;
  minHardToFillVacancies?: number | null;
  /** No enrolment started after this day. */
  noCourseActivitySince?: string | null;
  /** An enrolment started after this day. */
  courseActivitySince?: string | null;
  /** No contact from `contactSystems` after this day. */
  noContactSince?: string | null;
  /** A contact from `contactSystems` after this day. */
  contactedSince?: string | null;
  contactSystems?: ContactSystem[] | null;
  activeProgramme?: boolean | null;
}

export type CompanyOrder =
  'NAME_ASC' | 'CVR_ASC' | 'OPEN_VACANCIES_DESC' | 'HARD_TO_FILL_DESC' | 'LAST_CONTACT_ASC' | 'LAST_CONTACT_DESC' | 'CHANGE_SEQUENCE_ASC';

const LAST_CONTACT_COLUMNS: Record<ContactSystem, string> = {
  JOBCENTRE: 'p.last_jobcentre_contact_on',
  ERHVERVSHUS: 'p.last_erhvervshus_contact_on',
  VEU: 'p.last_veu_contact_on',
};

// Never contacted sorts as the earliest possible day; written as the profile indexes spell it, so they serve the order.
const NEVER = '0001-01-01';
const LAST_CONTACT = sql.raw(`coalesce(p.last_contact_on, '${NEVER}'::date)`);

function lastContact(systems: ContactSystem[] | null | undefined): RawBuilder<unknown> {
  if (!systems?.length) return sql`p.last_contact_on`;
  return sql`greatest(${sql.raw([...new Set(systems)].map((s) => LAST_CONTACT_COLUMNS[s]).join(', '))})`;
}

function conditions(f: CompanySearch): RawBuilder<unknown> {
  const c: RawBuilder<unknown>[] = [sql`true`];
  if (f.municipality) c.push(sql`p.municipality_code = ${f.municipality}`);
  if (f.area) c.push(sql`p.area_code = ${f.area}`);
  if (f.industry) c.push(sql`p.industry_code LIKE ${`${f.industry}%`}`);
  // The register's trigram index answers "name contains".
  if (f.name) c.push(sql`p.cvr IN (SELECT cvr FROM registry.company WHERE name ILIKE ${`%${escapeLike(f.name)}%`})`);
  if (f.status) c.push(sql`p.status = ${f.status}`);
  if (f.signals?.length) c.push(sql`p.signals @> ${[...f.signals]}::text[]`);
  if (f.minOpenVacancies != null) c.push(sql`p.open_vacancies >= ${f.minOpenVacancies}`);
  if (f.minHardToFillVacancies != null) c.push(sql`p.hard_to_fill_vacancies >= ${f.minHardToFillVacancies}`);
  if (f.noCourseActivitySince) c.push(sql`(p.last_enrolment_on IS NULL OR p.last_enrolment_on <= ${f.noCourseActivitySince}::date)`);
  if (f.courseActivitySince) c.push(sql`p.last_enrolment_on > ${f.courseActivitySince}::date`);
  const contact = lastContact(f.contactSystems);
  if (f.noContactSince) c.push(sql`(${contact} IS NULL OR ${contact} <= ${f.noContactSince}::date)`);
  if (f.contactedSince) c.push(sql`${contact} > ${f.contactedSince}::date`);
  if (f.activeProgramme != null) c.push(f.activeProgramme ? sql`p.active_programmes > 0` : sql`p.active_programmes = 0`);
  return sql.join(c, sql` AND `);
}

interface OrderSpec {
  /** The sort value besides the CVR (none for CVR order). */
  value: RawBuilder<unknown> | null;
  cast: string;
  descending: boolean;
  key(p: ProfileRecord): unknown[];
  /** The profile columns `key` reads besides the CVR. */
  columns: readonly (keyof CompanyProfileTable)[];
}

/** An order by one profile column (then the CVR); `value` when the sort is not the bare column. */
const byColumn = (
  column: keyof CompanyProfileTable,
  cast: string,
  descending: boolean,
  key: (p: ProfileRecord) => unknown[],
  value: RawBuilder<unknown> = sql`p.${sql.ref(column)}`,
): OrderSpec => ({ value, cast, descending, key, columns: [column] });

const lastContactKey = (p: ProfileRecord) => [p.lastContactOn ?? NEVER, p.cvr];

const ORDERS: Record<CompanyOrder, OrderSpec> = {
  NAME_ASC: byColumn('name', 'text', false, (p) => [p.name, p.cvr]),
  CVR_ASC: { value: null, cast: 'text', descending: false, key: (p) => [p.cvr], columns: [] },
  OPEN_VACANCIES_DESC: byColumn('open_vacancies', 'int', true, (p) => [p.openVacancies, p.cvr]),
  HARD_TO_FILL_DESC: byColumn('hard_to_fill_vacancies', 'int', true, (p) => [p.hardToFillVacancies, p.cvr]),
  LAST_CONTACT_ASC: byColumn('last_contact_on', 'date', false, lastContactKey, LAST_CONTACT),
  LAST_CONTACT_DESC: byColumn('last_contact_on', 'date', true, lastContactKey, LAST_CONTACT),
  CHANGE_SEQUENCE_ASC: byColumn('change_seq', 'bigint', false, (p) => [p.changeSequence, p.cvr]),
};

export const orderArity = (order: CompanyOrder) => (ORDERS[order].value ? 2 : 1);

function keyset(o: OrderSpec, after: unknown[] | null): RawBuilder<unknown> {
  if (!after) return sql`true`;
  if (!o.value) return sql`p.cvr > ${String(after[0])}`;
  const v = sql`${String(after[0])}::${sql.raw(o.cast)}`;
  const cvr = String(after[1]);
  return o.descending
    ? sql`(${o.value} < ${v} OR (${o.value} = ${v} AND p.cvr > ${cvr}))`
    : sql`(${o.value} > ${v} OR (${o.value} = ${v} AND p.cvr > ${cvr}))`;
}

/** The profile columns a page needs (those toProfile reads). */
const PROFILE_COLUMNS = [
  'cvr',
  'name',
  'municipality_code',
  'area_code',
  'open_vacancies',
  'open_positions',
  'hard_to_fill_vacancies',
  'participants_12m',
  'last_enrolment_on',
  'active_programmes',
  'competence_plan_missing',
  'last_contact_on',
  'last_contact_system',
  'signals',
  'change_seq',
  'changed_at',
] as const satisfies readonly (keyof CompanyProfileTable)[];

export interface SearchRow {
  cvr: string;
  /** The row's sort key, for its cursor. */
  key: unknown[];
  /** The company's profile, when asked for (`withProfile`). */
  profile: ProfileRecord | null;
  /** The values of the `extra` selections, in their order. */
  extra: unknown[];
}

/**
 * One page of companies: the profile table answers every condition and the order in one statement, and
 * the `extra` selections (correlated subqueries on `p.cvr`, see prefetch.ts: the register's fields among
 * them) come along so later fields need no query of their own; so does the profile, `withProfile`, for an
 * operation that reads it. The register is joined only to keep out a profile whose company it no longer has.
 */
export async function searchCompanies(
  db: Db,
  f: CompanySearch,
  order: CompanyOrder,
  limit: number,
  after: unknown[] | null,
  extra: readonly RawBuilder<unknown>[] = [],
  withProfile = true,
): Promise<SearchRow[]> {
  if (limit === 0) return [];
  const o = ORDERS[order];
  const direction = sql.raw(o.descending ? 'DESC' : 'ASC');
  const by = o.value ? sql`${o.value} ${direction}, p.cvr` : sql`p.cvr`;
  const aliases = extra.map((_, i) => `x_${i}`);
  const columns = withProfile ? PROFILE_COLUMNS : (['cvr', ...o.columns] as const);
  const r = await sql<Selectable<CompanyProfileTable> & Record<string, unknown>>`
    SELECT ${sql.join([...columns.map((c) => sql`p.${sql.ref(c)}`), ...extra.map((e, i) => sql`${e} AS ${sql.ref(aliases[i]!)}`)])}
    FROM insights.company_profile p JOIN registry.company r ON r.cvr = p.cvr
    WHERE ${conditions(f)} AND ${keyset(o, after)}
    ORDER BY ${by} LIMIT ${sql.lit(limit)}`.execute(db);
  // toProfile reads the profile's columns by name and leaves the extra ones alone; without the profile it
  // reads only the key's columns, for the key.
  return r.rows.map((row) => {
    const profile = toProfile(row);
    return { cvr: row.cvr, key: o.key(profile), profile: withProfile ? profile : null, extra: aliases.map((a) => row[a]) };
  });
}

export async function countCompanies(db: Db, f: CompanySearch): Promise<number> {
  const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM insights.company_profile p WHERE ${conditions(f)}`.execute(db);
  return r.rows[0]!.n;
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (m) => `\\${m}`);
}
