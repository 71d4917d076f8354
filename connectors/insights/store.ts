import { sql, type Selectable } from 'kysely';
import type { Db } from '../../src/db/database.js';
import type { ContactSystem } from '../../src/generated/graphql.js';
import type { ContactEntryRecord, ContactKind, EvidenceRef, FollowUpRecord, NeedRecord, OverlapRecord, ProfileRecord, Proximity, Severity, SignalKind, SignalRecord, SuggestionRecord } from './domain.js';
import type { CompanyProfileTable, ContactEventTable } from './tables.js';

export const toProfile = (r: Selectable<CompanyProfileTable>): ProfileRecord => ({
  cvr: r.cvr,
  name: r.name,
  municipalityCode: r.municipality_code,
  areaCode: r.area_code,
  openVacancies: r.open_vacancies,
  openPositions: r.open_positions,
  hardToFillVacancies: r.hard_to_fill_vacancies,
  participantsLast12Months: r.participants_12m,
  lastEnrolmentOn: r.last_enrolment_on,
  activeProgrammes: r.active_programmes,
  competencePlanMissing: r.competence_plan_missing,
  lastContactOn: r.last_contact_on,
  lastContactSystem: r.last_contact_system as ContactSystem | null,
  signals: r.signals as SignalKind[],
  changeSequence: String(r.change_seq),
  changedAt: r.changed_at,
});

const toEntry = (r: Selectable<ContactEventTable>): ContactEntryRecord => ({
  cvr: r.cvr,
  source: r.source,
  sourceKey: r.source_key,
  date: r.date,
  system: r.system as ContactSystem,
  kind: r.kind as ContactKind,
  organisation: r.organisation,
  consultant: r.consultant,
  channel: r.channel as ContactEntryRecord['channel'],
  topics: r.topics,
  summary: r.summary,
  followUpOn: r.follow_up_on,
  referredTo: r.referred_to as ContactSystem | null,
});

export async function profilesByCvr(db: Db, cvrs: readonly string[]): Promise<ProfileRecord[]> {
  if (cvrs.length === 0) return [];
  return (await db.selectFrom('insights.company_profile').selectAll().where('cvr', 'in', cvrs).execute()).map(toProfile);
}

export async function signalsByCvr(db: Db, cvrs: readonly string[]): Promise<SignalRecord[]> {
  if (cvrs.length === 0) return [];
  const rows = await db.selectFrom('insights.signal').selectAll().where('cvr', 'in', cvrs).execute();
  return rows.map((r) => ({
    cvr: r.cvr,
    kind: r.kind as SignalKind,
    severity: r.severity as Severity,
    since: r.since,
    facts: r.facts,
    evidence: r.evidence as EvidenceRef[],
  }));
}

export async function needsByCvr(db: Db, cvrs: readonly string[]): Promise<NeedRecord[]> {
  if (cvrs.length === 0) return [];
  const rows = await db.selectFrom('insights.competence_need').selectAll().where('cvr', 'in', cvrs).orderBy('cvr').orderBy('open_positions', 'desc').orderBy('disco').execute();
  return rows.map((r) => ({
    cvr: r.cvr,
    disco: r.disco,
    areaCode: r.area_code,
    municipalityCode: r.municipality_code,
    vacancies: r.vacancies,
    openPositions: r.open_positions,
    balanceCategory: r.balance_category,
    balancePeriod: r.balance_period,
    unemployed: r.unemployed,
    jobRotationPossible: r.job_rotation_possible,
  }));
}

/** Conditions on a company's timeline, shared by a page and its count. */
export interface EntryFilter {
  systems: ContactSystem[] | null;
  kinds: ContactKind[] | null;
  from: string | null;
  to: string | null;
}

function entryConditions(f: EntryFilter) {
  const parts = [sql`true`];
  if (f.systems) parts.push(f.systems.length ? sql`e.system IN (${sql.join(f.systems)})` : sql`false`);
  if (f.kinds) parts.push(f.kinds.length ? sql`e.kind IN (${sql.join(f.kinds)})` : sql`false`);
  if (f.from) parts.push(sql`e.date >= ${f.from}::date`);
  if (f.to) parts.push(sql`e.date <= ${f.to}::date`);
  return sql.join(parts, sql` AND `);
}

/** Newest first: (date DESC, source, source_key); `after` is the last entry's [date, source, key]. */
export async function entryPages(db: Db, cvrs: readonly string[], f: EntryFilter, limit: number, after: [string, string, string] | null): Promise<ContactEntryRecord[]> {
  if (cvrs.length === 0 || limit === 0) return [];
  const cursor = after
    ? sql`AND (e.date < ${after[0]}::date OR (e.date = ${after[0]}::date AND (e.source, e.source_key) > (${after[1]}, ${after[2]})))`
    : sql``;
  const r = await sql<Selectable<ContactEventTable>>`
    SELECT * FROM (
      SELECT e.*, row_number() OVER (PARTITION BY e.cvr ORDER BY e.date DESC, e.source, e.source_key) AS rn
      FROM insights.contact_event e WHERE e.cvr IN (${sql.join([...cvrs])}) AND ${entryConditions(f)} ${cursor}
    ) x WHERE rn <= ${limit} ORDER BY cvr, date DESC, source, source_key`.execute(db);
  return r.rows.map(toEntry);
}

export async function countEntries(db: Db, cvrs: readonly string[], f: EntryFilter): Promise<Map<string, number>> {
  const r = await sql<{ cvr: string; n: number }>`
    SELECT e.cvr, count(*)::int AS n FROM insights.contact_event e WHERE e.cvr IN (${sql.join([...cvrs])}) AND ${entryConditions(f)} GROUP BY e.cvr`.execute(db);
  return new Map(r.rows.map((x) => [x.cvr, x.n]));
}

/** Entries by their evidence key (source|key), in one statement. */
export async function entriesByKeys(db: Db, keys: readonly string[]): Promise<ContactEntryRecord[]> {
  if (keys.length === 0) return [];
  const r = await sql<Selectable<ContactEventTable>>`
    SELECT e.* FROM insights.contact_event e
    JOIN unnest(${[...keys]}::text[]) AS k(key) ON e.source = split_part(k.key, '|', 1) AND e.source_key = substr(k.key, length(split_part(k.key, '|', 1)) + 2)`.execute(db);
  return r.rows.map(toEntry);
}

/** The latest entry from each system for each company, not counting entries dated after today. */
export async function lastBySystem(db: Db, cvrs: readonly string[], today: string): Promise<ContactEntryRecord[]> {
  if (cvrs.length === 0) return [];
  const r = await sql<Selectable<ContactEventTable>>`
    SELECT DISTINCT ON (e.cvr, e.system) e.* FROM insights.contact_event e
    WHERE e.cvr IN (${sql.join([...cvrs])}) AND e.date <= ${today}::date
    ORDER BY e.cvr, e.system, e.date DESC, e.source, e.source_key`.execute(db);
  return r.rows.map(toEntry);
}

/** Organisations in contact since `since`, most recent first. */
export async function activeActors(db: Db, cvrs: readonly string[], since: string, today: string): Promise<{ cvr: string; organisation: string }[]> {
  if (cvrs.length === 0) return [];
  const r = await sql<{ cvr: string; organisation: string }>`
    SELECT e.cvr, e.organisation FROM insights.contact_event e
    WHERE e.cvr IN (${sql.join([...cvrs])}) AND e.organisation IS NOT NULL AND e.date >= ${since}::date AND e.date <= ${today}::date
    GROUP BY e.cvr, e.organisation ORDER BY e.cvr, max(e.date) DESC, e.organisation`.execute(db);
  return r.rows;
}

/** Follow-ups due by `until` that no later contact from the same organisation (up to today) has met. */
export async function followUpsDue(db: Db, cvrs: readonly string[], today: string, until: string): Promise<FollowUpRecord[]> {
  if (cvrs.length === 0) return [];
  const r = await sql<Selectable<ContactEventTable>>`
    SELECT e.* FROM insights.contact_event e
    WHERE e.cvr IN (${sql.join([...cvrs])}) AND e.follow_up_on IS NOT NULL AND e.follow_up_on <= ${until}::date
      AND NOT EXISTS (
        SELECT 1 FROM insights.contact_event l
        WHERE l.cvr = e.cvr AND l.organisation IS NOT DISTINCT FROM e.organisation AND l.system = e.system
          AND l.date > e.date AND l.date <= ${today}::date)
    ORDER BY e.cvr, e.follow_up_on, e.date, e.source_key`.execute(db);
  return r.rows.map((row) => ({ date: row.follow_up_on!, overdue: row.follow_up_on! < today, entry: toEntry(row) }));
}

export interface NeedPlace {
  /** Which need this is for (cvr|disco). */
  key: string;
  /** The occupation and its group one level up. */
  occupations: string[];
  municipality: string | null;
  /** Municipalities of the company's labour-market area. */
  area: string[];
}

/**
 * Up to `limit` courses per need, each with its best instance nearby: the next upcoming, not cancelled
 * instance still open for registration with seats left (or an unknown capacity) in the need's
 * municipality, else in its area.
 * One statement for all needs asked for, with the course and instance indexes doing the work.
 */
export async function courseSuggestions(db: Db, needs: readonly NeedPlace[], limit: number, today: string): Promise<Map<string, SuggestionRecord[]>> {
  const out = new Map<string, SuggestionRecord[]>(needs.map((n) => [n.key, []]));
  if (needs.length === 0 || limit === 0) return out;
  const r = await sql<{ key: string; number: string; instance_id: string | null; proximity: Proximity | null }>`
    SELECT n.key, x.number, x.instance_id, x.proximity
    FROM json_to_recordset(${JSON.stringify(needs)}::json) AS n(key text, occupations text[], municipality text, area text[])
    CROSS JOIN LATERAL (
      SELECT c.number, best.id AS instance_id, best.proximity FROM veu.course c
      LEFT JOIN LATERAL (
        SELECT i.id, i.starts_on, CASE WHEN i.municipality_code = n.municipality THEN 'SAME_MUNICIPALITY' ELSE 'SAME_AREA' END AS proximity
        FROM veu.instance i
        WHERE i.course_number = c.number AND NOT i.cancelled AND i.starts_on >= ${today}::date
          AND (i.apply_by IS NULL OR i.apply_by >= ${today}::date)
          AND i.municipality_code = ANY(n.area || n.municipality)
          AND (i.capacity IS NULL OR i.capacity > i.participants)
        ORDER BY i.municipality_code = n.municipality DESC, i.starts_on, i.id LIMIT 1
      ) best ON true
      WHERE c.occupations && n.occupations
      ORDER BY best.id IS NULL, best.proximity DESC, best.starts_on, c.positive_list DESC, c.number
      LIMIT ${limit}
    ) x`.execute(db);
  for (const row of r.rows) out.get(row.key)!.push({ courseNumber: row.number, instanceId: row.instance_id, proximity: row.proximity });
  return out;
}

export interface OverlapQuery {
  from: string;
  today: string;
  municipality: string | null;
  uncoordinatedOnly: boolean;
  limit: number;
  /** Keyset after (latest contact, cvr), latest first. */
  after: [string, string] | null;
}

/** The companies with contacts from two or more systems in the window, whether a referral connects them. */
function overlapping(q: Omit<OverlapQuery, 'limit' | 'after'>) {
  const place = q.municipality ? sql`AND e.cvr IN (SELECT cvr FROM insights.company_profile WHERE municipality_code = ${q.municipality})` : sql``;
  return sql`
    SELECT o.*, ref.referred FROM (
      SELECT e.cvr, array_agg(DISTINCT e.system ORDER BY e.system) AS systems, min(e.date) AS first, max(e.date) AS latest
      FROM insights.contact_event e
      WHERE e.date >= ${q.from}::date AND e.date <= ${q.today}::date ${place}
      GROUP BY e.cvr HAVING count(DISTINCT e.system) >= 2
    ) o
    CROSS JOIN LATERAL (
      SELECT EXISTS (
        SELECT 1 FROM insights.contact_event r
        WHERE r.cvr = o.cvr AND r.kind = 'REFERRAL' AND r.date >= ${q.from}::date AND r.date <= ${q.today}::date
          AND r.referred_to <> r.system AND r.system = ANY(o.systems) AND r.referred_to = ANY(o.systems)) AS referred
    ) ref
    WHERE (NOT ${q.uncoordinatedOnly} OR NOT ref.referred)`;
}

/** Companies with contacts from two or more systems in the window, latest contact first: one statement. */
export async function overlaps(db: Db, q: OverlapQuery): Promise<OverlapRecord[]> {
  if (q.limit === 0) return [];
  const cursor = q.after ? sql`AND (x.latest < ${q.after[0]}::date OR (x.latest = ${q.after[0]}::date AND x.cvr > ${q.after[1]}))` : sql``;
  const r = await sql<{ cvr: string; systems: ContactSystem[]; first: string; latest: string; referred: boolean }>`
    SELECT * FROM (${overlapping(q)}) x WHERE true ${cursor}
    ORDER BY x.latest DESC, x.cvr LIMIT ${q.limit}`.execute(db);
  return r.rows.map((x) => ({ cvr: x.cvr, systems: x.systems, from: x.first, to: x.latest, referred: x.referred, window: { from: q.from, to: q.today } }));
}

export async function countOverlaps(db: Db, q: Omit<OverlapQuery, 'limit' | 'after'>): Promise<number> {
  return (await sql<{ n: number }>`SELECT count(*)::int AS n FROM (${overlapping(q)}) x`.execute(db)).rows[0]!.n;
}
