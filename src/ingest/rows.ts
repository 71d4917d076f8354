import type { Readable } from 'node:stream';
import { csvRecords, fieldsOfObject, headerKey, type CsvOptions } from './csv.js';
import { isObj, jsonRecords } from './json.js';
import { peek } from './text.js';
import type { SourceRecord } from './types.js';

/** Where JSON rows sit in an envelope: `{"rows": […]}`, `{"data": […]}` or OData's `{"value": […]}`. */
const ROW_ARRAYS = ['rows', 'data', 'value'];

/**
 * Rows of a table as JSON (a top-level array, an envelope of rows, or one object per line) or as CSV with
 * a header line. Either way each record's value holds the listed fields under their own names, so one
 * validation serves both; JSON values keep their types (a number stays a number).
 */
export async function* rowRecords(input: Readable, file: string, options: CsvOptions): AsyncGenerator<SourceRecord> {
  const { head, rest } = await peek(input);
  // An empty feed is a feed with no rows, not a file with a broken header.
  if (head.trim() === '') return;
  const first = head.trimStart()[0];
  if (first !== '[' && first !== '{') {
    yield* csvRecords(rest, file, options);
    return;
  }
  const known = new Set(options.columns.flatMap((c) => c.headers.map((h) => headerKey(h, options.headerSuffix))));
  const shape = {
    arrays: ROW_ARRAYS,
    // A row has at least one of the listed columns; an envelope of another name is named in the error.
    isRecord: (v: unknown) => isObj(v) && Object.keys(v).some((k) => known.has(headerKey(k, options.headerSuffix))),
    expected: `row objects (a top-level array, {"rows"|"data"|"value": [ … ]} or one object per line) with ${options.columns.map((c) => c.headers[0]).join(', ')}`,
  };
  for await (const r of jsonRecords(rest, file, shape))
    yield r.value === undefined ? r : { ...r, value: fieldsOfObject(r.value as Record<string, unknown>, options) };
}
