import fs from 'node:fs';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { dataDir, readCodeList } from './lists.js';

const file = path.join(dataDir, 'codes', '.test-hash.csv');
afterAll(() => fs.rmSync(file, { force: true }));

it('treats # as a comment only at the start of a line', () => {
  fs.writeFileSync(file, '# source: test\ncode;title\n1;Programmering i C# og .NET\n');
  expect(readCodeList('codes/.test-hash.csv')).toEqual([{ code: '1', title: 'Programmering i C# og .NET' }]);
});
