import { expect, it } from 'vitest';
import { compileSignals } from '../../../../tests/helpers/signal-sql.js';
import { noPublicContact as signal } from './no-public-contact.js';

it('NO_PUBLIC_CONTACT reads the shared hard-to-fill needs and the window as a parameter', () => {
  const q = compileSignals([signal]);
  expect(q.sql).toMatch(/"hard" AS \(/);
  expect(q.parameters).toContain('2025-03-02');
});

it('NO_PUBLIC_CONTACT names the hard-to-fill vacancies and the last contact, or never', () => {
  expect(signal.message({ hardToFill: 1, months: 12, lastContactOn: null })).toBe(
    '1 hard-to-fill vacancy and no contact from any public system in 12 months (never).',
  );
  expect(signal.message({ hardToFill: 2, months: 12, lastContactOn: '2024-06-30' })).toBe(
    '2 hard-to-fill vacancies and no contact from any public system in 12 months (last 2024-06-30).',
  );
});
