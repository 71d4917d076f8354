import { expect, it } from 'vitest';
import { compileSignals } from '../../../../tests/helpers/signal-sql.js';
import { uncoordinatedContact as signal } from './uncoordinated-contact.js';

it('UNCOORDINATED_CONTACT compiles on its own with its window and system count', () => {
  const q = compileSignals([signal]);
  expect(q.sql).toMatch(/"contacts" AS \(/);
  expect(q.parameters).toContain('2026-01-31'); // 30 days before the day derived for
  expect(q.parameters).toContain(2);
});

it('UNCOORDINATED_CONTACT names the contacts, systems and days', () => {
  expect(signal.message({ contacts: 2, systems: ['ERHVERVSHUS', 'JOBCENTRE'], days: 30 })).toBe(
    '2 contacts from the business house (Erhvervshus) and jobcentre within 30 days, with no referral between them.',
  );
  expect(signal.message({ contacts: 3, systems: ['ERHVERVSHUS', 'JOBCENTRE', 'VEU'], days: 30 })).toBe(
    '3 contacts from the business house (Erhvervshus), jobcentre and education (VEU) within 30 days, with no referral between them.',
  );
});
