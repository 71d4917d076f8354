/**
 * npm run lint:compose — checks compose.yaml without a Docker engine: valid against the Compose
 * Specification's JSON schema (scripts/compose-spec/compose-spec.json, vendored; see its README), and
 * every environment variable it sets for the hub's own services (those built from this repository) is a
 * setting src/config/settings.ts knows. Exit code 1 with each problem named.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { settingsSchema } from '../src/config/settings.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const schema = JSON.parse(fs.readFileSync(path.join(root, 'scripts/compose-spec/compose-spec.json'), 'utf8'));

/** The problems of one compose file's text; none when it is valid and sets only known settings. */
export function composeProblems(text: string, known: readonly string[] = Object.keys(settingsSchema.shape)): string[] {
  let doc: any;
  try {
    // Merge keys (<<: *anchor) as Compose reads them.
    doc = parse(text, { merge: true });
  } catch (e) {
    return [`not YAML: ${(e as Error).message}`];
  }
  // The schema names its draft-07 meta-schema by an https URL Ajv does not alias to its built-in draft-07; it is not checked against it.
  const validate = new Ajv({ allErrors: true, strict: false, validateSchema: false }).compile(schema);
  const problems: string[] = [];
  if (!validate(doc)) {
    for (const e of validate.errors ?? []) {
      const extra = e.keyword === 'additionalProperties' ? ` (${(e.params as { additionalProperty: string }).additionalProperty})` : '';
      problems.push(`${e.instancePath || '/'} ${e.message}${extra}`);
    }
  }
  for (const [name, service] of Object.entries<any>(doc?.services ?? {})) {
    // Only the hub's own image reads indgang's settings; postgres's POSTGRES_* are its image's.
    if (!service?.build && !String(service?.image ?? '').startsWith('indgang')) continue;
    const env = service.environment ?? {};
    const keys = Array.isArray(env) ? env.map((e: string) => e.split('=')[0]!) : Object.keys(env);
    for (const k of keys)
      if (!known.includes(k)) problems.push(`/services/${name}/environment/${k} is not a setting in src/config/settings.ts`);
  }
  return problems;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const file = path.join(root, process.argv[2] ?? 'compose.yaml');
  const problems = composeProblems(fs.readFileSync(file, 'utf8'));
  if (problems.length > 0) {
    console.error(`${path.relative(root, file)}:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    process.exit(1);
  }
  console.log(`${path.relative(root, file)}: valid against the Compose Specification schema; every setting it gives the hub is known`);
}
