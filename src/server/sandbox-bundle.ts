import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
/** The package root: two levels up from src/server, both in the source tree and in dist/. */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLIENT = path.join(ROOT, 'sandbox', 'client.js');
/** Where `npm run build` puts the bundle, so dist/ serves it without esbuild at run time. */
export const PREBUILT_DIR = path.join(ROOT, 'sandbox-bundle');

/** Monaco's web workers, each bundled on its own: browsers start a worker from a script URL. */
const WORKERS: Record<string, string> = {
  editor: 'monaco-editor/esm/vs/editor/editor.worker.js',
  json: 'monaco-editor/esm/vs/language/json/json.worker.js',
  graphql: 'monaco-graphql/esm/graphql.worker.js',
};

const version = (pkg: string): string => require(`${pkg}/package.json`).version;

/** A key that changes when the client script or the GraphiQL packages change, so a stale cache is rebuilt. */
function bundleKey(): string {
  const h = crypto.createHash('sha256');
  h.update(fs.readFileSync(CLIENT));
  for (const pkg of ['graphiql', '@graphiql/react', '@graphiql/plugin-explorer', 'monaco-editor', 'monaco-graphql', 'react']) {
    h.update(`${pkg}@${version(pkg)}\n`);
  }
  return h.digest('hex').slice(0, 16);
}

/** node_modules/.cache next to the installed GraphiQL: survives restarts, goes away with a fresh install. */
function cacheDir(): string {
  const nodeModules = path.resolve(path.dirname(require.resolve('graphiql/package.json')), '..');
  return path.join(nodeModules, '.cache', 'indgang-sandbox', bundleKey());
}

/** Bundles the sandbox page script (sandbox.js, sandbox.css, fonts) and the three workers into outDir. */
export async function buildSandboxBundle(outDir: string): Promise<void> {
  // esbuild is only needed when no bundle exists yet: loaded on demand.
  const esbuild = await import('esbuild');
  const tmp = `${outDir}.tmp-${process.pid}-${Date.now()}`;
  const common = {
    bundle: true,
    minify: true,
    legalComments: 'none' as const,
    logLevel: 'error' as const,
    absWorkingDir: ROOT,
    define: { 'process.env.NODE_ENV': '"production"' },
  };
  await esbuild.build({
    ...common,
    entryPoints: { sandbox: CLIENT },
    outdir: tmp,
    format: 'esm',
    target: 'es2022',
    // Monaco's codicon font and any images: served as files next to the bundle.
    loader: { '.ttf': 'file', '.woff': 'file', '.woff2': 'file', '.svg': 'file', '.png': 'file' },
    assetNames: '[name]-[hash]',
  });
  await esbuild.build({
    ...common,
    entryPoints: Object.fromEntries(Object.entries(WORKERS).map(([name, mod]) => [`${name}.worker`, require.resolve(mod)])),
    outdir: tmp,
    format: 'iife',
    target: 'es2022',
  });
  fs.mkdirSync(path.dirname(outDir), { recursive: true });
  // Build aside and rename, so a concurrent server never serves a half-written bundle; if another
  // process finished first, its bundle (same key, same content) stays.
  try {
    fs.renameSync(tmp, outDir);
  } catch (err) {
    fs.rmSync(tmp, { recursive: true, force: true });
    if (!fs.existsSync(path.join(outDir, 'sandbox.js'))) throw err;
  }
}

let pending: Promise<string> | undefined;

/** The directory holding the bundle: the prebuilt one from `npm run build`, else the cache, built on first use. */
export function sandboxBundleDir(): Promise<string> {
  pending ??= (async () => {
    if (fs.existsSync(path.join(PREBUILT_DIR, 'sandbox.js'))) return PREBUILT_DIR;
    const dir = cacheDir();
    if (!fs.existsSync(path.join(dir, 'sandbox.js'))) await buildSandboxBundle(dir);
    return dir;
  })();
  return pending;
}
