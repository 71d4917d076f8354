import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { settingsSchema } from '../src/config/settings.js';
import { registry } from '../src/observability/metrics.js';

const readme = fs.readFileSync('README.md', 'utf8');

/** The rows of the first Markdown table after a heading line (its first column's text). */
function firstColumn(heading: string, after = 0): string[] {
  const start = readme.indexOf(heading, after);
  expect(start, `README has "${heading}"`).toBeGreaterThanOrEqual(0);
  const lines = readme.slice(start).split('\n');
  const top = lines.findIndex((l) => l.startsWith('|'));
  const rows: string[] = [];
  for (const l of lines.slice(top + 2)) {
    if (!l.startsWith('|')) break;
    rows.push(l.split('|')[1]!);
  }
  return rows;
}

const names = (cells: string[], pattern: RegExp) =>
  cells.flatMap((c) => [...c.matchAll(/`([^`]+)`/g)].map((m) => m[1]!.replace(/=.*$/, ''))).filter((n) => pattern.test(n));

describe('the README Operations docs', () => {
  it('lists every setting src/config/settings.ts knows, and no other', () => {
    const documented = names(firstColumn('## Modes and settings'), /^[A-Z][A-Z0-9_]+$/);
    expect(new Set(documented).size).toBe(documented.length);
    expect([...documented].sort()).toEqual(Object.keys(settingsSchema.shape).sort());
  });

  it('lists every registered metric, and no other', async () => {
    const listed = names(firstColumn('**Metrics.**', readme.indexOf('## Operations')), /^indgang_/);
    const wildcards = listed.filter((n) => n.endsWith('*')).map((n) => n.slice(0, -1));
    const exact = listed.filter((n) => !n.endsWith('*'));
    const registered = (await registry.getMetricsAsJSON()).map((m) => m.name);
    // Node's default metrics are many and version-dependent: the README names them by prefix.
    const own = registered.filter((n) => !wildcards.some((w) => n.startsWith(w)));
    expect([...exact].sort()).toEqual([...own].sort());
    for (const w of wildcards)
      expect(
        registered.some((n) => n.startsWith(w)),
        w,
      ).toBe(true);
  });
});
