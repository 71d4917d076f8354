import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { jsonRecords, peek } from '../../../src/ingest/readers.js';
import { FileRejectedError, type SourceRecord } from '../../../src/ingest/types.js';
import { PERSONAL_KEY, scrubbed } from '../../../src/ingest/privacy.js';

type Obj = Record<string, unknown>;

/**
 * Jobindsats-style rows as JSON (array, `{"rows"|"data"|"value": [...]}` or one object per line) or as CSV
 * with a header line (`;` or `,` separated). CSV values arrive as objects keyed by header, like JSON rows.
 */
export async function* tableRecords(input: Readable, required: string[][]): AsyncGenerator<SourceRecord> {
  const { head, rest } = await peek(input);
  // An empty feed is a feed with no rows, not a file with a broken header.
  if (head.trim() === '') return;
  const first = head.trimStart()[0];
  if (first === '[' || first === '{') {
    yield* scrubbed(jsonRecords(rest, ['rows', 'data', 'value']), ['rows', 'data', 'value']);
    return;
  }
  const headerLine = head.split(/\r?\n/)[0] ?? '';
  const delimiter = (headerLine.match(/;/g)?.length ?? 0) >= (headerLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  const headers = headerLine.split(delimiter).map((h) => h.trim().replace(/^"|"$/g, ''));
  const missing = required.filter((alts) => !alts.some((a) => headers.some((h) => fold(h) === fold(a))));
  if (missing.length) throw new FileRejectedError(`the CSV header lacks ${missing.map((m) => m.join(' or ')).join(', ')} (found: ${headers.join(delimiter)})`);
  const parser = rest.pipe(parse({ delimiter, columns: true, bom: true, trim: true, skip_empty_lines: true, relax_column_count: true, info: true, raw: true }));
  // Columns naming people (navn, cpr, …) are dropped before validation and from the text kept for rejects.
  const kept = headers.filter((h) => !PERSONAL_KEY.test(h));
  const personal = kept.length < headers.length;
  for await (const r of parser as AsyncIterable<{ record: Obj; info: { lines: number }; raw: string }>) {
    const line = r.info.lines;
    const value = personal ? Object.fromEntries(kept.map((h) => [h, r.record[h]])) : r.record;
    const raw = personal ? kept.map((h) => String(r.record[h] ?? '')).join(delimiter) : r.raw.replace(/\r?\n$/, '');
    yield { line, position: `line ${line}`, raw, value };
  }
}

export const fold = (s: string) => s.trim().toLowerCase().replace(/[\s_-]/g, '');

/** The value of the first of `names` the row has (header names compared without case, spaces, _ or -). */
export function field(row: Obj, ...names: string[]): unknown {
  for (const n of names) if (n in row) return row[n];
  const keys = Object.keys(row);
  for (const n of names) {
    const k = keys.find((key) => fold(key) === fold(n));
    if (k !== undefined) return row[k];
  }
  return undefined;
}

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
export const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' ? String(v) : null);

/** A whole number ≥ 0 from a JSON number or a CSV cell; a reason when it is not one. */
export function count(v: unknown, name: string): { n: number } | { problem: string } {
  const t = text(v);
  if (t === null) return { problem: `${name} is missing` };
  const n = Number(t.replace(/\s/g, ''));
  if (!Number.isInteger(n)) return { problem: `${name} ${JSON.stringify(v)} is not a whole number` };
  if (n < 0) return { problem: `${name} ${n} is negative` };
  return { n };
}
