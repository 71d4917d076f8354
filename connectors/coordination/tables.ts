import type { ColumnType } from 'kysely';

export interface ContactVersionTable {
  contact_id: string;
  version: number;
  cvr: string;
  system: string;
  organisation: string;
  consultant: string | null;
  channel: string;
  date: string;
  topics: string[];
  outcome: string | null;
  follow_up_on: string | null;
  status: 'RECORDED' | 'CORRECTED' | 'WITHDRAWN';
  reason: string | null;
  recorded_by: string;
  recorded_at: ColumnType<Date, Date | undefined, never>;
}

export interface WriteRequestTable {
  /** The caller whose key it is; '' for the contacts feed. */
  caller: ColumnType<string, string | undefined, string>;
  idempotency_key: string;
  operation: string;
  input_hash: string;
  contact_id: string;
  version: number;
  created_at: ColumnType<Date, Date | undefined, never>;
}

export interface CoordinationTables {
  'coordination.contact_version': ContactVersionTable;
  'coordination.write_request': WriteRequestTable;
}

// Joins the hub's Database interface (src/db/schema.ts) without the hub importing this connector.
declare module '../../src/db/schema.js' {
  interface Database extends CoordinationTables {}
}
