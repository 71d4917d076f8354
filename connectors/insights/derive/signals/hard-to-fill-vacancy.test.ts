import { expect, it } from 'vitest';
import { areaByCode } from '../../../../src/codes/areas.js';
import { occupationByCode } from '../../../../src/codes/occupations.js';
import { compileSignals } from '../../../../tests/helpers/signal-sql.js';
import { hardToFillVacancy as signal } from './hard-to-fill-vacancy.js';

it('HARD_TO_FILL_VACANCY reads the shared hard-to-fill needs and their ads', () => {
  const q = compileSignals([signal]);
  expect(q.sql).toMatch(/"hard" AS \(/);
  expect(q.sql).toMatch(/"hard_ads" AS \(/);
  expect(q.parameters).toContainEqual(['SHORTAGE']);
});

it('HARD_TO_FILL_VACANCY names the vacancies, positions, occupations and area', () => {
  const [a, b] = ['721200', '532120'].map((d) => occupationByCode(d)!.title);
  const area = areaByCode('RAR-VEST')?.name ?? 'RAR-VEST';
  expect(signal.message({ vacancies: 1, positions: 1, occupations: ['721200'], area: 'RAR-VEST' })).toBe(
    `1 open vacancy (1 position) in ${a}, with a shortage of labour in ${area}.`,
  );
  expect(signal.message({ vacancies: 3, positions: 4, occupations: ['721200', '532120'], area: 'RAR-VEST' })).toBe(
    `3 open vacancies (4 positions) in ${a} and ${b}, with a shortage of labour in ${area}.`,
  );
});
