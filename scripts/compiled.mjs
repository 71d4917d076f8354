// The CLI compiled to plain JavaScript beside its run-time files (scripts/copy-assets.mjs), kept in
// node_modules/.cache/indgang-build once per version of the sources and per compiler:
// - `npm start` serves from an esbuild copy: each file transpiled alone, as tsx did, in about a second, so a
//   start after an edit is not slower than tsx was; a later start then loads plain JavaScript instead of
//   compiling and resolving every module through tsx's hooks (the README gives the figures);
// - the tests run the CLI from a tsc copy, the compiler `npm run build` uses for production.
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { globSync } from 'tinyglobby';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const defaultCacheDir = path.join(root, 'node_modules/.cache/indgang-build');
/** Copies nobody has started from or refreshed for this long belong to other versions of the sources and are removed. */
const staleAfterMs = 24 * 3600_000;
/** A process running from a copy marks it used this often, so no clean-up removes it under that process. */
const inUseEveryMs = 3600_000;

/** Everything a copy is made from; a change to any of them makes a new copy. */
const INPUTS = [
  'src/**',
  'connectors/**',
  'schema/**',
  'data/**',
  'sandbox/**',
  'scripts/copy-assets.mjs',
  'scripts/compiled.mjs',
  'schema.graphql',
  'package.json',
  'tsconfig*.json',
];
const SOURCES = ['src/**/*.ts', 'connectors/**/*.ts'];
const NOT_SHIPPED = ['**/*.test.ts', '**/*.d.ts'];

const COMPILERS = {
  /** Each file transpiled alone, types dropped unchecked: what tsx ran. */
  esbuild: {
    version: () => require('esbuild/package.json').version,
    async compile(outDir, from) {
      const esbuild = await import('esbuild');
      await esbuild.build({
        absWorkingDir: from,
        entryPoints: globSync(SOURCES, { cwd: from, ignore: NOT_SHIPPED }),
        outdir: outDir,
        outbase: '.',
        format: 'esm',
        platform: 'node',
        target: 'node20',
        sourcemap: true,
        logLevel: 'error',
      });
    },
  },
  /** tsconfig.build.json, as `npm run build` compiles for production (without its type check: `npm run typecheck`). */
  tsc: {
    version: () => require('@typescript/native/package.json').version,
    async compile(outDir, from) {
      const tsc = path.join(root, 'node_modules/@typescript/native/bin/tsc');
      execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', outDir, '--noCheck'], { cwd: from, stdio: 'inherit' });
    },
  },
};

/** A key of the sources' content (35-50 ms for the whole tree), not their times: a checkout or a touch alone rebuilds nothing. */
function sourcesKey(compiler, from) {
  const h = createHash('sha256').update(`${compiler}@${COMPILERS[compiler].version()}\0`);
  for (const f of globSync(INPUTS, { cwd: from, ignore: ['**/*.test.ts'] }).sort())
    h.update(f)
      .update('\0')
      .update(fs.readFileSync(path.join(from, f)))
      .update('\0');
  return `${compiler}-${h.digest('hex').slice(0, 16)}`;
}

/** Removes copies unused for a day, and build folders a killed build left behind; another process may be removing them too. */
function removeStale(cacheDir, keep) {
  for (const f of fs.readdirSync(cacheDir)) {
    const p = path.join(cacheDir, f);
    if (p === keep) continue;
    const st = fs.statSync(p, { throwIfNoEntry: false });
    if (st && Date.now() - st.mtimeMs > staleAfterMs) fs.rmSync(p, { recursive: true, force: true });
  }
}

/**
 * The compiled CLI's main.js for the sources as they are now, compiled first when no copy of them exists.
 * `from` is the source tree (this checkout; tests give another). `onBuild` hears when a build starts (a first
 * start, or a source changed). A compile that fails throws `BuildError`, the compiler's message printed.
 */
export async function compiledCli({
  compiler = 'esbuild',
  from = root,
  cacheDir = process.env.INDGANG_BUILD_CACHE || defaultCacheDir,
  onBuild = () => {},
} = {}) {
  fs.mkdirSync(cacheDir, { recursive: true });
  for (let attempt = 0; ; attempt++) {
    const key = sourcesKey(compiler, from);
    const dir = path.join(cacheDir, key);
    const main = path.join(dir, 'src/cli/main.js');
    if (fs.existsSync(main)) {
      removeStale(cacheDir, dir);
      markInUse(main);
      return main;
    }
    // A file saved while the compiler read the sources would leave this copy named after sources it does not hold.
    if (attempt === 3) throw new BuildError('the sources kept changing while they were compiled; try again');
    onBuild(dir);
    // Built aside and renamed into place, so processes that build at the same time never see half a copy.
    const building = `${dir}.${process.pid}.${randomBytes(4).toString('hex')}`;
    try {
      try {
        await COMPILERS[compiler].compile(building, from);
        execFileSync(process.execPath, [path.join(from, 'scripts/copy-assets.mjs'), building], { cwd: from, stdio: 'pipe' });
      } catch (e) {
        // The compilers have printed their messages; copy-assets' is in its captured output.
        const copying = e.stderr?.toString().trim();
        throw new BuildError(`compiling the sources failed${copying ? `: ${copying.split('\n')[0]}` : ' (the compiler says why above)'}`);
      }
      // Its imports resolve from the checkout's packages, wherever the cache is.
      fs.symlinkSync(path.join(from, 'node_modules'), path.join(building, 'node_modules'), 'dir');
      if (sourcesKey(compiler, from) !== key) continue;
      try {
        fs.renameSync(building, dir);
      } catch (e) {
        if (!fs.existsSync(main)) throw e; // else another process put the same copy there first
      }
    } finally {
      fs.rmSync(building, { recursive: true, force: true });
    }
  }
}

/** Marks the copy of this main.js used now, and keeps marking it while this process runs. */
function markInUse(main) {
  const dir = path.resolve(path.dirname(main), '..', '..');
  const mark = () => {
    const now = new Date();
    try {
      fs.utimesSync(dir, now, now);
    } catch {
      // removed anyway (a cache cleared by hand): nothing to keep
    }
  };
  mark();
  setInterval(mark, inUseEveryMs).unref();
}

export class BuildError extends Error {}
