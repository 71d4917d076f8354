import type { ColumnType, Generated } from 'kysely';

export type RunStatus = 'running' | 'succeeded' | 'failed' | 'abandoned';

export interface RunTable {
  id: Generated<number>;
  source: string;
  file: string;
  /** 'abandoned': its process died mid-run (found by the next reader of the runs, see liveness.ts). */
  status: ColumnType<RunStatus, RunStatus | undefined>;
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
  /** How another process tells whether the owner is alive: 'advisory' (Postgres lock) or 'pid'; null for runs from before. */
  owner_lock: 'advisory' | 'pid' | null;
  owner_host: string | null;
  owner_pid: number | null;
  /** The owner process's start time (Linux /proc), so a reused process id is not taken for the owner. */
  owner_started: string | null;
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
