#!/usr/bin/env node
// `npm start` (`node scripts/start.mjs serve`): runs the CLI from the compiled copy of this checkout, compiling it
// first on a first start and after a source changed (scripts/compiled.mjs).
import { pathToFileURL } from 'node:url';
import { BuildError, compiledCli } from './compiled.mjs';

let main;
try {
  main = await compiledCli({
    onBuild: (dir) => console.error(`building: compiling the sources into ${dir} (a first start, or a source changed)`),
  });
} catch (e) {
  if (!(e instanceof BuildError)) throw e;
  console.error(`indgang: ${e.message}`);
  process.exit(1);
}
// Stack traces name the TypeScript files and lines, as they did when tsx ran the sources.
process.setSourceMapsEnabled(true);
// The compiled CLI reads its command from process.argv, as if started as `node main.js serve`.
process.argv = [process.argv[0], main, ...process.argv.slice(2)];
await import(pathToFileURL(main).href);
