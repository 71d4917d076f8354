import { loadSyncConfig, type SyncConfig } from './config.js';
import { isStale } from './status.js';

let cached: SyncConfig[] | null = null;

/** The process's sync configuration, read once; a wrong one counts as none (it is reported at start). */
export function configuredSyncs(): SyncConfig[] {
  if (cached === null) {
    const r = loadSyncConfig(null);
    cached = r.ok ? r.syncs : [];
  }
  return cached;
}

/** For tests: use this configuration instead of the file. */
export function setConfiguredSyncs(syncs: SyncConfig[] | null): void {
  cached = syncs;
}

/**
 * Whether a source's data is stale: its last successful sync is older than the smallest threshold of
 * the syncs that feed it; null when no sync is configured for the source (nothing to judge by).
 */
export function sourceStale(source: string, syncedAt: Date | string | null | undefined, now = new Date()): boolean | null {
  const hours = configuredSyncs()
    .filter((s) => s.source === source)
    .map((s) => s.staleAfterHours);
  if (hours.length === 0) return null;
  return isStale(syncedAt ? new Date(syncedAt) : null, Math.min(...hours), now);
}
