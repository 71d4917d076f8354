import type { ColumnType, Generated } from 'kysely';

/** How each CRM row is tied to a company: its own identity of the company and the CVR the hub resolved. */
interface MatchColumns {
  /** CVR as the CRM wrote it (may be blank or fail its check). */
  given_cvr: string | null;
  company_name: string | null;
  municipality_code: string | null;
  /** The company the row belongs to; null while unmatched. */
  cvr: string | null;
  /** 'CVR' | 'NAME_AND_MUNICIPALITY'; null while unmatched. */
  matched_by: string | null;
  /** Registry companies that fit the name and municipality (only counted for rows without a valid CVR). */
  name_candidates: number | null;
  /** Why the row's CVR could not be used, e.g. "no CVR". */
  problem: string | null;
  run_id: number;
  changed_at: Generated<Date>;
}

/** An advisory account (kundekonto): the business house's relation to one company. */
export interface AccountTable extends MatchColumns {
  source_key: string;
  advisor_name: string;
  office: string | null;
  segment: string | null;
  since: string | null;
}

/** A meeting (møde) between an advisor and a company. */
export interface MeetingTable extends MatchColumns {
  source_key: string;
  meeting_date: string;
  advisor_name: string;
  topics: ColumnType<string[], string[] | undefined, string[]>;
  title: string | null;
}

/** A guidance programme (forløb), e.g. a growth package (vækstpakke). */
export interface ProgrammeTable extends MatchColumns {
  source_key: string;
  /** ProgrammeKind enum name. */
  kind: string;
  /** The kind as the CRM wrote it. */
  kind_text: string;
  /** ProgrammeStatus enum name. */
  status: string;
  started_on: string;
  ended_on: string | null;
  competence_plan_agreed: boolean | null;
  advisor_name: string | null;
}

/** A referral (henvisning) of the company to another actor. */
export interface ReferralTable extends MatchColumns {
  source_key: string;
  to_actor: string;
  referred_on: string;
  reason: string | null;
  /** ReferralStatus enum name. */
  status: string;
}

export interface CrmTables {
  'crm.account': AccountTable;
  'crm.meeting': MeetingTable;
  'crm.programme': ProgrammeTable;
  'crm.referral': ReferralTable;
}

// Joins the hub's Database interface (src/db/schema.ts) without the hub importing this connector.
declare module '../../src/db/schema.js' {
  interface Database extends CrmTables {}
}
