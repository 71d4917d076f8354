import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { isObj, jsonRecords, type JsonShape } from './json.js';
import type { SourceRecord } from './types.js';

const shape: JsonShape = {
  arrays: ['hits.hits', 'JobPositionPostings'],
  isRecord: (v) => isObj(v) && ('cvrNummer' in v || isObj(v.Vrvirksomhed) || (isObj(v._source) && isObj(v._source.Vrvirksomhed))),
  expected: 'Vrvirksomhed objects',
};

async function read(text: string | Buffer, maxLine?: number, chunk = 1000): Promise<SourceRecord[]> {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunk) chunks.push(bytes.subarray(i, i + chunk));
  const out: SourceRecord[] = [];
  for await (const r of jsonRecords(Readable.from(chunks), 'f.json', shape, maxLine)) out.push(r);
  return out;
}

const company = (cvr: number, extra: Record<string, unknown> = {}) => ({
  cvrNummer: cvr,
  virksomhedMetadata: { nyesteNavn: { navn: `Firma ${cvr}` } },
  ...extra,
});
const hit = (cvr: number) => ({ _index: 'cvr-permanent', _id: String(cvr), _source: { Vrvirksomhed: company(cvr) } });

describe('jsonRecords', () => {
  it('reads a one-line Elasticsearch _search answer as its hits', async () => {
    const answer = JSON.stringify({
      took: 3,
      timed_out: false,
      _shards: { total: 1 },
      hits: { total: { value: 2 }, max_score: 1, hits: [hit(10000009), hit(10000017)] },
    });
    const records = await read(answer);
    expect(records.map((r) => [r.position, (r.value as any)._id])).toEqual([
      ['hits.hits[0]', '10000009'],
      ['hits.hits[1]', '10000017'],
    ]);
  });

  it('reads NDJSON whose lines are each a one-line answer or a record, also past 64 KiB a line', async () => {
    const big = company(10000025, { filler: 'x'.repeat(200_000) });
    const text = [
      JSON.stringify(big),
      JSON.stringify({ hits: { hits: [hit(10000033)] } }),
      JSON.stringify({ Vrvirksomhed: company(10000041) }),
    ].join('\n');
    const records = await read(text, undefined, 65_536);
    expect(records.map((r) => r.position)).toEqual(['line 1', 'line 2 hits.hits[0]', 'line 3']);
    expect(records.every((r) => r.parseError === undefined)).toBe(true);
  });

  it('reads a pretty-printed single record and a pretty-printed envelope', async () => {
    expect((await read(JSON.stringify({ Vrvirksomhed: company(10000009) }, null, 2))).map((r) => r.position)).toEqual(['document']);
    const pretty = JSON.stringify({ hits: { hits: [hit(10000009), hit(10000017)] } }, null, 2);
    expect((await read(pretty, undefined, 7)).map((r) => r.position)).toEqual(['hits.hits[0]', 'hits.hits[1]']);
    expect((await read(JSON.stringify([company(10000009), company(10000017)], null, 1))).map((r) => r.position)).toEqual(['[0]', '[1]']);
  });

  it('fails a document whose wrapper it does not know, naming the keys found', async () => {
    await expect(read(JSON.stringify({ results: [company(10000009)], count: 1 }, null, 2))).rejects.toThrow(
      'f.json: found an object with keys results, count; expected Vrvirksomhed objects',
    );
    await expect(read(JSON.stringify({ JobPositionPosting: { ID: '1' } }))).rejects.toThrow(/found an object with keys JobPositionPosting/);
    const person = { hits: { hits: [{ _index: 'cvr-permanent', _id: '4000', _source: { Vrdeltagerperson: { enhedsNummer: 4000 } } }] } };
    expect((await read(JSON.stringify(person)))[0]!.parseError).toBe(
      'found an Elasticsearch hit whose _source is an object with keys Vrdeltagerperson; expected Vrvirksomhed objects',
    );
  });

  it('rejects a line of an unknown shape, a malformed line and an over-long line, and reads on', async () => {
    const text = [
      '{"cvrNummer": 12, this is not json',
      JSON.stringify({ VrproduktionsEnhed: { pNummer: 1 } }),
      JSON.stringify(company(10000009)),
      `{"cvrNummer": 10000017, "x": "${'y'.repeat(3000)}"}`,
      JSON.stringify(company(10000025)),
    ].join('\n');
    const records = await read(text, 2000);
    expect(records.map((r) => [r.position, r.parseError?.replace(/:.*$/s, '')])).toEqual([
      ['line 1', 'malformed JSON'],
      ['line 2', 'found an object with keys VrproduktionsEnhed; expected Vrvirksomhed objects'],
      ['line 3', undefined],
      ['line 4', expect.stringMatching(/^the line is longer than the limit of 0\.0 MB/)],
      ['line 5', undefined],
    ]);
    expect(records[0]!.text).toBe('{"cvrNummer": 12, this is not json');
  });

  it('refuses a file that is not JSON or not UTF-8', async () => {
    await expect(read('<html><body>Service Unavailable</body></html>')).rejects.toThrow(
      'f.json is not JSON: it starts with "<html><body>Service "',
    );
    await expect(read(Buffer.from('{"cvrNummer": 10000009, "navn": "Søren"}\n', 'latin1'))).rejects.toThrow(
      /f\.json has byte 0xF8 at offset 34, which is not UTF-8/,
    );
  });

  it('fails a document that breaks off', async () => {
    await expect(read('{"hits": {"hits": [\n' + JSON.stringify(hit(10000009)) + ',\n{"_source": {"Vrvirk')).rejects.toThrow(
      /the JSON document cannot be read/,
    );
  });

  it('reads nothing from an empty file or an empty answer', async () => {
    expect(await read('')).toEqual([]);
    expect(await read('  \n')).toEqual([]);
    expect(await read('{"took": 1, "hits": {"total": 0, "hits": []}}')).toEqual([]);
  });
});
