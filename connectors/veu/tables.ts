import type { ColumnType, Generated } from 'kysely';

type Numeric = ColumnType<number, number | string, number | string>;

/** One AMU course in the catalogue (AMU-kursus), keyed by its 5-digit number. */
export interface CourseTable {
  number: string;
  title: string;
  days: Numeric;
  /** Target occupations as DISCO-08 codes. */
  occupations: ColumnType<string[], string[] | undefined, string[]>;
  positive_list: boolean;
  run_id: number;
  changed_at: Generated<Date>;
}

/** A course provider (udbyder): AMU centre, vocational college, VUC or business academy. */
export interface ProviderTable {
  /** Lower-cased, space-normalised name: how instances refer to the provider. */
  name_key: string;
  name: string;
  number: string | null;
  kind: string | null;
  street: string | null;
  postcode: string | null;
  city: string | null;
  municipality_code: string | null;
  website: string | null;
  run_id: number;
  changed_at: Generated<Date>;
}

/** One planned course instance (hold) as the national course search lists it. */
export interface InstanceTable {
  id: string;
  course_number: string;
  title: string | null;
  provider_name: string | null;
  provider_key: string | null;
  place_name: string | null;
  street: string | null;
  postcode: string | null;
  city: string | null;
  /** Null when the postcode is unknown to the shipped list (place unresolved). */
  municipality_code: string | null;
  starts_on: ColumnType<string, string, string>;
  ends_on: ColumnType<string, string, string>;
  apply_by: ColumnType<string | null, string | null, string | null>;
  form_text: string | null;
  participants: number;
  capacity: number | null;
  cancelled: boolean;
  /** Time of day as the course search writes it (undervisningstidspunkt), e.g. "08:00 - 15:24". */
  time_of_day: string | null;
  /** Teaching days (antalUndervisningsdage, else duration). */
  teaching_days: ColumnType<number | null, number | null, number | null>;
  minimum_participants: number | null;
  /** Guaranteed to run (garantiKursus). */
  guaranteed: boolean | null;
  /** The course search's `aabent` flag, kept as given. */
  open_flag: boolean | null;
  /** Standard participant fee in DKK (normpris) and any surcharge (tillaegspris). */
  price: ColumnType<number | null, number | null, number | null>;
  surcharge: ColumnType<number | null, number | null, number | null>;
  /** The hold's quick number in the course search (kviknummer). */
  search_code: string | null;
  /** The provider's page for the hold (hjemmeside). */
  website: string | null;
  run_id: number;
  changed_at: Generated<Date>;
}

/** A company's participants on one course in one period (aggregate, never persons). */
export interface EnrolmentTable {
  cvr: string;
  course_number: string;
  starts_on: ColumnType<string, string, string>;
  ends_on: ColumnType<string, string, string>;
  period: string;
  participants: number;
  wage_compensation: ColumnType<number | null, number | null, number | null>;
  run_id: number;
  changed_at: Generated<Date>;
}

export interface VeuTables {
  'veu.course': CourseTable;
  'veu.provider': ProviderTable;
  'veu.instance': InstanceTable;
  'veu.enrolment': EnrolmentTable;
}

// Joins the hub's Database interface (src/db/schema.ts) without the hub importing this connector.
declare module '../../src/db/schema.js' {
  interface Database extends VeuTables {}
}
