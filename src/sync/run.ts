import { Readable } from 'node:stream';
import { activeSource as sourceByName } from '../connector.js';
import type { Db } from '../db/database.js';
import { runIngest, type RunSummary } from '../ingest/pipeline.js';
import type { SyncConfig } from './config.js';
import { makeFetcher } from './fetchers.js';
import { markFailed, markStarted, saveCheckpoint, stateOf } from './state.js';

export interface SyncResult {
  name: string;
  status: 'succeeded' | 'failed';
  runs: RunSummary[];
  /** The cursor after the sync (the old one when it failed). */
  cursor: string | null;
  error?: string;
  seconds: number;
}

async function* buffers(body: AsyncIterable<string>): AsyncGenerator<Buffer> {
  for await (const s of body) yield Buffer.from(s, 'utf8');
}

/**
 * One sync: fetches from the last committed cursor and feeds each part through the ingest pipeline.
 * The new cursor is written by the pipeline's beforeCommit hook, inside the run's transaction: a run
 * that fails (or a process killed mid-run) commits neither its rows nor its cursor.
 */
export async function runSync(db: Db, sync: SyncConfig, env: NodeJS.ProcessEnv = process.env): Promise<SyncResult> {
  const started = Date.now();
  const source = sourceByName(sync.source);
  const runs: RunSummary[] = [];
  const before = (await stateOf(db, sync.name))?.cursor ?? null;
  const fail = async (error: string): Promise<SyncResult> => {
    await markFailed(db, sync.name, sync.source, error);
    return { name: sync.name, status: 'failed', runs, cursor: before, error, seconds: (Date.now() - started) / 1000 };
  };
  if (!source) return fail(`source: unknown source ${sync.source}`);
  await markStarted(db, sync.name, sync.source);
  const fetcher = makeFetcher(sync, before, env);
  try {
    for await (const part of fetcher.parts()) {
      const summary = await runIngest(db, source, {
        file: part.label,
        stream: Readable.from(buffers(part.body)),
        options: part.options,
        beforeCommit: (tx, run) => saveCheckpoint(tx, sync.name, sync.source, fetcher.cursor(), run.id),
      });
      runs.push(summary);
      if (summary.status === 'failed') return fail(`${part.label}: ${summary.error}`);
    }
  } catch (e) {
    return fail((e as Error).message);
  }
  // Nothing new (an unchanged file, no new records): still a successful sync.
  if (runs.length === 0) await saveCheckpoint(db, sync.name, sync.source, fetcher.cursor(), null);
  return { name: sync.name, status: 'succeeded', runs, cursor: fetcher.cursor(), seconds: (Date.now() - started) / 1000 };
}
