import type { ChangeSection } from '../generated/graphql.js';
import type { Readable } from 'node:stream';
import type { Db } from '../db/database.js';

/** One record as read from a source file, before validation. */
export interface SourceRecord {
  /** 1-based line in the file for line-oriented formats; null inside a JSON document. */
  line: number | null;
  /** Where the record sits, for people: "line 17" or "JobPositionPostings[16]". */
  position: string;
  /**
   * The record's text as read, where the format has one of its own (an NDJSON line that is not JSON, a CSV
   * row that cannot be split). A reject keeps the scrubbed value when there is one, else this text, masked.
   */
  text?: string;
  /** Parsed value, unless the text could not be parsed. */
  value?: unknown;
  /** Why the text could not be parsed. */
  parseError?: string;
}

export type Validation<Row> = { row: Row } | { reject: string };

/** What one set-based upsert changed. `keys` are the company CVRs touched, for derived data. */
export interface UpsertCounts {
  inserted: number;
  updated: number;
  unchanged: number;
  touched?: string[];
}

/** What a run knows while it loads: its id, start time and counters a source may add to. */
export interface RunContext {
  id: number;
  source: string;
  file: string;
  startedAt: Date;
  /** Source-specific counters shown in the run summary (e.g. "vacanciesWithoutOccupation"). */
  notes: Record<string, number>;
}

/**
 * An ingest source: one adapter per source format. The pipeline streams its records,
 * validates each one, and hands valid rows to `upsert` in batches inside one transaction.
 */
export interface IngestSource<Row = unknown> {
  /** CLI name, e.g. "cvr". */
  name: string;
  /** Connector (and Postgres schema) the source loads into. */
  connector: string;
  /** One line for `indgang ingest --list`. */
  summary: string;
  /** The parts of a company the change feed says changed when this source changes it (`Company.changes` sections). */
  sections?: readonly ChangeSection[];
  /** The accepted format, as documentation. */
  format: string;
  /**
   * Keys naming people in this source beyond the ones dropped everywhere (privacy.ts), e.g. a bare "navn"
   * column in rows about unemployed people. Matching keys are dropped before validation and rejects.
   */
  personKeys?: RegExp;
  /** Options of the run the source accepts (e.g. `course` for course-search answers that carry no course number). */
  options?: Record<string, string>;
  /** Rows per set-based upsert. */
  batchSize?: number;
  /** Tables this source fills; when one is empty at the start of a run its secondary indexes are built once at the end. */
  tables?: string[];
  read(input: Readable, file: string, options: ReadOptions): AsyncIterable<SourceRecord>;
  validate(value: unknown, record: SourceRecord, options: ReadOptions): Validation<Row>;
  /** Two valid rows with the same key in one batch: the later one wins. */
  key?(row: Row): string;
  upsert(tx: Db, rows: Row[], run: RunContext): Promise<UpsertCounts>;
  /** Runs once after the last batch, inside the same transaction (e.g. close ads missing from a full feed). */
  finish?(tx: Db, run: RunContext): Promise<Partial<UpsertCounts> | void>;
}

/** What the run knows beyond the file: values the source's records lack (e.g. the course number of a search). */
export type ReadOptions = Record<string, string | undefined>;

/** The file as a whole cannot be used (unreadable, wrong encoding, missing columns): nothing is written. */
export class FileRejectedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FileRejectedError';
  }
}
