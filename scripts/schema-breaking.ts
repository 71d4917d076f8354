/**
 * Fails when `schema.graphql` breaks clients compared to a base revision (default HEAD~1, or
 * INDGANG_SCHEMA_BASE, e.g. origin/main in a pull request), unless the break is marked: a commit
 * between the base and HEAD carries a `Schema-Break: <reason>` line in its message. Dangerous changes
 * (e.g. a new enum value) are listed but pass. CI runs it through `npm run codegen:check`.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { buildSchema } from 'graphql';
import { CriticalityLevel, diff } from '@graphql-inspector/core';

const base = process.env.INDGANG_SCHEMA_BASE || 'HEAD~1';
const git = (...args: string[]) => execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });

let before: string;
try {
  before = git('show', `${base}:schema.graphql`);
} catch {
  console.error(`schema:breaking: no schema.graphql at ${base}; nothing to compare`);
  process.exit(0);
}
const after = fs.readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8');
const changes = await diff(buildSchema(before), buildSchema(after));
const breaking = changes.filter((c) => c.criticality.level === CriticalityLevel.Breaking);
const dangerous = changes.filter((c) => c.criticality.level === CriticalityLevel.Dangerous);
for (const c of dangerous) console.error(`dangerous: ${c.message}`);
if (breaking.length === 0) {
  console.error(`schema:breaking: no breaking change since ${base} (${changes.length} change(s))`);
  process.exit(0);
}
let marks: string;
try {
  marks = git('log', '--format=%B', `${base}..HEAD`);
} catch {
  // A shallow clone without the base: only the marks of HEAD count.
  marks = git('log', '-1', '--format=%B');
}
const mark = /^Schema-Break:\s*\S.*$/m.exec(marks);
for (const c of breaking) console.error(`breaking: ${c.message}${c.path ? ` (${c.path})` : ''}`);
if (mark) {
  console.error(`schema:breaking: ${breaking.length} breaking change(s) since ${base}, marked: ${mark[0]}`);
  process.exit(0);
}
console.error(
  `schema:breaking: ${breaking.length} breaking change(s) since ${base}. Deprecate first (see README, "Schema changes"), or mark the commit with a line "Schema-Break: <reason>" in its message.`,
);
process.exit(1);
