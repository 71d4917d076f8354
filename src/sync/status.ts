import type { Db } from '../db/database.js';
import { nextRun, type SyncConfig } from './config.js';
import { allStates, type SyncState } from './state.js';

export interface SyncStatus {
  name: string;
  source: string;
  kind: string;
  schedule: string | null;
  cursor: string | null;
  lastStartedAt: string | null;
  lastSucceededAt: string | null;
  lastFailedAt: string | null;
  lastError: string | null;
  nextRunAt: string | null;
  staleAfterHours: number;
  stale: boolean;
}

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);

/** Whether a sync's last success is older than its threshold (or it never succeeded). */
export function isStale(lastSucceededAt: Date | null | undefined, staleAfterHours: number, now = new Date()): boolean {
  return !lastSucceededAt || now.getTime() - new Date(lastSucceededAt).getTime() > staleAfterHours * 3_600_000;
}

/** Every configured sync with what its state row says (one query). */
export async function syncStatuses(db: Db, syncs: readonly SyncConfig[], now = new Date()): Promise<SyncStatus[]> {
  const states = new Map<string, SyncState>((await allStates(db)).map((s) => [s.name, s]));
  return syncs.map((s) => {
    const st = states.get(s.name);
    return {
      name: s.name,
      source: s.source,
      kind: s.fetch.kind,
      schedule: s.schedule ?? null,
      cursor: st?.cursor ?? null,
      lastStartedAt: iso(st?.lastStartedAt),
      lastSucceededAt: iso(st?.lastSucceededAt),
      lastFailedAt: iso(st?.lastFailedAt),
      lastError: st?.lastError ?? null,
      nextRunAt: iso(st?.nextRunAt ?? nextRun(s.schedule, now)),
      staleAfterHours: s.staleAfterHours,
      stale: isStale(st?.lastSucceededAt, s.staleAfterHours, now),
    };
  });
}

export function formatStatuses(list: SyncStatus[]): string {
  if (list.length === 0) return 'no syncs configured';
  return list
    .map(
      (s) =>
        `${s.name.padEnd(16)} ${s.source.padEnd(15)} ${s.kind.padEnd(10)} ${(s.schedule ?? '(manual)').padEnd(14)} last ok ${s.lastSucceededAt ?? 'never'}` +
        `${s.lastFailedAt ? `, last failed ${s.lastFailedAt}` : ''}  next ${s.nextRunAt ?? '-'}  cursor ${s.cursor ?? '-'}${s.stale ? '  STALE' : ''}` +
        (s.lastError ? `\n    error: ${s.lastError}` : ''),
    )
    .join('\n');
}

/** Seconds since each configured sync last succeeded, for indgang_sync_lag_seconds (syncs that never did are left out). */
export async function syncLags(db: Db, syncs: readonly SyncConfig[], now = new Date()): Promise<Record<string, number>> {
  const lags: Record<string, number> = {};
  for (const s of await syncStatuses(db, syncs, now)) {
    if (s.lastSucceededAt) lags[s.name] = (now.getTime() - Date.parse(s.lastSucceededAt)) / 1000;
  }
  return lags;
}
