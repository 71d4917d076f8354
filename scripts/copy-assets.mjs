// After tsc: copies what the compiled code reads next to it, so dist/ runs alone (node dist/src/cli/main.js):
// the SDL files, the insights thresholds, the schema artifact, the code lists under data/ and the sandbox's client script.
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
// The output folder of the build (default dist/; the tests build a copy of their own: tests/helpers/global-setup.ts).
const dist = path.resolve(root, process.argv[2] ?? 'dist');
const copy = (rel) => {
  fs.mkdirSync(path.dirname(path.join(dist, rel)), { recursive: true });
  fs.cpSync(path.join(root, rel), path.join(dist, rel), { recursive: true });
};
for (const rel of ['schema', 'data', 'schema.graphql', 'package.json', 'sandbox']) copy(rel);
for (const name of fs.readdirSync(path.join(root, 'connectors'))) {
  for (const file of fs.readdirSync(path.join(root, 'connectors', name))) {
    if (file.endsWith('.graphql') || file.endsWith('.json')) copy(path.join('connectors', name, file));
  }
}
console.error(`copied the SDL, thresholds and data/ into ${path.relative(root, dist) || '.'}/`);
