/** One configured sync: its cursor and what its last runs did (migrations/0001_sync_state.ts). */
export interface SyncStateTable {
  name: string;
  source: string;
  cursor: string | null;
  last_run_id: number | null;
  last_started_at: Date | null;
  last_succeeded_at: Date | null;
  last_failed_at: Date | null;
  last_error: string | null;
  next_run_at: Date | null;
}

export interface SyncTables {
  'sync.state': SyncStateTable;
}
