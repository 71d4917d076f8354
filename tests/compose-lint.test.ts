import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { composeProblems } from '../scripts/lint-compose.js';

describe('npm run lint:compose', () => {
  it('passes the repository compose.yaml', () => {
    expect(composeProblems(fs.readFileSync('compose.yaml', 'utf8'))).toEqual([]);
  });

  it('names a key the Compose Specification does not have and a setting indgang does not know', () => {
    const text = fs
      .readFileSync('compose.yaml', 'utf8')
      .replace('    stop_grace_period: 30s', '    stop_grace_period: 30s\n    restart_policy: always')
      .replace('      PORT: "4000"', '      PORT: "4000"\n      INDGANG_WORKERS: "2"');
    expect(composeProblems(text)).toEqual([
      expect.stringMatching(/^\/services\/hub .*additional properties \(restart_policy\)/),
      '/services/hub/environment/INDGANG_WORKERS is not a setting in src/config/settings.ts',
    ]);
  });
});
