import { sql, type Selectable } from 'kysely';
import type { Db } from '../../src/db/database.js';
import type { MeetingTable, ProgrammeTable, ReferralTable } from './tables.js';
import type {
  AccountRecord,
  CrmRecordKind,
  MatchedBy,
  MeetingRecord,
  ProgrammeRecord,
  ProgrammeKind,
  ProgrammeStatus,
  ReferralRecord,
  ReferralStatus,
  UnmatchedRecord,
} from './domain.js';

// Rows read by CVR are matched by definition (a CHECK ties cvr and matched_by together).
const matched = (m: string | null) => m as MatchedBy;

/** The most recent account per company (a company may have one per advisor). */
export async function accountsByCvr(db: Db, cvrs: readonly string[]): Promise<AccountRecord[]> {
  if (cvrs.length === 0) return [];
  const rows = await db
    .selectFrom('crm.account')
    .distinctOn('cvr')
    .select(['cvr', 'advisor_name', 'office', 'segment', 'since', 'matched_by'])
    .where('cvr', 'in', cvrs)
    .orderBy('cvr')
    .orderBy(sql`since DESC NULLS LAST`)
    .orderBy('source_key')
    .execute();
  return rows.map((r) => ({
    cvr: r.cvr!,
    advisor: { name: r.advisor_name, office: r.office },
    segment: r.segment,
    since: r.since,
    matchedBy: matched(r.matched_by),
  }));
}

const toProgramme = (r: Selectable<ProgrammeTable>): ProgrammeRecord => ({
  key: r.source_key,
  cvr: r.cvr!,
  kind: r.kind as ProgrammeKind,
  kindText: r.kind_text,
  status: r.status as ProgrammeStatus,
  startedOn: r.started_on,
  endedOn: r.ended_on,
  competencePlanAgreed: r.competence_plan_agreed,
  advisor: r.advisor_name ? { name: r.advisor_name, office: null } : null,
  matchedBy: matched(r.matched_by),
});

const toReferral = (r: Selectable<ReferralTable>): ReferralRecord => ({
  key: r.source_key,
  cvr: r.cvr!,
  toActor: r.to_actor,
  date: r.referred_on,
  reason: r.reason,
  status: r.status as ReferralStatus,
  matchedBy: matched(r.matched_by),
});

const toMeeting = (
  r: Pick<Selectable<MeetingTable>, 'source_key' | 'cvr' | 'meeting_date' | 'advisor_name' | 'topics' | 'title' | 'matched_by'>,
): MeetingRecord => ({
  key: r.source_key,
  cvr: r.cvr!,
  date: r.meeting_date,
  advisor: { name: r.advisor_name, office: null },
  topics: r.topics,
  title: r.title,
  matchedBy: matched(r.matched_by),
});

export async function programmesByCvr(db: Db, cvrs: readonly string[]): Promise<ProgrammeRecord[]> {
  if (cvrs.length === 0) return [];
  const rows = await db
    .selectFrom('crm.programme')
    .selectAll()
    .where('cvr', 'in', cvrs)
    .orderBy('cvr')
    .orderBy('started_on')
    .orderBy('source_key')
    .execute();
  return rows.map(toProgramme);
}

export async function referralsByCvr(db: Db, cvrs: readonly string[]): Promise<ReferralRecord[]> {
  if (cvrs.length === 0) return [];
  const rows = await db
    .selectFrom('crm.referral')
    .selectAll()
    .where('cvr', 'in', cvrs)
    .orderBy('cvr')
    .orderBy('referred_on')
    .orderBy('source_key')
    .execute();
  return rows.map(toReferral);
}

// By key, for references from other subgraphs. Only rows tied to a company: an unmatched row is not part of any company's graph.
export async function programmesByKeys(db: Db, keys: readonly string[]): Promise<ProgrammeRecord[]> {
  if (keys.length === 0) return [];
  return (await db.selectFrom('crm.programme').selectAll().where('source_key', 'in', keys).where('cvr', 'is not', null).execute()).map(
    toProgramme,
  );
}

export async function referralsByKeys(db: Db, keys: readonly string[]): Promise<ReferralRecord[]> {
  if (keys.length === 0) return [];
  return (await db.selectFrom('crm.referral').selectAll().where('source_key', 'in', keys).where('cvr', 'is not', null).execute()).map(
    toReferral,
  );
}

export async function meetingsByKeys(db: Db, keys: readonly string[]): Promise<MeetingRecord[]> {
  if (keys.length === 0) return [];
  return (await db.selectFrom('crm.meeting').selectAll().where('source_key', 'in', keys).where('cvr', 'is not', null).execute()).map(
    toMeeting,
  );
}

export interface MeetingPage {
  meetings: MeetingRecord[];
  /** Meetings of the company across all pages. */
  total: number;
}

/**
 * One page of meetings for each of several companies in one statement: newest first, at most
 * `limit` per company after the (date, key) cursor, each with the company's total.
 */
export async function meetingPages(
  db: Db,
  cvrs: readonly string[],
  limit: number,
  after: [string, string] | null,
): Promise<Map<string, MeetingPage>> {
  const pages = new Map<string, MeetingPage>(cvrs.map((c) => [c, { meetings: [], total: 0 }]));
  if (cvrs.length === 0) return pages;
  const cursor = after ? sql`(meeting_date, source_key) < (${after[0]}::date, ${after[1]})` : sql`true`;
  const rows = await sql<{
    cvr: string;
    source_key: string;
    meeting_date: string;
    advisor_name: string;
    topics: string[];
    title: string | null;
    matched_by: string;
    total: number;
    rn: number;
  }>`
    SELECT * FROM (
      SELECT s.*, row_number() OVER (PARTITION BY cvr ORDER BY meeting_date DESC, source_key DESC)::int AS rn
      FROM (
        SELECT cvr, source_key, meeting_date, advisor_name, topics, title, matched_by, count(*) OVER (PARTITION BY cvr)::int AS total
        FROM crm.meeting WHERE cvr = ANY(${[...cvrs]}::text[])
      ) s
      WHERE ${cursor}
    ) p
    WHERE rn <= ${limit}
    ORDER BY cvr, rn`.execute(db);
  // Companies whose every meeting lies before the cursor still need their total.
  const totals = new Map<string, number>();
  for (const r of rows.rows) {
    totals.set(r.cvr, r.total);
    pages.get(r.cvr)!.meetings.push(toMeeting(r));
  }
  for (const [cvr, total] of totals) pages.get(cvr)!.total = total;
  return pages;
}

const UNMATCHED = sql`
  SELECT 'ACCOUNT' AS kind, source_key, company_name, municipality_code, given_cvr, since AS day, problem, name_candidates, run_id FROM crm.account WHERE cvr IS NULL
  UNION ALL SELECT 'MEETING', source_key, company_name, municipality_code, given_cvr, meeting_date, problem, name_candidates, run_id FROM crm.meeting WHERE cvr IS NULL
  UNION ALL SELECT 'PROGRAMME', source_key, company_name, municipality_code, given_cvr, started_on, problem, name_candidates, run_id FROM crm.programme WHERE cvr IS NULL
  UNION ALL SELECT 'REFERRAL', source_key, company_name, municipality_code, given_cvr, referred_on, problem, name_candidates, run_id FROM crm.referral WHERE cvr IS NULL`;

/** Unmatched rows of all four feeds, by kind then key, `limit` rows after the cursor. */
export async function unmatchedRecords(db: Db, limit: number, after: [string, string] | null): Promise<UnmatchedRecord[]> {
  const cursor = after ? sql`(kind, source_key) > (${after[0]}, ${after[1]})` : sql`true`;
  const rows = await sql<{
    kind: string;
    source_key: string;
    company_name: string | null;
    municipality_code: string | null;
    given_cvr: string | null;
    day: string | null;
    problem: string | null;
    name_candidates: number | null;
    run_id: number;
  }>`
    SELECT * FROM (${UNMATCHED}) u WHERE ${cursor} ORDER BY kind, source_key LIMIT ${limit}`.execute(db);
  return rows.rows.map((r) => ({
    kind: r.kind as CrmRecordKind,
    key: r.source_key,
    companyName: r.company_name,
    municipalityCode: r.municipality_code,
    givenCvr: r.given_cvr,
    date: r.day,
    problem: r.problem,
    nameCandidates: r.name_candidates,
    runId: r.run_id,
  }));
}

export async function countUnmatched(db: Db): Promise<number> {
  const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM (${UNMATCHED}) u`.execute(db);
  return r.rows[0]!.n;
}
