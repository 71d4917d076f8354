// The hub compiled as `npm run build` compiles it (tsc with tsconfig.build.json, then copy-assets), kept in
// node_modules/.cache once per version of the sources. `npm start` serves from it and the tests run the CLI
// from it: loaded as plain JavaScript, a process skips tsx's per-module work (a later `npm start` answered
// in 4.1-5.1 s compiled against 6.0-6.3 s through tsx, side by side on the same data folder; a CLI process
// in the tests spends about 0.8 s less CPU).
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { globSync } from 'tinyglobby';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const defaultCacheDir = path.join(root, 'node_modules/.cache/indgang-build');
/** Copies nobody has used for this long belong to other versions of the sources and are removed. */
const staleAfterMs = 24 * 3600_000;

/** Everything the compiled copy is made from; a change to any of them makes a new copy. */
const INPUTS = [
  'src/**',
  'connectors/**',
  'schema/**',
  'data/**',
  'sandbox/**',
  'scripts/copy-assets.mjs',
  'schema.graphql',
  'package.json',
  'tsconfig*.json',
];

/** A key of the sources' content (about 50 ms for the whole tree), not their times: a checkout or a touch alone rebuilds nothing. */
function sourcesKey() {
  const h = createHash('sha256');
  const files = globSync(INPUTS, { cwd: root, ignore: ['**/*.test.ts'] }).sort();
  for (const f of files)
    h.update(f)
      .update('\0')
      .update(fs.readFileSync(path.join(root, f)))
      .update('\0');
  return h.digest('hex').slice(0, 16);
}

/**
 * The compiled CLI's main.js for the sources as they are now, compiled first when no copy of them exists.
 * `onBuild` hears when that happens (a first start, or a source changed), since it takes a few seconds.
 * Type errors do not stop the build (`--noCheck`, as tsx ran the sources before): `npm run typecheck` reports them.
 */
export function compiledCli({ cacheDir = process.env.INDGANG_BUILD_CACHE || defaultCacheDir, onBuild = () => {} } = {}) {
  const dir = path.join(cacheDir, `cli-${sourcesKey()}`);
  const main = path.join(dir, 'src/cli/main.js');
  if (!fs.existsSync(main)) {
    onBuild(dir);
    fs.mkdirSync(cacheDir, { recursive: true });
    // Built aside and renamed into place, so processes that build at the same time never see half a copy.
    const building = `${dir}.${process.pid}.${randomBytes(4).toString('hex')}`;
    try {
      const tsc = path.join(root, 'node_modules/@typescript/native/bin/tsc');
      execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', building, '--noCheck'], {
        cwd: root,
        stdio: 'inherit',
      });
      execFileSync(process.execPath, ['scripts/copy-assets.mjs', building], { cwd: root, stdio: 'ignore' });
      // Its imports resolve from the checkout's packages.
      fs.symlinkSync(path.join(root, 'node_modules'), path.join(building, 'node_modules'), 'dir');
      // A folder without its main.js is what an interrupted removal leaves.
      if (fs.existsSync(dir) && !fs.existsSync(main)) fs.rmSync(dir, { recursive: true, force: true });
      try {
        fs.renameSync(building, dir);
      } catch (e) {
        if (!fs.existsSync(main)) throw e; // else another process put the same copy there first
      }
    } finally {
      fs.rmSync(building, { recursive: true, force: true });
    }
  }
  for (const f of fs.readdirSync(cacheDir)) {
    const p = path.join(cacheDir, f);
    if (p !== dir && f.startsWith('cli-') && Date.now() - fs.statSync(p).mtimeMs > staleAfterMs)
      fs.rmSync(p, { recursive: true, force: true });
  }
  const now = new Date();
  fs.utimesSync(dir, now, now);
  return main;
}
