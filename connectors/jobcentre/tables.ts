import type { ColumnType, Generated } from 'kysely';

type Stamps = { run_id: number; changed_at: Generated<Date> };

/** One job ad (jobopslag) from Jobnet; `cvr` is null when the ad names no valid company. */
export interface VacancyTable extends Stamps {
  id: string;
  cvr: string | null;
  /** HiringOrgCVR exactly as the feed gave it, so an unmatched ad can be traced. */
  hiring_org_cvr: string | null;
  hiring_org_name: string | null;
  title: string;
  disco: string | null;
  occupation_label: string | null;
  /** How the DISCO code was found: "code", "esco" or "label". */
  occupation_via: string | null;
  positions: number | null;
  posted_at: string;
  apply_by: string | null;
  employment_type: string | null;
  work_hours: string | null;
  workplace_address: string | null;
  workplace_postcode: string | null;
  workplace_city: string | null;
  municipality_code: string | null;
  /** WorkPlaceNotStatic: the work moves between places (no fixed workplace); null when no record said. */
  workplace_not_static: boolean | null;
  /** IsExternal: Jobnet lists the ad from another job site (ids starting with "E"); null when unknown. */
  external: boolean | null;
  /** Set when the ad disappeared from a full feed; an ad is never deleted. */
  closed_at: ColumnType<string | null, string | null | undefined, string | null>;
}

/** A job order (jobordre) a jobcentre took from a company. */
export interface JobOrderTable extends Stamps {
  id: string;
  cvr: string;
  p_number: string | null;
  title: string;
  disco: string | null;
  esco_uri: string | null;
  order_type: string | null;
  status: string | null;
  start_date: string | null;
}

/** Company-directed measures (virksomhedsrettede tilbud) per company, month and kind: a count, never persons. */
export interface MeasureTable extends Stamps {
  cvr: string;
  /** yyyy-mm */
  period: string;
  /** MeasureKind enum name. */
  kind: string;
  count: number;
}

/** A layoff notice (varsel om afskedigelse) as a count of persons. */
export interface LayoffNoticeTable extends Stamps {
  cvr: string;
  notice_date: string;
  /** LayoffReason enum name. */
  reason: string;
  persons: number;
}

/** Unemployed persons (ledige) per occupation, area and period: an aggregate. */
export interface SupplyTable extends Stamps {
  disco: string;
  area: string;
  period: string;
  count: number;
}

/** Arbejdsmarkedsbalancen: one assessment per occupation, area and half-year. */
export interface BalanceTable extends Stamps {
  disco: string;
  area: string;
  /** yyyyH1 or yyyyH2 */
  period: string;
  /** BalanceCategory enum name. */
  category: string;
}

export interface JobcentreTables {
  'jobcentre.vacancy': VacancyTable;
  'jobcentre.job_order': JobOrderTable;
  'jobcentre.measure': MeasureTable;
  'jobcentre.layoff_notice': LayoffNoticeTable;
  'jobcentre.supply': SupplyTable;
  'jobcentre.balance': BalanceTable;
}

// Joins the hub's Database interface (src/db/schema.ts) without the hub importing this connector.
declare module '../../src/db/schema.js' {
  interface Database extends JobcentreTables {}
}
