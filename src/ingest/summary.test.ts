import { describe, expect, it } from 'vitest';
import { formatSummary, type RunSummary } from './pipeline.js';

const base: RunSummary = {
  runId: 7,
  source: 'crm-meetings',
  file: 'moeder.csv',
  status: 'succeeded',
  seconds: 21.04,
  deriveSeconds: 16.23,
  read: 3,
  inserted: 3,
  updated: 0,
  unchanged: 0,
  rejected: 0,
  notes: {},
  touched: ['10000009'],
};

describe('formatSummary', () => {
  it('says how much of a run went to deriving the insights of the companies it changed', () => {
    expect(formatSummary(base)).toBe(
      'run 7 crm-meetings succeeded: read=3 inserted=3 updated=0 unchanged=0 rejected=0 in 21.0s (derived data 16.2s)',
    );
  });

  it('leaves the derivation out of a run that changed and derived nothing', () => {
    expect(formatSummary({ ...base, touched: [], deriveSeconds: 0.01 })).toMatch(/ in 21\.0s$/);
  });

  it('shows it for a run that derived companies it did not name', () => {
    expect(formatSummary({ ...base, touched: [], deriveSeconds: 2.5 })).toMatch(/ in 21\.0s \(derived data 2\.5s\)$/);
  });

  it('leaves it out of a failed run, whose derivation was rolled back', () => {
    const failed = formatSummary({ ...base, status: 'failed', deriveSeconds: 0, error: 'line 2: broken JSON' });
    expect(failed).toBe(
      'run 7 crm-meetings failed: read=3 inserted=3 updated=0 unchanged=0 rejected=0 in 21.0s\n  error: line 2: broken JSON',
    );
  });
});
