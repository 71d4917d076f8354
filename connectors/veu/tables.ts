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
