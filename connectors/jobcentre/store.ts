import {
  expressionBuilder,
  sql,
  type Expression,
  type ExpressionBuilder,
  type RawBuilder,
  type SelectQueryBuilder,
  type SqlBool,
} from 'kysely';
import { z } from 'zod';
import { anyText } from '../../src/db/arrays.js';
import type { Db } from '../../src/db/database.js';
import { perParent } from '../../src/db/paging.js';
import type { Database } from '../../src/db/schema.js';
import {
  OPEN_DAYS_WITHOUT_DEADLINE,
  addDays,
  layoffKey,
  type BalanceCategory,
  type BalanceRecord,
  type JobOrderRecord,
  type LayoffReason,
  type LayoffRecord,
  type MeasureKind,
  type OccupationLabelRecord,
  type SupplyRecord,
  type UnmatchedVacancyReason,
  type VacancyRecord,
  type VacancyStatus,
} from './domain.js';
import type { JobOrderTable, VacancyTable } from './tables.js';

type VacancyDbRow = Omit<VacancyTable, 'changed_at' | 'closed_at'> & {
  closed_at: string | null;
  unmatched_reason: UnmatchedVacancyReason | null;
};

/**
 * Why an ad is tied to no company of the register, decided when it is read (so an ad whose company
 * arrives in the register later drops off the unmatched list by itself): no CVR (none, or 0 as external
 * ads give), an invalid one, or a valid one the register does not know. Null when the register knows it.
 * This and the crm's matching are the connector's only reads of the register (registry.company).
 */
const unmatchedReason = (v = 'v') => sql<UnmatchedVacancyReason | null>`CASE
  WHEN ${sql.ref(`${v}.cvr`)} IS NULL THEN CASE WHEN coalesce(${sql.ref(`${v}.hiring_org_cvr`)}, '') ~ '^0*$' THEN 'NO_CVR' ELSE 'INVALID_CVR' END
  WHEN NOT EXISTS (SELECT 1 FROM registry.company c WHERE c.cvr = ${sql.ref(`${v}.cvr`)}) THEN 'UNKNOWN_TO_REGISTER' END`;

/** What toVacancy reads: the ad's row and, for an ad tied to no company of the register, why. */
function vacancyColumns<DB extends Database & { v: VacancyTable }, O>(qb: SelectQueryBuilder<DB, 'v', O>) {
  return qb.selectAll('v').select(unmatchedReason().as('unmatched_reason'));
}

function toVacancy(r: VacancyDbRow): VacancyRecord {
  return {
    id: r.id,
    cvr: r.cvr,
    hiringOrgCvr: r.hiring_org_cvr,
    hiringOrgName: r.hiring_org_name,
    title: r.title,
    disco: r.disco,
    occupationLabel: r.occupation_label,
    positions: r.positions,
    postedAt: r.posted_at,
    applyBy: r.apply_by,
    closedAt: r.closed_at,
    employmentType: r.employment_type,
    workHours: r.work_hours,
    external: r.external,
    workplace: {
      address: r.workplace_address,
      postcode: r.workplace_postcode,
      city: r.workplace_city,
      municipalityCode: r.municipality_code,
      notStatic: r.workplace_not_static,
    },
    unmatchedReason: r.unmatched_reason,
  };
}

/**
 * The SQL form of the open rule in domain.vacancyStatus; the two must agree. `alias` qualifies the
 * columns when the vacancy table is joined (the insights connector derives from the same rule).
 */
export function openVacancy(today: string, alias?: string): RawBuilder<SqlBool> {
  const c = (column: string) => sql.ref(alias ? `${alias}.${column}` : column);
  return sql<SqlBool>`(${c('closed_at')} IS NULL AND (${c('apply_by')} >= ${today}::date OR (${c('apply_by')} IS NULL AND ${c('posted_at')} >= ${addDays(today, -OPEN_DAYS_WITHOUT_DEADLINE)}::date)))`;
}

/** The first day an open vacancy is no longer open unless it closes earlier (`closed_at`), by the same rule. */
export function vacancyLapsesOn(alias: string): RawBuilder<unknown> {
  const c = (column: string) => sql.ref(`${alias}.${column}`);
  return sql`coalesce(${c('apply_by')} + 1, ${c('posted_at')} + ${OPEN_DAYS_WITHOUT_DEADLINE + 1}::int)`;
}

declare module '../../src/rules.js' {
  interface SqlRules {
    /** Whether a `jobcentre.vacancy` row is open on `today` (the jobcentre's rule; insights derives with it). */
    openVacancy: typeof openVacancy;
    /** The day an open `jobcentre.vacancy` row stops being open by date (insights marks its facts stale then). */
    vacancyLapsesOn: typeof vacancyLapsesOn;
  }
}

function statusCondition(status: VacancyStatus | null, today: string): RawBuilder<SqlBool> {
  if (!status) return sql<SqlBool>`true`;
  return status === 'OPEN' ? openVacancy(today) : sql<SqlBool>`NOT ${openVacancy(today)}`;
}

/** `jobcentre.vacancy as v`, the alias the shared conditions name. */
type VacancyEb = ExpressionBuilder<Database & { v: VacancyTable }, 'v'>;

/** Newest first: (posted_at DESC, id ASC); `after` is the last row's [posted_at, id]. */
function afterVacancy(after: unknown[] | null) {
  return (eb: VacancyEb) => {
    if (!after) return eb.lit(true);
    const [posted, id] = [String(after[0]), String(after[1])];
    return eb.or([eb('v.posted_at', '<', posted), eb.and([eb('v.posted_at', '=', posted), eb('v.id', '>', id)])]);
  };
}

export interface PageArgs {
  limit: number;
  after: unknown[] | null;
}

/** Up to `limit` ads per company for many companies, in one statement. */
export async function vacanciesOfCompanies(
  db: Db,
  cvrs: readonly string[],
  status: VacancyStatus | null,
  today: string,
  page: PageArgs,
): Promise<VacancyRecord[]> {
  if (cvrs.length === 0 || page.limit === 0) return [];
  const rows = await perParent(db, (eb) =>
    eb.selectFrom('jobcentre.vacancy as v').$call(vacancyColumns).where('v.cvr', '=', anyText(cvrs)).where(statusCondition(status, today)),
  )
    .top({
      alias: 'v',
      parent: 'cvr',
      sort: [{ by: 'posted_at', desc: true }, { by: 'id' }],
      after: page.after && [String(page.after[0]), String(page.after[1])],
      limit: page.limit,
    })
    .execute();
  return rows.map(toVacancy);
}

/**
 * The first `limit` ads of the company whose CVR is `cvr` as one JSON array, in the order
 * vacanciesOfCompanies pages them: a subquery for a list of companies to select beside each company
 * (see prefetch.ts), with the same columns (vacancyColumns), or only `columns` and the page's keys when the
 * operation reads no more; vacanciesFromJson maps them.
 */
export function vacanciesJson(
  cvr: Expression<string>,
  status: VacancyStatus | null,
  today: string,
  limit: number,
  columns: readonly (keyof VacancyTable)[] | null = null,
) {
  // Built on a bare expression builder: on the request's handle its statement counter would count it as a
  // statement of its own, where it is part of the list's.
  const from = expressionBuilder<Database, never>().selectFrom('jobcentre.vacancy as v');
  const keys = ['id', 'cvr', 'posted_at'] as const;
  const selected = columns ? from.select([...new Set([...keys, ...columns])].map((c) => `v.${c}` as const)) : from.$call(vacancyColumns);
  const rows = selected
    .where('v.cvr', '=', cvr)
    .where(statusCondition(status, today))
    .orderBy('v.posted_at', 'desc')
    .orderBy('v.id')
    // A literal, as is the list's own limit: with parameters Postgres planned the list's statement anew on
    // every call, its generic plan guessed for an unknown number of rows.
    .limit(sql.lit(limit));
  return sql`(SELECT coalesce(json_agg(page ORDER BY page.posted_at DESC, page.id), '[]'::json) FROM ${rows} page)`;
}

/** The ads of vacanciesJson's array; its dates are the same ISO days the driver gives. */
export function vacanciesFromJson(json: unknown): VacancyRecord[] {
  return (json as VacancyDbRow[]).map(toVacancy);
}

/** Ads by their Jobnet id, in one statement. */
export async function vacanciesByIds(db: Db, ids: readonly string[]): Promise<VacancyRecord[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('jobcentre.vacancy as v').$call(vacancyColumns).where('v.id', '=', anyText(ids)).execute();
  return rows.map(toVacancy);
}

export async function countVacanciesOfCompanies(
  db: Db,
  cvrs: readonly string[],
  status: VacancyStatus | null,
  today: string,
): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('jobcentre.vacancy')
    .select((eb) => ['cvr', eb.fn.countAll<number>().as('n')])
    .where('cvr', '=', anyText(cvrs))
    .where(statusCondition(status, today))
    .groupBy('cvr')
    .execute();
  return new Map(rows.map((x) => [x.cvr!, Number(x.n)]));
}

/**
 * Ads tied to no company of the register, with the reason, filtered by status and reason; `after`
 * sits inside the subquery, which Postgres flattens, so the plan is the one of a single-level query.
 */
function unmatched(db: Db, status: VacancyStatus | null, reason: UnmatchedVacancyReason | null, today: string, after: unknown[] | null) {
  const q = db.selectFrom((eb) =>
    eb
      .selectFrom('jobcentre.vacancy as v')
      .$call(vacancyColumns)
      .where((eb) =>
        eb.or([
          eb('v.cvr', 'is', null),
          eb.not(eb.exists(eb.selectFrom('registry.company as c').select(eb.lit(1).as('one')).whereRef('c.cvr', '=', 'v.cvr'))),
        ]),
      )
      .where(statusCondition(status, today))
      .where(afterVacancy(after))
      .as('u'),
  );
  return reason ? q.where('u.unmatched_reason', '=', reason) : q;
}

/** Ads tied to no company (no CVR, an invalid one, or one the register does not know), newest first. */
export async function unmatchedVacancies(
  db: Db,
  status: VacancyStatus | null,
  reason: UnmatchedVacancyReason | null,
  today: string,
  page: PageArgs,
): Promise<VacancyRecord[]> {
  if (page.limit === 0) return [];
  const rows = await unmatched(db, status, reason, today, page.after)
    .selectAll()
    .orderBy('posted_at', 'desc')
    .orderBy('id')
    .limit(page.limit)
    .execute();
  return rows.map(toVacancy);
}

export async function countUnmatchedVacancies(
  db: Db,
  status: VacancyStatus | null,
  reason: UnmatchedVacancyReason | null,
  today: string,
): Promise<number> {
  const r = await unmatched(db, status, reason, today, null)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/**
 * Occupation labels of stored ads that map to no DISCO code, with how many ads carry each, most
 * frequent first (count descending, then label); `after` is the last row's [count, label].
 */
export async function unmappedOccupationLabels(db: Db, page: PageArgs): Promise<OccupationLabelRecord[]> {
  if (page.limit === 0) return [];
  const after = page.after;
  const rows = await db
    .selectFrom((eb) =>
      eb
        .selectFrom('jobcentre.vacancy')
        .select((eb) => ['occupation_label as label', eb.fn.countAll<number>().as('n')])
        .where('disco', 'is', null)
        .where('occupation_label', 'is not', null)
        .groupBy('occupation_label')
        .$narrowType<{ label: string }>()
        .as('s'),
    )
    .select(['label', 'n'])
    .$if(after !== null, (q) =>
      q.where((eb) =>
        eb.or([eb('n', '<', Number(after![0])), eb.and([eb('n', '=', Number(after![0])), eb('label', '>', String(after![1]))])]),
      ),
    )
    .orderBy('n', 'desc')
    .orderBy('label')
    .limit(page.limit)
    .execute();
  return rows.map((x) => ({ label: x.label, count: Number(x.n) }));
}

export async function countUnmappedOccupationLabels(db: Db): Promise<number> {
  const r = await db
    .selectFrom('jobcentre.vacancy')
    .select((eb) => eb.fn.count<number>('occupation_label').distinct().as('n'))
    .where('disco', 'is', null)
    .where('occupation_label', 'is not', null)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

// Orders without a start date sort last.
const NO_START = '0001-01-01';

function toJobOrder(r: Omit<JobOrderTable, 'changed_at'>): JobOrderRecord {
  return {
    id: r.id,
    cvr: r.cvr,
    pNumber: r.p_number,
    title: r.title,
    disco: r.disco,
    type: r.order_type,
    status: r.status,
    startDate: r.start_date,
  };
}

export function jobOrderKey(o: JobOrderRecord): unknown[] {
  return [o.startDate ?? NO_START, o.id];
}

export async function jobOrdersOfCompanies(db: Db, cvrs: readonly string[], page: PageArgs): Promise<JobOrderRecord[]> {
  if (cvrs.length === 0 || page.limit === 0) return [];
  const rows = await perParent(db, (eb) => eb.selectFrom('jobcentre.job_order as o').selectAll('o').where('o.cvr', '=', anyText(cvrs)))
    .top({
      alias: 'o',
      parent: 'cvr',
      // Start date descending, undated orders last.
      sort: [{ by: (col) => sql<string>`coalesce(${col('start_date')}, ${NO_START}::date)`, desc: true }, { by: 'id' }],
      after: page.after && [sql<string>`${String(page.after[0])}::date`, String(page.after[1])],
      limit: page.limit,
    })
    .execute();
  return rows.map(toJobOrder);
}

export async function jobOrdersByIds(db: Db, ids: readonly string[]): Promise<JobOrderRecord[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('jobcentre.job_order').selectAll().where('id', '=', anyText(ids)).execute();
  return rows.map(toJobOrder);
}

export async function countJobOrdersOfCompanies(db: Db, cvrs: readonly string[]): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('jobcentre.job_order')
    .select((eb) => ['cvr', eb.fn.countAll<number>().as('n')])
    .where('cvr', '=', anyText(cvrs))
    .groupBy('cvr')
    .execute();
  return new Map(rows.map((x) => [x.cvr, Number(x.n)]));
}

/** Sums of measures per company and kind over a range of months (yyyy-mm, either end open). */
export async function measureSums(
  db: Db,
  cvrs: readonly string[],
  from: string | null,
  to: string | null,
): Promise<{ cvr: string; kind: MeasureKind; count: number }[]> {
  const rows = await db
    .selectFrom('jobcentre.measure')
    .select((eb) => ['cvr', 'kind', eb.fn.sum<number>('count').as('count')])
    .where('cvr', '=', anyText(cvrs))
    .$if(from !== null, (q) => q.where('period', '>=', from!))
    .$if(to !== null, (q) => q.where('period', '<=', to!))
    .groupBy(['cvr', 'kind'])
    .execute();
  return rows.map((x) => ({ cvr: x.cvr, kind: x.kind as MeasureKind, count: Number(x.count) }));
}

const toLayoff = (r: { cvr: string; notice_date: string; persons: number; reason: string }): LayoffRecord => {
  const key = layoffKey(r.cvr, r.notice_date, r.reason);
  return { key, cvr: r.cvr, date: r.notice_date, persons: r.persons, reason: r.reason as LayoffReason };
};

export async function layoffsOfCompanies(db: Db, cvrs: readonly string[]): Promise<LayoffRecord[]> {
  const rows = await db
    .selectFrom('jobcentre.layoff_notice')
    .select(['cvr', 'notice_date', 'persons', 'reason'])
    .where('cvr', 'in', [...cvrs])
    .orderBy('cvr')
    .orderBy('notice_date', 'desc')
    .orderBy('reason')
    .execute();
  return rows.map(toLayoff);
}

/** Notices by their keys (cvr|date|reason, see domain.layoffKey), in one statement. */
export async function layoffsByKeys(db: Db, keys: readonly string[]): Promise<LayoffRecord[]> {
  if (keys.length === 0) return [];
  const rows = await db
    .selectFrom('jobcentre.layoff_notice')
    .select(['cvr', 'notice_date', 'persons', 'reason'])
    .where(({ eb, ref }) => eb(sql<string>`${ref('cvr')} || '|' || ${ref('notice_date')} || '|' || ${ref('reason')}`, '=', anyText(keys)))
    .where('cvr', '=', anyText([...new Set(keys.map((k) => k.slice(0, 8)))]))
    .execute();
  return rows.map(toLayoff);
}

// The two reads below join the requested pairs as a set (unnest), which the query builder does not
// write; their rows are checked here instead.
const balanceRow = z.object({ disco: z.string(), area: z.string(), period: z.string(), category: z.string() });
const supplyRow = z.object({ disco: z.string(), area: z.string(), period: z.string(), count: z.coerce.number() });

/** The latest (or the given) half-year's balance for each (disco, area) pair, in one statement. */
export async function balancesFor(
  db: Db,
  pairs: readonly { disco: string; area: string }[],
  period: string | null,
): Promise<BalanceRecord[]> {
  const r = await sql<unknown>`
    SELECT DISTINCT ON (b.disco, b.area) b.disco, b.area, b.period, b.category
    FROM jobcentre.balance b
    JOIN unnest(${pairs.map((p) => p.disco)}::text[], ${pairs.map((p) => p.area)}::text[]) AS k(disco, area) ON k.disco = b.disco AND k.area = b.area
    WHERE ${period}::text IS NULL OR b.period = ${period}
    ORDER BY b.disco, b.area, b.period DESC`.execute(db);
  return r.rows.map((raw) => {
    const x = balanceRow.parse(raw);
    return { ...x, category: x.category as BalanceCategory };
  });
}

/** The latest period's unemployed count for each (disco, area) pair, in one statement. */
export async function suppliesFor(db: Db, pairs: readonly { disco: string; area: string }[]): Promise<SupplyRecord[]> {
  const r = await sql<unknown>`
    SELECT DISTINCT ON (s.disco, s.area) s.disco, s.area, s.period, s.count
    FROM jobcentre.supply s
    JOIN unnest(${pairs.map((p) => p.disco)}::text[], ${pairs.map((p) => p.area)}::text[]) AS k(disco, area) ON k.disco = s.disco AND s.area = k.area
    ORDER BY s.disco, s.area, s.period DESC`.execute(db);
  return r.rows.map((raw) => supplyRow.parse(raw));
}

export async function latestBalancePeriod(db: Db, area: string): Promise<string | null> {
  const r = await db
    .selectFrom('jobcentre.balance')
    .select((eb) => eb.fn.max('period').as('p'))
    .where('area', '=', area)
    .executeTakeFirst();
  return (r?.p as string | null | undefined) ?? null;
}

/** One area's balance for one half-year, by DISCO code, optionally only one category. */
export async function balanceOfArea(
  db: Db,
  area: string,
  period: string,
  category: BalanceCategory | null,
  page: PageArgs,
): Promise<BalanceRecord[]> {
  if (page.limit === 0) return [];
  let q = db
    .selectFrom('jobcentre.balance')
    .select(['disco', 'area', 'period', 'category'])
    .where('area', '=', area)
    .where('period', '=', period);
  if (category) q = q.where('category', '=', category);
  if (page.after) q = q.where('disco', '>', String(page.after[0]));
  const rows = await q.orderBy('disco').limit(page.limit).execute();
  return rows.map((r) => ({ ...r, category: r.category as BalanceCategory }));
}

export async function countBalanceOfArea(db: Db, area: string, period: string, category: BalanceCategory | null): Promise<number> {
  let q = db
    .selectFrom('jobcentre.balance')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('area', '=', area)
    .where('period', '=', period);
  if (category) q = q.where('category', '=', category);
  return Number((await q.executeTakeFirstOrThrow()).n);
}
