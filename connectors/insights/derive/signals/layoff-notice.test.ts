import { expect, it } from 'vitest';
import { occupationByCode } from '../../../../src/codes/occupations.js';
import { compileSignals } from '../../../../tests/helpers/signal-sql.js';
import { layoffNotice as signal } from './layoff-notice.js';

it('LAYOFF_NOTICE materialises the nearby-recruiting subquery and limits its evidence', () => {
  const q = compileSignals([signal]);
  expect(q.sql).toMatch(/"recruiting" AS MATERIALIZED \(/);
  expect(q.parameters).toContain(3); // evidenceCourses
  expect(q.parameters).toContain(5); // evidenceCompanies
});

it('LAYOFF_NOTICE names the persons, the date, closure and the related occupations', () => {
  const welder = occupationByCode('721200')!.title;
  expect(signal.message({ closure: false, persons: 40, latest: '2026-01-31', notices: 1, months: 6, occupations: ['721200'] })).toBe(
    `Layoff notice for 40 persons on 2026-01-31. Related occupations: ${welder}; see matching courses and nearby companies recruiting.`,
  );
  expect(signal.message({ closure: true, persons: 1, latest: '2026-01-31', notices: 2, months: 6, occupations: [] })).toBe(
    'Closure notice for 1 person on 2026-01-31 (2 notices in 6 months).',
  );
});
