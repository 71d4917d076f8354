/**
 * The contract between `npm run bench` (bench/run.ts) and its suites (bench/suites/*.ts).
 * Each suite module exports `suite: BenchSuite`; the runner passes the shared settings, collects the figures
 * every suite returns, prints them as one table and writes them to bench/results/latest.json.
 */
export interface BenchContext {
  /** Company/record counts to run at (BENCH_SIZES, comma-separated). */
  sizes: number[];
  /** Seconds of load per measured operation (BENCH_SECONDS). */
  seconds: number;
  /** Admin URL of the Postgres server to create throwaway databases on (BENCH_DATABASE_URL). */
  adminUrl: string;
  /** Scratch directory for this run, removed afterwards. */
  tmp: string;
  /** A progress line on stderr, so stdout stays the figures. */
  log(line: string): void;
}

/**
 * Figures named `<suite>.<subject>.<database>.<measure>`, e.g. `ingest.cvr.postgres.rowsPerSecond`,
 * `serve.companyView.p50Ms`, `serve.companies50.peerRatio`, `start.firstAnswerSeconds`.
 */
export type Figures = Record<string, number>;

export interface BenchSuite {
  /** Short name, also the first part of every figure it returns; BENCH_ONLY=<name,…> picks suites. */
  name: string;
  run(ctx: BenchContext): Promise<Figures>;
}
