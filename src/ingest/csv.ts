import { once } from 'node:events';
import type { Readable } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import { utf8Chunks } from './text.js';
import { FileRejectedError, type SourceRecord } from './types.js';

/** One field a CSV (or JSON rows) source reads, and the column headers that carry it. */
export interface Column {
  field: string;
  /** Accepted headers; compared without case, spaces, "_" or "-". The first is the documented name. */
  headers: string[];
  required?: boolean;
  /** For the format text. */
  note?: string;
}

export interface CsvOptions {
  columns: Column[];
  /** Part of a header to ignore before comparing, e.g. the entity suffix of CRM exports ("Mødedato_Møder"). */
  headerSuffix?: RegExp;
  /** Lines starting with "#" are comments (data files that open with a "# source:" line). */
  comments?: boolean;
}

/** The fields of one row as validation sees them: every listed field, '' when blank or absent in CSV. */
export type Fields = Record<string, string>;

/** The compared form of a header or JSON property name. */
export function headerKey(header: string, suffix?: RegExp): string {
  let h = header
    .replace(/^\ufeff/, '')
    .trim()
    .toLowerCase();
  if (suffix) h = h.replace(suffix, '');
  return h.replace(/[\s_-]+/g, '');
}

/** Which column each listed field is in; refuses the file when a required one is missing, naming every one. */
export function mapHeader(header: string[], options: CsvOptions, file: string): Map<string, number> {
  const keys = header.map((h) => headerKey(h, options.headerSuffix));
  const positions = new Map<string, number>();
  const missing: string[] = [];
  for (const c of options.columns) {
    const wanted = c.headers.map((h) => headerKey(h, options.headerSuffix));
    const i = keys.findIndex((k) => wanted.includes(k));
    if (i >= 0) positions.set(c.field, i);
    else if (c.required) missing.push(c.headers[0]!);
  }
  if (missing.length) {
    throw new FileRejectedError(
      `${file}: missing required column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (the header has ${header.map((h) => h.trim()).join(', ') || 'no columns'})`,
    );
  }
  return positions;
}

/** The separator the header line uses most, outside quotes: semicolon (Danish Excel), comma or tab. */
export function sniffDelimiter(headerLine: string): string {
  const counts = new Map([
    [';', 0],
    [',', 0],
    ['\t', 0],
  ]);
  let quoted = false;
  for (const c of headerLine) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && counts.has(c)) counts.set(c, counts.get(c)! + 1);
  }
  return [...counts].reduce((best, c) => (c[1] > best[1] ? c : best))[0];
}

/**
 * CSV rows with named fields, streamed. UTF-8 only (a byte-order mark is dropped; another encoding refuses
 * the file), separated by ";", "," or tab as the header line shows. The header is checked before any row is
 * yielded, so a file missing required columns is refused before anything is written. Columns not listed
 * (contact persons, CPR numbers) are never read. A row that cannot be split (a quote left open) or has more
 * cells than the header is handed on as a record with a parse error, so it is rejected alone.
 */
export async function* csvRecords(input: Readable, file: string, options: CsvOptions): AsyncGenerator<SourceRecord> {
  const text = utf8Chunks(input, file)[Symbol.asyncIterator]();
  let head = '';
  // The header is the first line that is neither blank nor a comment; `whole` once the input has ended.
  const headerLine = (whole: boolean) => {
    const lines = head.split('\n');
    return (whole ? lines : lines.slice(0, -1)).find((l) => l.trim() !== '' && !(options.comments && l.startsWith('#')));
  };
  let header: string | undefined;
  for (;;) {
    header = headerLine(false);
    if (header !== undefined) break;
    const next = await text.next();
    if (next.done) {
      header = headerLine(true);
      break;
    }
    head += next.value;
  }
  if (header === undefined) throw new FileRejectedError(`${file} is empty: expected a header line`);
  const delimiter = sniffDelimiter(header);
  const skipped: SourceRecord[] = [];
  let unreadable: string | undefined;
  const parser = parse({
    delimiter,
    comment: options.comments ? '#' : undefined,
    comment_no_infix: true,
    skip_empty_lines: true,
    relax_column_count: true,
    // A stray quote inside a cell (12"x) is kept as text rather than failing the rest of the file.
    relax_quotes: true,
    trim: true,
    info: true,
    raw: true,
    skip_records_with_error: true,
    on_skip: (err: CsvError | undefined, raw: string | undefined) => {
      const line = typeof err?.lines === 'number' ? err.lines : null;
      skipped.push({
        line,
        position: line ? `line ${line}` : 'a row',
        text: unreadable ?? raw?.replace(/\r?\n$/, ''),
        parseError: `the row cannot be read as CSV: ${err?.message ?? 'malformed'}`,
      });
      return undefined;
    },
  });
  // Feed the parser from the decoder; an error (e.g. wrong encoding) surfaces in the loop below.
  void (async () => {
    try {
      if (!parser.write(head)) await once(parser, 'drain');
      for (;;) {
        const next = await text.next();
        if (next.done) break;
        if (!parser.write(next.value)) await once(parser, 'drain');
      }
      parser.end();
    } catch (e) {
      parser.destroy(e as Error);
    }
  })();
  let positions: Map<string, number> | undefined;
  let width = 0;
  // The parser reports a skipped row as soon as it meets it, ahead of rows still queued: keep the file's order.
  const skippedBefore = (line: number) => {
    const due = skipped.filter((r) => (r.line ?? 0) < line);
    skipped.splice(0, due.length);
    return due;
  };
  for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    yield* skippedBefore(info.lines);
    if (!positions) {
      positions = mapHeader(record, options, file);
      width = record.length;
      // A row that cannot be split cannot be cut down to the listed columns: its text is kept only when
      // the file has no other columns (which may name people).
      if (positions.size < width)
        unreadable = '[the row is not kept: it cannot be split into cells, and the file has columns indgang does not read]';
      continue;
    }
    const value: Fields = {};
    for (const c of options.columns) {
      const i = positions.get(c.field);
      value[c.field] = i === undefined ? '' : (record[i] ?? '');
    }
    if (Object.values(value).every((v) => v === '') && record.every((v) => v === '')) continue;
    // The text kept with a reject holds only the listed columns, never the others (contact persons).
    const known = [...positions.values()].sort((a, b) => a - b);
    const result: SourceRecord = {
      line: info.lines,
      position: `line ${info.lines}`,
      text: known.map((i) => record[i] ?? '').join(delimiter),
      value,
    };
    if (record.length > width && record.slice(width).some((v) => v !== ''))
      result.parseError = `the row has ${record.length} cells where the header has ${width}`;
    yield result;
  }
  yield* skipped.splice(0);
  if (!positions) throw new FileRejectedError(`${file} has no header line`);
}

/** A JSON row (an object keyed by the source's own names) as the same fields a CSV row gives. */
export function fieldsOfObject(item: Record<string, unknown>, options: CsvOptions): Record<string, unknown> {
  const byKey = new Map(Object.entries(item).map(([k, v]) => [headerKey(k, options.headerSuffix), v]));
  const out: Record<string, unknown> = {};
  for (const c of options.columns) {
    const v = c.headers.map((h) => byKey.get(headerKey(h, options.headerSuffix))).find((x) => x !== undefined);
    out[c.field] = v === undefined || v === null ? '' : v;
  }
  return out;
}

/** Format documentation for a source's columns. */
export function describeColumns(columns: Column[]): string {
  return columns
    .map((c) => {
      const aliases = c.headers.slice(1);
      return `  ${c.headers[0]}${c.required ? ' (required column)' : ''}${c.note ? `: ${c.note}` : ''}${aliases.length ? `; also accepted: ${aliases.join(', ')}` : ''}`;
    })
    .join('\n');
}
