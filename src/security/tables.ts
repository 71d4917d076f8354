import type { ColumnType, Generated } from 'kysely';

export interface CallerTable {
  name: string;
  key_hash: string;
  key_hint: string;
  organisations: string[];
  scopes: string[];
  rate_limit: number | null;
  created_at: ColumnType<Date, Date | undefined, never>;
  revoked_at: Date | null;
}

export interface AccessLogTable {
  id: Generated<number>;
  at: ColumnType<Date, Date | undefined, never>;
  caller: string;
  operation: string | null;
  request_id: string;
  served_by: string;
  reads: string[];
  cvrs: string[];
}

export interface SecurityTables {
  'security.caller': CallerTable;
  'security.access_log': AccessLogTable;
}
