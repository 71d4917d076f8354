import type { ColumnType, Generated } from 'kysely';

export interface RunTable {
  id: Generated<number>;
  source: string;
  file: string;
  status: ColumnType<'running' | 'succeeded' | 'failed', 'running' | 'succeeded' | 'failed' | undefined>;
  started_at: ColumnType<Date, Date | undefined, Date>;
  finished_at: Date | null;
  read: Generated<number>;
  inserted: Generated<number>;
  updated: Generated<number>;
  unchanged: Generated<number>;
  rejected: Generated<number>;
  /** Source-specific counters, e.g. vacancies loaded without an occupation. */
  notes: ColumnType<Record<string, number>, string | undefined, string>;
  error: string | null;
}

export interface RejectTable {
  id: Generated<number>;
  run_id: number;
  file: string;
  line: number | null;
  position: string;
  reason: string;
  raw: string;
}

export interface IngestTables {
  'ingest.run': RunTable;
  'ingest.reject': RejectTable;
}
