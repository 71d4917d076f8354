import { sql, type Selectable } from 'kysely';
import { anyText } from '../../src/db/arrays.js';
import type { Db } from '../../src/db/database.js';
import { perParent } from '../../src/db/paging.js';
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
  const rows = await perParent(db, (eb) =>
    eb
      .selectFrom((eb) =>
        eb
          .selectFrom('crm.meeting')
          .select((eb) => [
            'cvr',
            'source_key',
            'meeting_date',
            'advisor_name',
            'topics',
            'title',
            'matched_by',
            eb.fn
              .countAll<number>()
              .over((ob) => ob.partitionBy('cvr'))
              .as('total'),
          ])
          .where('cvr', '=', anyText(cvrs))
          .as('s'),
      )
      .selectAll('s'),
  )
    .top({
      alias: 's',
      parent: 'cvr',
      sort: [
        { by: 'meeting_date', desc: true },
        { by: 'source_key', desc: true },
      ],
      after: after && [sql<string>`${after[0]}::date`, after[1]],
      limit,
    })
    .execute();
  // Companies whose every meeting lies before the cursor still need their total.
  const totals = new Map<string, number>();
  for (const r of rows) {
    totals.set(r.cvr!, Number(r.total));
    pages.get(r.cvr!)!.meetings.push(toMeeting(r));
  }
  for (const [cvr, total] of totals) pages.get(cvr)!.total = total;
  return pages;
}

/** The rows of all four feeds tied to no company, in one shape: each feed's own date is the `day`. */
function unmatchedRows(db: Db) {
  const matchColumns = ['source_key', 'company_name', 'municipality_code', 'given_cvr'] as const;
  const rest = ['problem', 'name_candidates', 'run_id'] as const;
  const kind = (k: CrmRecordKind) => sql.lit<CrmRecordKind>(k).as('kind');
  return db
    .selectFrom('crm.account')
    .select([kind('ACCOUNT'), ...matchColumns, 'since as day', ...rest])
    .where('cvr', 'is', null)
    .unionAll(
      db
        .selectFrom('crm.meeting')
        .select([kind('MEETING'), ...matchColumns, 'meeting_date as day', ...rest])
        .where('cvr', 'is', null),
    )
    .unionAll(
      db
        .selectFrom('crm.programme')
        .select([kind('PROGRAMME'), ...matchColumns, 'started_on as day', ...rest])
        .where('cvr', 'is', null),
    )
    .unionAll(
      db
        .selectFrom('crm.referral')
        .select([kind('REFERRAL'), ...matchColumns, 'referred_on as day', ...rest])
        .where('cvr', 'is', null),
    );
}

/** Unmatched rows of all four feeds, by kind then key, `limit` rows after the cursor. */
export async function unmatchedRecords(db: Db, limit: number, after: [string, string] | null): Promise<UnmatchedRecord[]> {
  const rows = await db
    .selectFrom(unmatchedRows(db).as('u'))
    .selectAll()
    .$if(after !== null, (q) =>
      q.where((eb) => eb(eb.refTuple('kind', 'source_key'), '>', eb.tuple(after![0] as CrmRecordKind, after![1]))),
    )
    .orderBy('kind')
    .orderBy('source_key')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    kind: r.kind,
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
  const r = await db
    .selectFrom(unmatchedRows(db).as('u'))
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
