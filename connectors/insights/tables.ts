import type { ColumnType } from 'kysely';

type Jsonb<T> = ColumnType<T, string, string>;

/** One row per registry company: the derived facts searched by Query.companies. */
export interface CompanyProfileTable {
  cvr: string;
  name: string;
  municipality_code: string | null;
  area_code: string | null;
  industry_code: string | null;
  status: string;
  open_vacancies: number;
  open_positions: number;
  hard_to_fill_vacancies: number;
  participants_12m: number;
  last_enrolment_on: string | null;
  active_programmes: number;
  competence_plan_missing: boolean;
  last_contact_on: string | null;
  last_contact_system: string | null;
  last_jobcentre_contact_on: string | null;
  last_erhvervshus_contact_on: string | null;
  last_veu_contact_on: string | null;
  signals: string[];
  fingerprint: string | null;
  /** bigint; pg returns it as a number (see src/db/database.ts), exact below 2^53. */
  change_seq: number;
  /** When the derived facts last changed (a rebuild that finds nothing new leaves it). */
  changed_at: Date;
  stale_on: string | null;
}

/** One contact with a company from any system (the merged timeline). */
export interface ContactEventTable {
  source: string;
  source_key: string;
  cvr: string;
  date: string;
  system: string;
  kind: string;
  organisation: string | null;
  consultant: string | null;
  channel: string | null;
  topics: string[];
  summary: string | null;
  follow_up_on: string | null;
  referred_to: string | null;
}

export interface CompetenceNeedTable {
  cvr: string;
  disco: string;
  area_code: string | null;
  municipality_code: string | null;
  vacancies: number;
  open_positions: number;
  first_posted_on: string;
  balance_category: string | null;
  balance_period: string | null;
  unemployed: number | null;
  supply_period: string | null;
  job_rotation_possible: boolean;
}

export interface SignalTable {
  cvr: string;
  kind: string;
  severity: string;
  since: string | null;
  facts: Jsonb<Record<string, unknown>>;
  evidence: Jsonb<{ type: string; key: string }[]>;
}

export interface StateTable {
  id: boolean;
  rebuilt_at: Date | null;
  refreshed_on: string | null;
}

/** A bigint read as text where it must stay exact (ids, sequences): pg would give a JS number (src/db/database.ts). */
type Int8 = ColumnType<number, number | string, number | string>;
type Stamp = ColumnType<Date, never, never>;

/** A change-feed subscription (migrations/0003_webhooks.ts). */
export interface WebhookTable {
  id: ColumnType<number, never, never>;
  caller: string | null;
  url: string;
  sections: ColumnType<string[], string[] | undefined, string[]>;
  municipality_code: string | null;
  secret: string;
  last_sequence: Int8;
  active: ColumnType<boolean, boolean | undefined, boolean>;
  failures: ColumnType<number, number | undefined, number>;
  disabled_reason: string | null;
  created_at: Stamp;
}

/** One batch of changes for one subscription, with its delivery attempts. */
export interface WebhookDeliveryTable {
  id: ColumnType<number, never, never>;
  webhook_id: Int8;
  first_sequence: Int8;
  last_sequence: Int8;
  changes: number;
  payload: string;
  /** PENDING, DELIVERED or FAILED. */
  status: ColumnType<string, string | undefined, string>;
  attempts: ColumnType<number, number | undefined, number>;
  last_status_code: number | null;
  last_error: string | null;
  next_attempt_at: ColumnType<Date, Date | undefined, Date>;
  last_attempt_at: Date | null;
  delivered_at: Date | null;
  created_at: Stamp;
}

export interface InsightsTables {
  'insights.company_profile': CompanyProfileTable;
  'insights.contact_event': ContactEventTable;
  'insights.competence_need': CompetenceNeedTable;
  'insights.signal': SignalTable;
  'insights.state': StateTable;
  'insights.webhook': WebhookTable;
  'insights.webhook_delivery': WebhookDeliveryTable;
}

// Joins the hub's Database interface (src/db/schema.ts) without the hub importing this connector.
declare module '../../src/db/schema.js' {
  interface Database extends InsightsTables {}
}
