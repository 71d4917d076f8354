import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { csvRecords, type CsvOptions } from './csv.js';
import type { SourceRecord } from './types.js';

const options: CsvOptions = {
  columns: [
    { field: 'cvr', headers: ['cvr', 'cvr_nummer'], required: true },
    { field: 'count', headers: ['antal', 'count'], required: true },
    { field: 'note', headers: ['bemærkning'] },
  ],
};

async function read(text: string, o = options): Promise<SourceRecord[]> {
  const out: SourceRecord[] = [];
  for await (const r of csvRecords(Readable.from([Buffer.from(text)]), 'f.csv', o)) out.push(r);
  return out;
}

describe('csvRecords', () => {
  it('takes the separator from the header, drops a BOM, matches headers loosely and reads only listed columns', async () => {
    for (const sep of [';', ',', '\t']) {
      const records = await read(`\ufeffCVR-Nummer${sep}Navn på kontaktperson${sep}Antal\n10000009${sep}Peter Privat${sep}3\n`);
      expect(records.map((r) => [r.line, r.value, r.text])).toEqual([[2, { cvr: '10000009', count: '3', note: '' }, `10000009${sep}3`]]);
    }
  });

  it('rejects a row alone when it has extra cells, keeps a stray quote as text, and reports a quote never closed', async () => {
    const records = await read('cvr;antal\n10000009;1\n10000017;2"x\n10000025;3;extra\n10000033;4\n10000041;"5\n10000058;6\n');
    expect(records.map((r) => [r.position, r.parseError?.slice(0, 40) ?? (r.value as any).count])).toEqual([
      ['line 2', '1'],
      ['line 3', '2"x'],
      ['line 4', 'the row has 3 cells where the header has'],
      ['line 5', '4'],
      [expect.stringMatching(/^line \d+$/), 'the row cannot be read as CSV: Quote Not'],
    ]);
  });

  it('refuses a file missing required columns, naming them and the header found', async () => {
    await expect(read('navn;bemærkning\nx;y\n')).rejects.toThrow(
      'f.csv: missing required columns cvr, antal (the header has navn, bemærkning)',
    );
  });

  it('refuses an empty file and skips # comments where the source allows them', async () => {
    await expect(read('')).rejects.toThrow('f.csv is empty: expected a header line');
    const records = await read('# source: test\ncvr;antal\n# a comment\n10000009;1\n', { ...options, comments: true });
    expect(records.map((r) => r.value)).toEqual([{ cvr: '10000009', count: '1', note: '' }]);
  });
});
