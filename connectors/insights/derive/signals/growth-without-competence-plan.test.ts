import { expect, it } from 'vitest';
import { compileSignals } from '../../../../tests/helpers/signal-sql.js';
import { growthWithoutCompetencePlan as signal } from './growth-without-competence-plan.js';

it('GROWTH_WITHOUT_COMPETENCE_PLAN compiles on its own, with the thresholds as parameters', () => {
  const q = compileSignals([signal]);
  expect(q.sql).toContain(`'GROWTH_WITHOUT_COMPETENCE_PLAN'`);
  expect(q.parameters).toContainEqual(['GROWTH', 'GROWTH_PACKAGE']);
  expect(q.parameters).toContain('2025-03-02'); // twelve months before the day derived for
});

it('GROWTH_WITHOUT_COMPETENCE_PLAN names the programmes, their kinds and the last enrolment', () => {
  expect(signal.message({ programmes: 1, kinds: ['GROWTH_PACKAGE'], months: 12, lastEnrolmentOn: null })).toBe(
    '1 active growth programme (growth package) without an agreed competence-development plan, and no course enrolments in 12 months.',
  );
  expect(signal.message({ programmes: 2, kinds: ['GROWTH', 'GROWTH_PACKAGE'], months: 12, lastEnrolmentOn: '2024-11-01' })).toBe(
    '2 active growth programmes (growth and growth package) without an agreed competence-development plan, and no course enrolments in 12 months (last 2024-11-01).',
  );
});
