import { sql, type Expression, type ExpressionBuilder, type ExpressionWrapper, type Selectable, type SqlBool } from 'kysely';
import { z } from 'zod';
import type { Db } from '../../src/db/database.js';
import type { Database } from '../../src/db/schema.js';
import type { ProvenanceSource } from '../../src/timeline.js';
import type { ContactSystem } from '../../src/generated/graphql.js';
import type {
  ContactEntryRecord,
  ContactKind,
  EvidenceRef,
  FollowUpRecord,
  NeedRecord,
  OverlapRecord,
  ProfileRecord,
  Severity,
  SignalKind,
  SignalRecord,
  SuggestionRecord,
} from './domain.js';
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

/**
 * When each source last synced (its latest successful run) and when the contact log was last written to
 * (its provenance, as "synced" is for an ingest source), as one JSON object by source name: a company view
 * lists them all, so they come in one go (inside the facts statement, or on their own).
 */
function syncedJson(sources: readonly ProvenanceSource[]) {
  const byRun = sources.filter((x) => !x.lastChanged).map((x) => x.name);
  const own = sources.filter((x) => x.lastChanged).map((x) => sql`UNION ALL SELECT ${x.name}::text, ${x.lastChanged!}`);
  return sql`(SELECT coalesce(jsonb_object_agg(s.source, s.synced_at), '{}') FROM (
      SELECT r.source, max(r.finished_at) AS synced_at FROM ingest.run r WHERE r.status = 'succeeded' AND r.source = ANY(${byRun}::text[]) GROUP BY r.source
      ${sql.join(own, sql` `)}) s)`;
}

const syncedMap = z
  .record(z.string(), z.string().nullable())
  .transform((m) => new Map(Object.entries(m).map(([k, v]) => [k, v === null ? null : new Date(v)])));

export async function sourcesSyncedAt(db: Db, sources: readonly ProvenanceSource[]): Promise<Map<string, Date | null>> {
  const r = await sql<{ synced: unknown }>`SELECT ${syncedJson(sources)} AS synced`.execute(db);
  return syncedMap.parse(r.rows[0]!.synced);
}

/** Everything the insights connector knows of one company, for its situation, coordination and competence match. */
export interface CompanyFacts {
  profile: ProfileRecord | null;
  signals: SignalRecord[];
  needs: NeedRecord[];
  lastBySystem: ContactEntryRecord[];
  activeActors: string[];
  followUps: FollowUpRecord[];
}

// The shapes json_agg gives back: checked here, so a renamed column fails loudly at the boundary, not in a resolver.
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const entryJson = z.object({
  cvr: z.string(),
  source: z.string(),
  source_key: z.string(),
  date: day,
  system: z.string(),
  kind: z.string(),
  organisation: z.string().nullable(),
  consultant: z.string().nullable(),
  channel: z.string().nullable(),
  topics: z.array(z.string()),
  summary: z.string().nullable(),
  follow_up_on: day.nullable(),
  referred_to: z.string().nullable(),
});
const profileJson = z.object({
  cvr: z.string(),
  name: z.string(),
  municipality_code: z.string().nullable(),
  area_code: z.string().nullable(),
  industry_code: z.string().nullable(),
  status: z.string(),
  open_vacancies: z.number(),
  open_positions: z.number(),
  hard_to_fill_vacancies: z.number(),
  participants_12m: z.number(),
  last_enrolment_on: day.nullable(),
  active_programmes: z.number(),
  competence_plan_missing: z.boolean(),
  last_contact_on: day.nullable(),
  last_contact_system: z.string().nullable(),
  last_jobcentre_contact_on: day.nullable(),
  last_erhvervshus_contact_on: day.nullable(),
  last_veu_contact_on: day.nullable(),
  signals: z.array(z.string()),
  fingerprint: z.string().nullable(),
  change_seq: z.number(),
  changed_at: z.string().transform((t) => new Date(t)),
  stale_on: day.nullable(),
});
const factsRow = z.object({
  cvr: z.string(),
  profile: profileJson.nullable(),
  signals: z.array(
    z.object({
      cvr: z.string(),
      kind: z.string(),
      severity: z.string(),
      since: day.nullable(),
      facts: z.record(z.string(), z.unknown()),
      evidence: z.array(z.object({ type: z.string(), key: z.string() })),
    }),
  ),
  needs: z.array(
    z.object({
      cvr: z.string(),
      disco: z.string(),
      area_code: z.string().nullable(),
      municipality_code: z.string().nullable(),
      vacancies: z.number(),
      open_positions: z.number(),
      balance_category: z.string().nullable(),
      balance_period: z.string().nullable(),
      unemployed: z.number().nullable(),
      job_rotation_possible: z.boolean(),
    }),
  ),
  last_by_system: z.array(entryJson),
  active_actors: z.array(z.string()),
  follow_ups: z.array(entryJson),
  synced: syncedMap,
});

/**
 * A company's derived facts in one statement per batch (one row per company, each part aggregated in a
 * correlated subquery on its cvr index): the profile, signals, competence needs, the latest entry from
 * each system, the organisations in contact since `activeSince`, and the follow-ups due by `followUpUntil`
 * that no later contact from the same organisation (up to today) has met; and, once for the batch, when the
 * `sources` last synced (the view's provenance, see sourcesSyncedAt).
 * The orders are the ones the separate reads had: needs by open positions, the latest entries by system,
 * actors most recent first, follow-ups by their day.
 */
export async function companyFacts(
  db: Db,
  cvrs: readonly string[],
  today: string,
  activeSince: string,
  followUpUntil: string,
  sources: readonly ProvenanceSource[],
): Promise<{ facts: Map<string, CompanyFacts>; synced: Map<string, Date | null> | null }> {
  if (cvrs.length === 0) return { facts: new Map(), synced: null };
  const keys = [...new Set(cvrs)];
  // One company (a company view) is one row for the planner: read from an array, it expects many, so
  // Postgres judged the prepared statement's generic plan costlier and planned it anew on every view (0.56 ms).
  const companies = keys.length === 1 ? sql`(SELECT ${keys[0]}::text) AS k(cvr)` : sql`unnest(${keys}::text[]) AS k(cvr)`;
  const r = await sql<unknown>`
    SELECT k.cvr,
      (SELECT to_jsonb(p) FROM insights.company_profile p WHERE p.cvr = k.cvr) AS profile,
      (SELECT coalesce(jsonb_agg(to_jsonb(s) ORDER BY s.kind), '[]') FROM insights.signal s WHERE s.cvr = k.cvr) AS signals,
      (SELECT coalesce(jsonb_agg(to_jsonb(n) ORDER BY n.open_positions DESC, n.disco), '[]') FROM insights.competence_need n WHERE n.cvr = k.cvr) AS needs,
      (SELECT coalesce(jsonb_agg(to_jsonb(l) ORDER BY l.system), '[]') FROM (
        SELECT DISTINCT ON (e.system) e.* FROM insights.contact_event e
        WHERE e.cvr = k.cvr AND e.date <= ${today}::date ORDER BY e.system, e.date DESC, e.source, e.source_key) l) AS last_by_system,
      (SELECT coalesce(jsonb_agg(a.organisation ORDER BY a.latest DESC, a.organisation), '[]') FROM (
        SELECT e.organisation, max(e.date) AS latest FROM insights.contact_event e
        WHERE e.cvr = k.cvr AND e.organisation IS NOT NULL AND e.date >= ${activeSince}::date AND e.date <= ${today}::date
        GROUP BY e.organisation) a) AS active_actors,
      (SELECT coalesce(jsonb_agg(to_jsonb(e) ORDER BY e.follow_up_on, e.date, e.source_key), '[]') FROM insights.contact_event e
        WHERE e.cvr = k.cvr AND e.follow_up_on IS NOT NULL AND e.follow_up_on <= ${followUpUntil}::date
          AND NOT EXISTS (
            SELECT 1 FROM insights.contact_event l
            WHERE l.cvr = e.cvr AND l.organisation IS NOT DISTINCT FROM e.organisation AND l.system = e.system
              AND l.date > e.date AND l.date <= ${today}::date)) AS follow_ups,
      ${syncedJson(sources)} AS synced
    FROM ${companies}`.execute(db);
  const out = new Map<string, CompanyFacts>();
  let synced: Map<string, Date | null> | null = null;
  for (const raw of r.rows) {
    const row = factsRow.parse(raw);
    synced = row.synced;
    out.set(row.cvr, {
      profile: row.profile ? toProfile(row.profile) : null,
      signals: row.signals.map((s) => ({
        cvr: s.cvr,
        kind: s.kind as SignalKind,
        severity: s.severity as Severity,
        since: s.since,
        facts: s.facts,
        evidence: s.evidence as EvidenceRef[],
      })),
      needs: row.needs.map((n) => ({
        cvr: n.cvr,
        disco: n.disco,
        areaCode: n.area_code,
        municipalityCode: n.municipality_code,
        vacancies: n.vacancies,
        openPositions: n.open_positions,
        balanceCategory: n.balance_category,
        balancePeriod: n.balance_period,
        unemployed: n.unemployed,
        jobRotationPossible: n.job_rotation_possible,
      })),
      lastBySystem: row.last_by_system.map(toEntry),
      activeActors: row.active_actors,
      followUps: row.follow_ups.map((e) => ({ date: e.follow_up_on!, overdue: e.follow_up_on! < today, entry: toEntry(e) })),
    });
  }
  return { facts: out, synced };
}

/** Conditions on a company's timeline, shared by a page and its count. */
export interface EntryFilter {
  systems: ContactSystem[] | null;
  kinds: ContactKind[] | null;
  from: string | null;
  to: string | null;
}

/** `insights.contact_event as e`, the alias the timeline conditions name. */
type EventDb = Database & { e: ContactEventTable };
type EventEb = ExpressionBuilder<EventDb, 'e'>;

const asDate = (d: string) => sql<string>`${d}::date`;

function entryConditions(f: EntryFilter) {
  return (eb: EventEb) => {
    const parts: Expression<SqlBool>[] = [];
    if (f.systems) parts.push(f.systems.length ? eb('e.system', 'in', f.systems) : eb.lit(false));
    if (f.kinds) parts.push(f.kinds.length ? eb('e.kind', 'in', f.kinds) : eb.lit(false));
    if (f.from) parts.push(eb('e.date', '>=', asDate(f.from)));
    if (f.to) parts.push(eb('e.date', '<=', asDate(f.to)));
    return eb.and(parts);
  };
}

/** Whether an entry comes after the cursor (date DESC, then (source, source_key) ascending). */
function pastCursor(eb: EventEb, after: [string, string, string] | null): ExpressionWrapper<EventDb, 'e', SqlBool> {
  if (!after) return eb.lit(true);
  return eb.or([
    eb('e.date', '<', asDate(after[0])),
    eb.and([eb('e.date', '=', asDate(after[0])), eb(eb.refTuple('e.source', 'e.source_key'), '>', eb.tuple(after[1], after[2]))]),
  ]);
}

/**
 * Newest first: (date DESC, source, source_key); `after` is the last entry's [date, source, key].
 * Each company's count of entries matching the filter (all pages, as totalCount says) comes in the same
 * statement; `totals` holds it for the companies with entries on the page.
 */
export async function entryPages(
  db: Db,
  cvrs: readonly string[],
  f: EntryFilter,
  limit: number,
  after: [string, string, string] | null,
): Promise<{ entries: ContactEntryRecord[]; totals: Map<string, number> }> {
  if (cvrs.length === 0 || limit === 0) return { entries: [], totals: new Map() };
  const rows = await db
    .selectFrom((eb) =>
      eb
        .selectFrom('insights.contact_event as e')
        .selectAll('e')
        .select((eb) => {
          const past = pastCursor(eb, after);
          // A ROWS frame (the builder writes only the default RANGE one): the running count looks for no peers.
          const rn = sql<number>`count(*) FILTER (WHERE ${past}) OVER (
            PARTITION BY ${eb.ref('e.cvr')} ORDER BY ${eb.ref('e.date')} DESC, ${eb.ref('e.source')}, ${eb.ref('e.source_key')} ROWS UNBOUNDED PRECEDING)`;
          return [
            past.as('past'),
            rn.as('rn'),
            eb.fn
              .countAll<number>()
              .over((ob) => ob.partitionBy('e.cvr'))
              .as('total'),
          ];
        })
        .where('e.cvr', 'in', cvrs)
        .where(entryConditions(f))
        .as('x'),
    )
    .selectAll()
    .where((eb) => eb.and([eb.ref('past'), eb('rn', '<=', limit)]))
    .orderBy('cvr')
    .orderBy('date', 'desc')
    .orderBy('source')
    .orderBy('source_key')
    .execute();
  return { entries: rows.map(toEntry), totals: new Map(rows.map((x) => [x.cvr, Number(x.total)])) };
}

export async function countEntries(db: Db, cvrs: readonly string[], f: EntryFilter): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('insights.contact_event as e')
    .select((eb) => ['e.cvr', eb.fn.countAll<number>().as('n')])
    .where('e.cvr', 'in', cvrs)
    .where(entryConditions(f))
    .groupBy('e.cvr')
    .execute();
  return new Map(rows.map((x) => [x.cvr, Number(x.n)]));
}

/** Entries by their evidence key (source|key), in one statement: the keys join as a set, so this stays SQL. */
export async function entriesByKeys(db: Db, keys: readonly string[]): Promise<ContactEntryRecord[]> {
  if (keys.length === 0) return [];
  const r = await sql<unknown>`
    SELECT e.* FROM insights.contact_event e
    JOIN unnest(${[...keys]}::text[]) AS k(key) ON e.source = split_part(k.key, '|', 1) AND e.source_key = substr(k.key, length(split_part(k.key, '|', 1)) + 2)`.execute(
    db,
  );
  return r.rows.map((row) => toEntry(entryJson.parse(row)));
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

// The lateral search's rows: the course and instance stay whole (loose) for the VEU loaders to prime.
const suggestionRow = z.object({
  key: z.string(),
  course: z.looseObject({ number: z.string() }),
  instance: z.looseObject({ id: z.string() }).nullable(),
  proximity: z.enum(['SAME_MUNICIPALITY', 'SAME_AREA']).nullable(),
});

/**
 * Up to `limit` courses per need, each with its best instance nearby: the next upcoming, not cancelled
 * instance still open for registration with seats left (or an unknown capacity) in the need's
 * municipality, else in its area.
 * One statement for all needs asked for, with the course and instance indexes doing the work.
 */
export async function courseSuggestions(
  db: Db,
  needs: readonly NeedPlace[],
  limit: number,
  today: string,
): Promise<Map<string, SuggestionRecord[]>> {
  const out = new Map<string, SuggestionRecord[]>(needs.map((n) => [n.key, []]));
  if (needs.length === 0 || limit === 0) return out;
  // The rows become JSON only for the `limit` winners of each need, joined back after the ranking: made
  // inside the ranking, every candidate instance of every matching course was turned into JSON first
  // (2.0 against 0.8 ms for one need of the demo's 252 courses).
  const r = await sql<unknown>`
    SELECT n.key, to_jsonb(c) AS course, to_jsonb(i) AS instance, x.proximity
    FROM json_to_recordset(${JSON.stringify(needs)}::json) AS n(key text, occupations text[], municipality text, area text[])
    CROSS JOIN LATERAL (
      SELECT c.number, c.positive_list, best.id, best.starts_on, best.proximity FROM veu.course c
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
    ) x
    JOIN veu.course c ON c.number = x.number
    LEFT JOIN veu.instance i ON i.id = x.id
    ORDER BY n.key, x.id IS NULL, x.proximity DESC, x.starts_on, x.positive_list DESC, x.number`.execute(db);
  for (const raw of r.rows) {
    const row = suggestionRow.parse(raw);
    out.get(row.key)!.push({
      courseNumber: row.course.number,
      instanceId: row.instance?.id ?? null,
      proximity: row.proximity,
      courseRow: row.course,
      instanceRow: row.instance,
    });
  }
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
  const place = q.municipality
    ? sql`AND e.cvr IN (SELECT cvr FROM insights.company_profile WHERE municipality_code = ${q.municipality})`
    : sql``;
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

const overlapRow = z.object({ cvr: z.string(), systems: z.array(z.string()), first: day, latest: day, referred: z.boolean() });

/** Companies with contacts from two or more systems in the window, latest contact first: one statement. */
export async function overlaps(db: Db, q: OverlapQuery): Promise<OverlapRecord[]> {
  if (q.limit === 0) return [];
  const cursor = q.after ? sql`AND (x.latest < ${q.after[0]}::date OR (x.latest = ${q.after[0]}::date AND x.cvr > ${q.after[1]}))` : sql``;
  const r = await sql<unknown>`
    SELECT * FROM (${overlapping(q)}) x WHERE true ${cursor}
    ORDER BY x.latest DESC, x.cvr LIMIT ${q.limit}`.execute(db);
  return r.rows
    .map((raw) => overlapRow.parse(raw))
    .map((x) => ({
      cvr: x.cvr,
      systems: x.systems as ContactSystem[],
      from: x.first,
      to: x.latest,
      referred: x.referred,
      window: { from: q.from, to: q.today },
    }));
}

export async function countOverlaps(db: Db, q: Omit<OverlapQuery, 'limit' | 'after'>): Promise<number> {
  const r = await sql<unknown>`SELECT count(*)::int AS n FROM (${overlapping(q)}) x`.execute(db);
  return z.object({ n: z.number() }).parse(r.rows[0]).n;
}
