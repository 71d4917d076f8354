import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { peek } from '../../../src/ingest/readers.js';
import { FileRejectedError, type SourceRecord } from '../../../src/ingest/types.js';

/**
 * Streams a semicolon- or comma-separated file with a header row as records keyed by the
 * lower-cased header. Headers may use any of the `aliases`; a file lacking a required column is
 * refused as a whole. Lines starting with # are comments (e.g. the `# source:` line).
 */
export async function* csvRecords(input: Readable, columns: Record<string, { aliases: string[]; required: boolean }>): AsyncGenerator<SourceRecord> {
  const { head, rest } = await peek(input);
  const headerLine = head.split('\n').find((l) => l.trim() !== '' && !l.startsWith('#')) ?? '';
  const delimiter = headerLine.includes(';') ? ';' : headerLine.includes('\t') ? '\t' : ',';
  const parser = rest.pipe(parse({ delimiter, comment: '#', comment_no_infix: true, skip_empty_lines: true, relax_column_count: true, info: true, raw: true, bom: true, trim: true }));
  let header: (string | null)[] | null = null;
  for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number }; raw: string }>) {
    const line = item.info.lines;
    if (!header) {
      header = mapHeader(item.record, columns);
      continue;
    }
    const value: Record<string, string> = {};
    header.forEach((name, i) => {
      if (name) value[name] = item.record[i] ?? '';
    });
    const record: SourceRecord = { line, position: `line ${line}`, raw: item.raw.replace(/\r?\n$/, ''), value };
    if (item.record.length !== header.length) record.parseError = `${item.record.length} fields where the header has ${header.length}`;
    yield record;
  }
  if (!header) throw new FileRejectedError('the file is empty: no header row');
}

function mapHeader(cells: string[], columns: Record<string, { aliases: string[]; required: boolean }>): (string | null)[] {
  const norm = (s: string) => s.trim().toLowerCase().replace(/[\s-]+/g, '_');
  const mapped = cells.map((cell) => {
    const c = norm(cell);
    return Object.entries(columns).find(([name, spec]) => name === c || spec.aliases.includes(c))?.[0] ?? null;
  });
  const missing = Object.entries(columns)
    .filter(([name, spec]) => spec.required && !mapped.includes(name))
    .map(([name, spec]) => [name, ...spec.aliases].join('/'));
  if (missing.length) throw new FileRejectedError(`the header lacks required column(s): ${missing.join(', ')}`);
  return mapped;
}
