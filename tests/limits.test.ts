import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'graphql';
import type { DbHandle } from '../src/db/database.js';
import { LIMITS } from '../src/server/limits.js';
import { dbTargets, freshDatabase } from './helpers/db.js';
import { graph } from './helpers/graph.js';
import { testCvr } from './helpers/cvr.js';

/** Every operation the README shows (indented blocks starting with `{` or `mutation`) that parses. */
function readmeOperations(): string[] {
  const lines = fs.readFileSync(new URL('../README.md', import.meta.url), 'utf8').split('\n');
  const ops: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^ {4}(\{|mutation|query)/.test(lines[i])) continue;
    let op = lines[i];
    while (i + 1 < lines.length && /^ {6,}\S/.test(lines[i + 1])) op += '\n' + lines[++i];
    try {
      parse(op);
      ops.push(op);
    } catch {
      // prose with an ellipsis for arguments, not a runnable operation
    }
  }
  return ops;
}

const LIMIT_CODES = ['QUERY_TOO_DEEP', 'TOO_MANY_ALIASES', 'TOO_MANY_TOKENS', 'TOO_MANY_DIRECTIVES', 'QUERY_TOO_COSTLY'];

/** company → contacts → record → company … nested `levels` times: the 16-deep path. */
function nestedContacts(levels: number, first = 5): string {
  let inner = 'name';
  for (let i = 0; i < levels; i++)
    inner = `contacts(first: ${first}) { edges { node { record { ... on Contact { company { ${inner} } } } } } }`;
  return `{ company(cvr: "${testCvr(1)}") { ${inner} } }`;
}

describe.each(dbTargets)('operation limits on $name', (target) => {
  let h: DbHandle;
  let run: ReturnType<typeof graph>;
  beforeAll(async () => {
    h = await freshDatabase(target);
    run = graph(h.db);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('lets every operation in the README through, and reports its cost', async () => {
    const ops = readmeOperations();
    expect(ops.length).toBeGreaterThan(15);
    for (const op of ops) {
      const r = await run(op);
      const codes = (r.errors ?? []).map((e) => e.extensions?.code);
      expect(
        codes.filter((c) => LIMIT_CODES.includes(String(c))),
        op,
      ).toEqual([]);
    }
  });

  it('refuses the contacts → record → company path nested 16 deep, naming the limit and the depth', async () => {
    const r = await run(nestedContacts(4, 1));
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_DEEP', limit: LIMITS.maxDepth });
    expect(Number(r.errors?.[0]?.extensions?.value)).toBeGreaterThan(LIMITS.maxDepth);
  });

  it('refuses 1,000 aliases of the company view', async () => {
    const aliases = Array.from({ length: 1000 }, (_, i) => `c${i}: company(cvr: "${testCvr(1)}") { name }`).join(' ');
    const r = await run(`{ ${aliases} }`);
    expect(r.errors?.[0]?.extensions?.code).toMatch(/TOO_MANY_ALIASES|TOO_MANY_TOKENS/);
    expect(r.errors?.[0]?.extensions?.limit).toBeTypeOf('number');
  });

  it('refuses a document with too many tokens', async () => {
    const fields = Array.from({ length: LIMITS.maxTokens }, () => '__typename').join(' ');
    const r = await run(`{ ${fields} }`);
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'TOO_MANY_TOKENS', limit: LIMITS.maxTokens });
  });

  it('refuses too many directives', async () => {
    const fields = Array.from({ length: LIMITS.maxDirectives + 1 }, () => '__typename @include(if: true)').join(' ');
    const r = await run(`{ ${fields} }`);
    expect(r.errors?.[0]?.extensions).toMatchObject({
      code: 'TOO_MANY_DIRECTIVES',
      limit: LIMITS.maxDirectives,
      value: LIMITS.maxDirectives + 1,
    });
  });

  it('multiplies the cost by `first`, literal or variable: 100 × 100 nested pages are refused', async () => {
    const q = `query ($n: Int) { companies(first: $n) { edges { node { name contacts(first: 100) { edges { node { date summary system kind organisation topics } } } } } } }`;
    const r = await run(q, { n: 100 });
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_COSTLY', limit: LIMITS.maxCost });
    expect(Number(r.errors?.[0]?.extensions?.value)).toBeGreaterThan(LIMITS.maxCost);
    expect(r.data ?? null).toBeNull();
    const small = await run(q, { n: 5 });
    expect((small.errors ?? []).map((e) => e.extensions?.code)).not.toContain('QUERY_TOO_COSTLY');
  });
});
