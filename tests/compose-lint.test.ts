import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { composeProblems } from '../scripts/lint-compose.js';

describe('npm run lint:compose', () => {
  it('passes the repository compose.yaml', () => {
    expect(composeProblems(fs.readFileSync('compose.yaml', 'utf8'))).toEqual([]);
  });

  it('names a key the Compose Specification does not have and a setting indgang does not know', () => {
    let text = fs.readFileSync('compose.yaml', 'utf8');
    text = after(text, /^ {4}stop_grace_period: .*$/m, '    restart_policy: always');
    text = after(text, /^ {6}PORT: .*$/m, "      INDGANG_WORKERS: '2'");
    expect(composeProblems(text)).toEqual([
      expect.stringMatching(/^\/services\/hub .*additional properties \(restart_policy\)/),
      '/services/hub/environment/INDGANG_WORKERS is not a setting in src/config/settings.ts',
    ]);
  });
});

/** Inserts a line after the first line matching `anchor`; fails when the file no longer has it (a silent no-op would test nothing). */
function after(text: string, anchor: RegExp, line: string): string {
  const m = anchor.exec(text);
  if (!m) throw new Error(`compose.yaml has no line matching ${anchor}`);
  return text.slice(0, m.index + m[0].length) + '\n' + line + text.slice(m.index + m[0].length);
}
