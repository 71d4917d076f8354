import fs from 'node:fs';
import { expect, it } from 'vitest';
import { insightsConfig, parseInsightsConfig } from './config.js';

const shipped = fs.readFileSync(new URL('./thresholds.json', import.meta.url), 'utf8');

it('reads the shipped thresholds', () => {
  expect(insightsConfig().signals.UNCOORDINATED_CONTACT.days).toBe(30);
  expect(insightsConfig().signals.HARD_TO_FILL_VACANCY.balanceCategories).toEqual(['SHORTAGE']);
});

it('names every wrong field of a configuration', () => {
  const bad = JSON.parse(shipped);
  bad.signals.NO_PUBLIC_CONTACT.months = 0;
  bad.signals.LAYOFF_NOTICE.severity = 'URGENT';
  bad.timeline.referralTargets.VEU = '(unclosed';
  expect(() => parseInsightsConfig(JSON.stringify(bad), 'test.json')).toThrow(
    /test\.json is not valid: .*signals\.LAYOFF_NOTICE\.severity.*signals\.NO_PUBLIC_CONTACT\.months.*timeline\.referralTargets\.VEU: not a regular expression/,
  );
  expect(() => parseInsightsConfig('{', 'broken.json')).toThrow(/broken\.json is not JSON/);
});
