import { once } from 'node:events';
import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { FileRejectedError, type SourceRecord } from '../../../src/ingest/types.js';
import { mapHeader, pickFields, type FieldSpec } from './columns.js';

/**
 * Decodes the input as UTF-8 (a byte-order mark is dropped), refusing the whole file at the first
 * byte sequence that is not UTF-8, e.g. an export saved as Windows-1252/Latin-1 with æ, ø, å.
 */
export async function* utf8Text(input: AsyncIterable<Buffer | string> | Iterable<Buffer | string>, file: string): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let offset = 0;
  for await (const chunk of input) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    try {
      yield decoder.decode(bytes, { stream: true });
    } catch {
      throw new FileRejectedError(`${file} is not UTF-8 (invalid bytes within the first ${offset + bytes.length} bytes); export it as UTF-8`);
    }
    offset += bytes.length;
  }
  try {
    yield decoder.decode();
  } catch {
    throw new FileRejectedError(`${file} is not UTF-8 (it ends inside a character)`);
  }
}

/** The separator the header line uses most: semicolon (Danish Excel), comma or tab. */
function delimiterOf(headerLine: string): string {
  const counts = [';', ',', '\t'].map((d) => [d, headerLine.split(d).length - 1] as const);
  return counts.reduce((best, c) => (c[1] > best[1] ? c : best))[0];
}

/**
 * Streams CSV records with named fields. The header is checked before any record is yielded, so a
 * file missing required columns is refused before anything is written.
 */
export async function* csvRecords(input: Readable, file: string, fields: FieldSpec[]): AsyncGenerator<SourceRecord> {
  const text = utf8Text(input, file)[Symbol.asyncIterator]();
  let head = '';
  for (;;) {
    const next = await text.next();
    if (next.done) break;
    head += next.value;
    if (head.includes('\n')) break;
  }
  head = head.replace(/^\ufeff/, '');
  if (head.trim() === '') throw new FileRejectedError(`${file} is empty: expected a header line`);
  const parser = parse({ delimiter: delimiterOf(head.split('\n', 1)[0]!), relax_column_count: true, skip_empty_lines: true, info: true, raw: true, trim: true });
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
  for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number }; raw: string }>) {
    if (!positions) {
      positions = mapHeader(record, fields, file);
      continue;
    }
    const value = pickFields(record, positions, fields);
    if (Object.values(value).every((v) => v === '')) continue;
    // The raw text kept with a reject holds only the fields read, never other columns (contact persons).
    yield { line: info.lines, position: `line ${info.lines}`, raw: JSON.stringify(value), value };
  }
  if (!positions) throw new FileRejectedError(`${file} has no header line`);
}
