import { defineConfig } from 'vitest/config';

export default defineConfig({
  // graphql ships CJS and ESM builds; Node (and Apollo) load the CJS one, so tests must too,
  // or schema objects from one realm meet type checks from the other.
  resolve: { alias: { graphql: 'graphql/index.js' } },
  test: {
    include: ['tests/**/*.test.ts', 'connectors/**/*.test.ts', 'src/**/*.test.ts'],
    // Migrates once per run into templates that every test file copies (see the README's Tests paragraph).
    globalSetup: ['tests/helpers/global-setup.ts'],
    // Generous on purpose: the machine running the suite may be busy, and a slow pass is still a pass.
    testTimeout: 240_000,
    hookTimeout: 600_000,
    pool: 'forks',
    // Each worker imports the app once for all its files instead of once per file: about a quarter of the
    // suite's CPU time (measured: 356 s instead of 485 s of CPU for the whole suite on both databases).
    // Files still get databases of their own; none changes shared module state it does not restore.
    isolate: false,
    maxWorkers: 2,
    env: { NODE_ENV: 'test' },
  },
});
