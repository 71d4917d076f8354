import fs from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { headerKey, mapHeader, type Column } from '../../../src/ingest/csv.js';
import { utf8Chunks } from '../../../src/ingest/text.js';
import { FileRejectedError, type SourceRecord } from '../../../src/ingest/types.js';
import { ENTITY_SUFFIX, type Fields } from './columns.js';

const isUrl = (s: string) => /^https?:\/\//i.test(s);

async function textOf(chunks: AsyncIterable<Buffer | string>, where: string): Promise<string> {
  let text = '';
  for await (const t of utf8Chunks(chunks, where)) text += t;
  return text;
}

/** Reads a next page: a URL (relative to the current URL) or a file (relative to the current file's folder). */
async function fetchPage(link: string, current: string): Promise<{ where: string; text: string }> {
  const where =
    isUrl(current) || isUrl(link)
      ? new URL(link, isUrl(current) ? current : undefined).toString()
      : path.resolve(path.dirname(current), link);
  if (isUrl(where)) {
    const res = await fetch(where, { headers: { accept: 'application/json' } });
    if (!res.ok) throw new Error(`${where}: HTTP ${res.status} ${res.statusText}`);
    return { where, text: await textOf(Readable.from([Buffer.from(await res.arrayBuffer())]), where) };
  }
  return {
    where,
    text: await textOf(
      Readable.from([await fs.readFile(where).catch(() => Promise.reject(new Error(`${where}: next page not found`)))]),
      where,
    ),
  };
}

function fieldsOf(item: Record<string, unknown>, fields: Column[]): Fields {
  const byKey = new Map(Object.entries(item).map(([k, v]) => [headerKey(k, ENTITY_SUFFIX), v]));
  const out: Fields = {};
  for (const f of fields) {
    const v = f.headers.map((h) => byKey.get(headerKey(h, ENTITY_SUFFIX))).find((x) => x !== undefined);
    out[f.field] = v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v).trim();
  }
  return out;
}

/**
 * OData-style JSON: `{"value": [ … ], "@odata.nextLink": "…"}`, following next links through every
 * page. Property names are the same as the CSV headers. The first page's first record is checked
 * for the required properties, as a CSV header is.
 */
export async function* odataRecords(input: Readable, file: string, fields: Column[]): AsyncGenerator<SourceRecord> {
  let where = file;
  let text = await textOf(input, file);
  const seen = new Set<string>([file]);
  for (let page = 1; ; page++) {
    let doc: any;
    try {
      doc = JSON.parse(text.replace(/^\ufeff/, ''));
    } catch (e) {
      throw new FileRejectedError(`${where} is not JSON: ${(e as Error).message}`);
    }
    if (typeof doc !== 'object' || doc === null || !Array.isArray(doc.value))
      throw new FileRejectedError(`${where}: an OData response holds its records in a "value" array`);
    if (page === 1 && doc.value.length > 0)
      mapHeader(Object.keys(doc.value[0] ?? {}), { columns: fields, headerSuffix: ENTITY_SUFFIX }, file);
    for (const [i, item] of (doc.value as unknown[]).entries()) {
      const position = `${page > 1 ? `page ${page} ` : ''}value[${i}]`;
      if (typeof item !== 'object' || item === null || Array.isArray(item)) {
        yield { line: null, position, text: JSON.stringify(item), parseError: 'not a JSON object' };
        continue;
      }
      const value = fieldsOf(item as Record<string, unknown>, fields);
      yield { line: null, position, value };
    }
    const next = doc['@odata.nextLink'] ?? doc['odata.nextLink'];
    if (typeof next !== 'string' || next === '') return;
    ({ where, text } = await fetchPage(next, where));
    if (seen.has(where)) throw new Error(`${where}: @odata.nextLink leads back to a page already read`);
    seen.add(where);
  }
}
