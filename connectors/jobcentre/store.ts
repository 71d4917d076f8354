import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../../src/db/database.js';
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
export function openVacancy(today: string, alias?: string): RawBuilder<unknown> {
  const c = (column: string) => sql.ref(alias ? `${alias}.${column}` : column);
  return sql`(${c('closed_at')} IS NULL AND (${c('apply_by')} >= ${today}::date OR (${c('apply_by')} IS NULL AND ${c('posted_at')} >= ${addDays(today, -OPEN_DAYS_WITHOUT_DEADLINE)}::date)))`;
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

function statusCondition(status: VacancyStatus | null, today: string): RawBuilder<unknown> {
  if (!status) return sql`true`;
  return status === 'OPEN' ? openVacancy(today) : sql`NOT ${openVacancy(today)}`;
}

/** Newest first: (posted_at DESC, id ASC); `after` is the last row's [posted_at, id]. */
function afterVacancy(after: unknown[] | null): RawBuilder<unknown> {
  if (!after) return sql`true`;
  const [posted, id] = [String(after[0]), String(after[1])];
  return sql`(posted_at < ${posted}::date OR (posted_at = ${posted}::date AND id > ${id}))`;
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
  const r = await sql<VacancyDbRow>`
    SELECT * FROM (
      SELECT v.*, ${unmatchedReason()} AS unmatched_reason, row_number() OVER (PARTITION BY cvr ORDER BY posted_at DESC, id) AS rn
      FROM jobcentre.vacancy v
      WHERE cvr = ANY(${[...cvrs]}::text[]) AND ${statusCondition(status, today)} AND ${afterVacancy(page.after)}
    ) s WHERE rn <= ${page.limit}
    ORDER BY cvr, posted_at DESC, id`.execute(db);
  return r.rows.map(toVacancy);
}

/** Ads by their Jobnet id, in one statement. */
export async function vacanciesByIds(db: Db, ids: readonly string[]): Promise<VacancyRecord[]> {
  if (ids.length === 0) return [];
  const r =
    await sql<VacancyDbRow>`SELECT v.*, ${unmatchedReason()} AS unmatched_reason FROM jobcentre.vacancy v WHERE id = ANY(${[...ids]}::text[])`.execute(
      db,
    );
  return r.rows.map(toVacancy);
}

export async function countVacanciesOfCompanies(
  db: Db,
  cvrs: readonly string[],
  status: VacancyStatus | null,
  today: string,
): Promise<Map<string, number>> {
  const r = await sql<{ cvr: string; n: number }>`
    SELECT cvr, count(*)::int AS n FROM jobcentre.vacancy
    WHERE cvr = ANY(${[...cvrs]}::text[]) AND ${statusCondition(status, today)} GROUP BY cvr`.execute(db);
  return new Map(r.rows.map((x) => [x.cvr, Number(x.n)]));
}

/** Ads tied to no company of the register, with the reason, filtered by status and reason. */
function unmatched(status: VacancyStatus | null, reason: UnmatchedVacancyReason | null, today: string): RawBuilder<unknown> {
  return sql`(
    SELECT v.*, ${unmatchedReason()} AS unmatched_reason FROM jobcentre.vacancy v
    WHERE (v.cvr IS NULL OR NOT EXISTS (SELECT 1 FROM registry.company c WHERE c.cvr = v.cvr)) AND ${statusCondition(status, today)}
  ) u WHERE (${reason}::text IS NULL OR u.unmatched_reason = ${reason})`;
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
  const r = await sql<VacancyDbRow>`
    SELECT * FROM ${unmatched(status, reason, today)} AND ${afterVacancy(page.after)}
    ORDER BY posted_at DESC, id LIMIT ${page.limit}`.execute(db);
  return r.rows.map(toVacancy);
}

export async function countUnmatchedVacancies(
  db: Db,
  status: VacancyStatus | null,
  reason: UnmatchedVacancyReason | null,
  today: string,
): Promise<number> {
  const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${unmatched(status, reason, today)}`.execute(db);
  return Number(r.rows[0]!.n);
}

/**
 * Occupation labels of stored ads that map to no DISCO code, with how many ads carry each, most
 * frequent first (count descending, then label); `after` is the last row's [count, label].
 */
export async function unmappedOccupationLabels(db: Db, page: PageArgs): Promise<OccupationLabelRecord[]> {
  if (page.limit === 0) return [];
  const after = page.after
    ? sql`AND (n < ${Number(page.after[0])} OR (n = ${Number(page.after[0])} AND label > ${String(page.after[1])}))`
    : sql``;
  const r = await sql<{ label: string; n: number }>`
    SELECT label, n FROM (
      SELECT occupation_label AS label, count(*)::int AS n FROM jobcentre.vacancy
      WHERE disco IS NULL AND occupation_label IS NOT NULL GROUP BY occupation_label
    ) s WHERE true ${after}
    ORDER BY n DESC, label LIMIT ${page.limit}`.execute(db);
  return r.rows.map((x) => ({ label: x.label, count: Number(x.n) }));
}

export async function countUnmappedOccupationLabels(db: Db): Promise<number> {
  const r = await sql<{
    n: number;
  }>`SELECT count(DISTINCT occupation_label)::int AS n FROM jobcentre.vacancy WHERE disco IS NULL AND occupation_label IS NOT NULL`.execute(
    db,
  );
  return Number(r.rows[0]!.n);
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
  const after = page.after
    ? sql`(coalesce(start_date, ${NO_START}::date) < ${String(page.after[0])}::date OR (coalesce(start_date, ${NO_START}::date) = ${String(page.after[0])}::date AND id > ${String(page.after[1])}))`
    : sql`true`;
  const r = await sql<Omit<JobOrderTable, 'changed_at'>>`
    SELECT * FROM (
      SELECT o.*, row_number() OVER (PARTITION BY cvr ORDER BY coalesce(start_date, ${NO_START}::date) DESC, id) AS rn
      FROM jobcentre.job_order o WHERE cvr = ANY(${[...cvrs]}::text[]) AND ${after}
    ) s WHERE rn <= ${page.limit}
    ORDER BY cvr, coalesce(start_date, ${NO_START}::date) DESC, id`.execute(db);
  return r.rows.map(toJobOrder);
}

export async function jobOrdersByIds(db: Db, ids: readonly string[]): Promise<JobOrderRecord[]> {
  if (ids.length === 0) return [];
  const r = await sql<Omit<JobOrderTable, 'changed_at'>>`SELECT * FROM jobcentre.job_order WHERE id = ANY(${[...ids]}::text[])`.execute(db);
  return r.rows.map(toJobOrder);
}

export async function countJobOrdersOfCompanies(db: Db, cvrs: readonly string[]): Promise<Map<string, number>> {
  const r = await sql<{ cvr: string; n: number }>`
    SELECT cvr, count(*)::int AS n FROM jobcentre.job_order WHERE cvr = ANY(${[...cvrs]}::text[]) GROUP BY cvr`.execute(db);
  return new Map(r.rows.map((x) => [x.cvr, Number(x.n)]));
}

/** Sums of measures per company and kind over a range of months (yyyy-mm, either end open). */
export async function measureSums(
  db: Db,
  cvrs: readonly string[],
  from: string | null,
  to: string | null,
): Promise<{ cvr: string; kind: MeasureKind; count: number }[]> {
  const r = await sql<{ cvr: string; kind: MeasureKind; count: number }>`
    SELECT cvr, kind, sum(count)::int AS count FROM jobcentre.measure
    WHERE cvr = ANY(${[...cvrs]}::text[]) AND (${from}::text IS NULL OR period >= ${from}) AND (${to}::text IS NULL OR period <= ${to})
    GROUP BY cvr, kind`.execute(db);
  return r.rows.map((x) => ({ ...x, count: Number(x.count) }));
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
  const r = await sql<{ cvr: string; notice_date: string; persons: number; reason: string }>`
    SELECT cvr, notice_date, persons, reason FROM jobcentre.layoff_notice
    WHERE cvr || '|' || notice_date || '|' || reason = ANY(${[...keys]}::text[])
      AND cvr = ANY(${[...new Set(keys.map((k) => k.slice(0, 8)))]}::text[])`.execute(db);
  return r.rows.map(toLayoff);
}

/** The latest (or the given) half-year's balance for each (disco, area) pair, in one statement. */
export async function balancesFor(
  db: Db,
  pairs: readonly { disco: string; area: string }[],
  period: string | null,
): Promise<BalanceRecord[]> {
  const r = await sql<BalanceRecord>`
    SELECT DISTINCT ON (b.disco, b.area) b.disco, b.area, b.period, b.category
    FROM jobcentre.balance b
    JOIN unnest(${pairs.map((p) => p.disco)}::text[], ${pairs.map((p) => p.area)}::text[]) AS k(disco, area) ON k.disco = b.disco AND k.area = b.area
    WHERE ${period}::text IS NULL OR b.period = ${period}
    ORDER BY b.disco, b.area, b.period DESC`.execute(db);
  return r.rows;
}

/** The latest period's unemployed count for each (disco, area) pair, in one statement. */
export async function suppliesFor(db: Db, pairs: readonly { disco: string; area: string }[]): Promise<SupplyRecord[]> {
  const r = await sql<SupplyRecord>`
    SELECT DISTINCT ON (s.disco, s.area) s.disco, s.area, s.period, s.count
    FROM jobcentre.supply s
    JOIN unnest(${pairs.map((p) => p.disco)}::text[], ${pairs.map((p) => p.area)}::text[]) AS k(disco, area) ON k.disco = s.disco AND s.area = k.area
    ORDER BY s.disco, s.area, s.period DESC`.execute(db);
  return r.rows.map((x) => ({ ...x, count: Number(x.count) }));
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
