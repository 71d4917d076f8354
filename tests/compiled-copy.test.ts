import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BuildError, compiledCli, root } from '../scripts/compiled.mjs';

// A source tree of one module, laid out as copy-assets expects, so the real compile and copy run on it.
const base = fs.mkdtempSync(path.join(os.tmpdir(), 'indgang-compiled-'));
const from = path.join(base, 'checkout');
const cacheDir = path.join(base, 'cache');
const mainTs = path.join(from, 'src/cli/main.ts');
for (const dir of ['src/cli', 'connectors', 'schema', 'data', 'sandbox', 'scripts'])
  fs.mkdirSync(path.join(from, dir), { recursive: true });
for (const file of ['schema.graphql', 'package.json', 'tsconfig.json']) fs.writeFileSync(path.join(from, file), '{}\n');
fs.copyFileSync(path.join(root, 'scripts/copy-assets.mjs'), path.join(from, 'scripts/copy-assets.mjs'));
const source = (n: number) => `export const answer: number = ${n};\n`;

/** Builds (or reuses) the copy of the tree as it is now; says what it holds and whether it was built. */
async function copy(onBuild: () => void = () => {}) {
  let built = 0;
  const main = await compiledCli({ from, cacheDir, onBuild: () => (built++, onBuild()) });
  return { main, built, holds: fs.readFileSync(main, 'utf8') };
}

describe('the compiled copy npm start runs', { timeout: 120_000 }, () => {
  afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

  it('is built once per version of the sources, with their run-time files beside it', async () => {
    fs.writeFileSync(mainTs, source(1));
    const first = await copy();
    expect(first.built).toBe(1);
    expect(first.holds).toContain('answer = 1');
    expect(fs.existsSync(path.join(path.dirname(first.main), '../../schema.graphql'))).toBe(true);
    expect(await copy()).toMatchObject({ main: first.main, built: 0 });
    fs.writeFileSync(mainTs, source(2));
    const second = await copy();
    expect(second).toMatchObject({ built: 1, holds: expect.stringContaining('answer = 2') });
    expect(second.main).not.toBe(first.main);
  });

  it('never keeps a copy under the name of sources it does not hold (a file saved while it compiled)', async () => {
    fs.writeFileSync(mainTs, source(3));
    // The edit lands after the sources were read for the copy's name, before the compiler reads them.
    let edited = false;
    const during = await copy(() => {
      if (!edited) fs.writeFileSync(mainTs, source(4));
      edited = true;
    });
    expect(during.holds).toContain('answer = 4');
    // Back to the sources the first name was made from: their copy must hold them.
    fs.writeFileSync(mainTs, source(3));
    expect((await copy()).holds).toContain('answer = 3');
  });

  it('fails with the compiler having said why, and keeps no copy', async () => {
    fs.writeFileSync(mainTs, 'export const broken = ;\n');
    await expect(compiledCli({ from, cacheDir })).rejects.toThrow(BuildError);
    expect(fs.readdirSync(cacheDir).filter((f) => f.includes('.'))).toEqual([]);
  });
});
