import fs from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { sql } from 'kysely';
import { companiesChanged } from '../changes.js';
import type { Db } from '../db/database.js';
import { analyzeIfChangedInBulk, deferIndexesIfEmpty, restoreIndexes } from './bulk.js';
import { endRun, failRun, finishRun, runDb, saveRejects, startRun, type Reject, type RunTotals } from './runs.js';
import { withoutPersons } from './privacy.js';
import type { IngestSource, ReadOptions, RunContext, UpsertCounts } from './types.js';
import { recordIngest } from '../observability/metrics.js';

export interface IngestInput {
  /** Path of the file, or "-" for standard input. */
  file: string;
  /** Supply a stream instead of opening `file` (tests, HTTP). */
  stream?: Readable;
  /** Values the records lack, for sources that take them (`--course` for course-search answers). */
  options?: ReadOptions;
  /** A step inside the run's transaction just before it commits (a sync's cursor checkpoint). */
  beforeCommit?: (tx: Db, run: RunContext) => Promise<void>;
}

export interface Progress {
  start(totalBytes: number | undefined): void;
  update(bytes: number, totals: RunTotals): void;
  stop(): void;
}

export interface RunSummary extends RunTotals {
  runId: number;
  source: string;
  file: string;
  status: 'succeeded' | 'failed';
  seconds: number;
  /** Of `seconds`, the time spent deriving the insights of the companies the run changed (inside its transaction). */
  deriveSeconds: number;
  notes: Record<string, number>;
  /** Company CVRs whose data changed, for the derived-data step. */
  touched: string[];
  error?: string;
}

/**
 * Streams one input through a source adapter: read → validate → set-based upsert in batches.
 * All rows, rejects and the run's checkpoint commit in one transaction, so a failed run leaves
 * no half-loaded data behind. The run row itself is created first so a failure is recorded.
 */
export async function runIngest(db: Db, source: IngestSource<any>, input: IngestInput, progress?: Progress): Promise<RunSummary> {
  const started = Date.now();
  const run = await startRun(db, source.name, input.file);
  const totals: RunTotals = { read: 0, inserted: 0, updated: 0, unchanged: 0, rejected: 0 };
  const touched = new Set<string>();
  let deriveMs = 0;
  let bytes = 0;
  const count = new Transform({
    transform(chunk, _enc, cb) {
      bytes += chunk.length;
      cb(null, chunk);
    },
  });
  try {
    const url = /^https?:\/\//i.test(input.file);
    const raw = input.stream ?? (input.file === '-' ? process.stdin : url ? await openUrl(input.file) : await openFile(input.file));
    const size = input.stream || input.file === '-' || url ? undefined : fs.statSync(input.file).size;
    progress?.start(size);
    raw.on('error', (e) => count.destroy(e));
    // An input that fails before the reader starts (a fetch during BEGIN) must not be an uncaught error:
    // the reader's iterator still meets it, as the stream's stored error.
    count.on('error', () => {});
    const stream = raw.pipe(count);
    const batchSize = source.batchSize ?? 5000;
    const add = (c: Partial<UpsertCounts>) => {
      totals.inserted += c.inserted ?? 0;
      totals.updated += c.updated ?? 0;
      totals.unchanged += c.unchanged ?? 0;
      for (const k of c.touched ?? []) touched.add(k);
    };
    // On the connection that holds the run's lock (Postgres), so a run never takes two pooled connections.
    await runDb(run, db)
      .transaction()
      .execute(async (tx) => {
        // A run is not a request: at a million records a batch, an index rebuild or the derivation takes longer
        // than the pool's per-request statement_timeout (INDGANG_REQUEST_TIMEOUT_MS), so this transaction has none.
        await sql`SELECT set_config('statement_timeout', '0', true)`.execute(tx);
        const deferred = await deferIndexesIfEmpty(tx, source.tables ?? []);
        let rows = new Map<string, unknown>();
        let unkeyed: unknown[] = [];
        let rejects: Reject[] = [];
        // The previous batch's statement runs while the next batch is parsed.
        let pending: Promise<void> = Promise.resolve();
        const flush = async () => {
          const batch = [...rows.values(), ...unkeyed];
          const batchRejects = rejects;
          rows = new Map();
          unkeyed = [];
          rejects = [];
          await pending;
          pending = (async () => {
            if (batch.length) add(await source.upsert(tx, batch, run));
            await saveRejects(tx, run, batchRejects);
            progress?.update(bytes, totals);
          })();
          // Surface a failure at once rather than at the next flush.
          pending.catch(() => {});
        };
        for await (const read of source.read(stream, input.file, input.options ?? {})) {
          totals.read++;
          // Person keys go before validation sees the record and before a reject could keep it.
          const record = withoutPersons(read, source.personKeys);
          const result =
            record.parseError !== undefined ? { reject: record.parseError } : source.validate(record.value, record, input.options ?? {});
          if ('reject' in result) {
            totals.rejected++;
            rejects.push({ record, reason: result.reject });
          } else if (source.key) {
            const key = source.key(result.row);
            // The same key twice in one statement would make ON CONFLICT fail; the later record wins.
            if (rows.has(key)) {
              rows.delete(key);
              run.notes.duplicates = (run.notes.duplicates ?? 0) + 1;
            }
            rows.set(key, result.row);
          } else {
            unkeyed.push(result.row);
          }
          if (rows.size + unkeyed.length + rejects.length >= batchSize) await flush();
        }
        await flush();
        await pending;
        await restoreIndexes(tx, deferred);
        if (source.finish) add((await source.finish(tx, run)) ?? {});
        await analyzeIfChangedInBulk(tx, source.tables ?? [], totals.inserted + totals.updated);
        // Derived data for the companies the run changed, in the same transaction as its checkpoint.
        const deriving = Date.now();
        await companiesChanged(tx, { cvrs: [...touched], source: source.name, runId: run.id, sections: source.sections });
        deriveMs = Date.now() - deriving;
        await input.beforeCommit?.(tx, run);
        await finishRun(tx, run, totals);
      });
    progress?.stop();
    return summary('succeeded');
  } catch (e) {
    progress?.stop();
    const message = (e as Error).message;
    await failRun(db, run, message);
    return summary('failed', message);
  } finally {
    await endRun(run);
  }

  function summary(status: 'succeeded' | 'failed', error?: string): RunSummary {
    recordIngest({ source: source.name, status, ...totals });
    return {
      runId: run.id,
      source: source.name,
      file: input.file,
      status,
      seconds: (Date.now() - started) / 1000,
      deriveSeconds: deriveMs / 1000,
      ...totals,
      notes: run.notes,
      touched: [...touched],
      error,
    };
  }
}

async function openFile(file: string): Promise<Readable> {
  const stream = fs.createReadStream(file);
  await new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', (e: NodeJS.ErrnoException) =>
      reject(new Error(e.code === 'ENOENT' ? `cannot read ${file}: no such file` : `cannot read ${file}: ${e.message}`)),
    );
  });
  return stream;
}

/** A feed served over HTTP (e.g. an OData endpoint) reads like a file. */
async function openUrl(url: string): Promise<Readable> {
  const res = await fetch(url).catch((e: Error) => Promise.reject(new Error(`cannot read ${url}: ${e.message}`)));
  if (!res.ok || !res.body) throw new Error(`cannot read ${url}: HTTP ${res.status} ${res.statusText}`);
  return Readable.fromWeb(res.body as import('node:stream/web').ReadableStream<Uint8Array>);
}

export function formatSummary(s: RunSummary): string {
  const notes = Object.entries(s.notes)
    .map(([k, v]) => ` ${k}=${v}`)
    .join('');
  // A run also derives companies it did not name when its tables feed their derived data (connectors/insights/derive/inputs.ts).
  // A failed run's derivation, if it got that far, was rolled back with the rest.
  const derived =
    s.status === 'succeeded' && (s.touched.length || s.deriveSeconds >= 0.05) ? ` (derived data ${s.deriveSeconds.toFixed(1)}s)` : '';
  const head = `run ${s.runId} ${s.source} ${s.status}: read=${s.read} inserted=${s.inserted} updated=${s.updated} unchanged=${s.unchanged} rejected=${s.rejected}${notes} in ${s.seconds.toFixed(1)}s${derived}`;
  return s.error ? `${head}\n  error: ${s.error}` : head;
}
