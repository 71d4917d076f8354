import fs from 'node:fs';
import {
  buildSchema,
  getNamedType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLObjectType,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../src/db/database.js';
import { loadDemo } from '../src/demo/load.js';
import { dbTargets, freshDatabase } from './helpers/db.js';
import { graph } from './helpers/graph.js';

/**
 * Every connection and every id argument the published schema has, found in schema.graphql itself, so a
 * connection or id added later is covered without touching this file.
 */
const schema = buildSchema(fs.readFileSync('schema.graphql', 'utf8'), { assumeValidSDL: true });
const query = schema.getQueryType()!;

/** A value for a required argument: the first example its description gives (e.g. "RAR-VEST"). */
function requiredValue(arg: GraphQLArgument): string | undefined {
  const example = /e\.g\. "([^"]+)"/.exec(arg.description ?? '')?.[1];
  return example === undefined ? undefined : JSON.stringify(example);
}

function argsText(field: GraphQLField<unknown, unknown>, given: Record<string, string>): string | null {
  const parts: string[] = [];
  for (const a of field.args) {
    if (a.name in given) parts.push(`${a.name}: ${given[a.name]}`);
    else if (isNonNullType(a.type) && a.defaultValue === undefined) {
      const v = requiredValue(a);
      if (v === undefined) return null;
      parts.push(`${a.name}: ${v}`);
    } else if (a.name === 'first') parts.push('first: 1');
  }
  return parts.length ? `(${parts.join(', ')})` : '';
}

/** The shortest selection from Query to an object of `target`, through fields whose arguments can be filled. */
function pathTo(target: string): ((inner: string) => string) | undefined {
  const seen = new Set<string>([query.name]);
  let frontier: { type: GraphQLObjectType; wrap: (inner: string) => string }[] = [{ type: query, wrap: (s) => `{ ${s} }` }];
  while (frontier.length) {
    if (frontier.some((f) => f.type.name === target)) return frontier.find((f) => f.type.name === target)!.wrap;
    const next: typeof frontier = [];
    for (const { type, wrap } of frontier) {
      for (const f of Object.values(type.getFields())) {
        const t = getNamedType(f.type);
        if (!isObjectType(t) || seen.has(t.name)) continue;
        const args = argsText(f, {});
        if (args === null) continue;
        seen.add(t.name);
        next.push({ type: t, wrap: (inner) => wrap(`${f.name}${args} { ${inner} }`) });
      }
    }
    frontier = next;
  }
  return undefined;
}

interface Connection {
  coordinate: string;
  argument: string;
  /** The operation reaching the connection, with the cursor given (or no cursor). */
  query: (cursor?: string) => string;
}

const connections: Connection[] = Object.values(schema.getTypeMap())
  .filter((t): t is GraphQLObjectType => isObjectType(t) && !t.name.startsWith('__') && t !== schema.getMutationType())
  .flatMap((t) =>
    Object.values(t.getFields()).flatMap((f) =>
      f.args
        .filter((a) => a.name === 'after' || a.name === 'before')
        .map((a) => {
          const wrap = pathTo(t.name);
          const coordinate = `${t.name}.${f.name}`;
          if (!wrap)
            throw new Error(`no way from Query to ${coordinate}: give its required arguments an example (e.g. "…") in their description`);
          return {
            coordinate,
            argument: a.name,
            query: (cursor?: string) =>
              wrap(`${f.name}${argsText(f, cursor === undefined ? {} : { [a.name]: JSON.stringify(cursor) })} { pageInfo { endCursor } }`),
          };
        }),
    ),
  );

/** Arguments of type ID on query fields (ids inside mutation inputs are covered by the contact tests). */
const idArguments = Object.values(query.getFields()).flatMap((f) =>
  f.args.filter((a) => getNamedType(a.type).name === 'ID' && !isListType(a.type)).map((a) => ({ field: f, arg: a })),
);

const b64 = (text: string) => Buffer.from(text).toString('base64url');
const FORGED_CURSORS = [
  'garbage!!',
  '',
  b64('[1]'),
  b64(JSON.stringify(['not-a-date', 'x', 'y'])),
  b64(JSON.stringify(['9999999999999999999', '9999999999999999999'])),
  b64('{"a":1}'),
  'x'.repeat(2000),
];
const MALFORMED_IDS = [
  'not-an-id',
  '',
  b64('Contact:------------------------------------'),
  b64('Company:12'),
  b64('Nothing:1'),
  b64(':'),
  'x'.repeat(2000),
];

describe('the schema walk', () => {
  it('finds every connection and id argument', () => {
    expect(connections.map((c) => c.coordinate)).toEqual(
      expect.arrayContaining(['Company.contacts', 'Query.companies', 'Query.companyChanges', 'Course.instances']),
    );
    expect(idArguments.map((a) => `${a.field.name}.${a.arg.name}`)).toContain('node.id');
    expect(isInputObjectType(schema.getType('ContactCorrectInput'))).toBe(true);
  });
});

describe.each(dbTargets)('forged cursors and malformed ids on every connection ($name)', { timeout: 600_000 }, (target) => {
  let h: DbHandle;
  let q: ReturnType<typeof graph>;
  beforeAll(async () => {
    h = await freshDatabase(target);
    await loadDemo(h.db, { companies: 120, today: '2026-03-01' });
    q = graph(h.db, { production: true });
  }, 600_000);
  afterAll(async () => h?.close());

  it.each(connections.map((c) => [c.coordinate, c] as const))(
    '%s: a cursor it did not hand out is BAD_USER_INPUT naming the argument',
    async (_name, c) => {
      for (const cursor of FORGED_CURSORS) {
        const r = await q(c.query(cursor));
        expect(r.errors, `${c.coordinate} with ${JSON.stringify(cursor.slice(0, 40))}`).toHaveLength(1);
        expect(r.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: c.argument });
        expect(r.errors![0]!.message).toMatch(new RegExp(`^${c.argument}: `));
      }
    },
  );

  it('accepts the cursors it hands out on every connection', async () => {
    let reused = 0;
    for (const c of connections) {
      const first = await q(c.query());
      expect(first.errors, c.coordinate).toBeUndefined();
      const end = JSON.stringify(first.data).match(/"endCursor":"([^"]+)"/)?.[1];
      if (!end) continue;
      const next = await q(c.query(end));
      expect(next.errors, c.coordinate).toBeUndefined();
      // The same cursor with one character changed is not one the hub handed out.
      const tampered = end.slice(0, -3) + (end.at(-3) === 'A' ? 'B' : 'A') + end.slice(-2);
      const bad = await q(c.query(tampered));
      expect(bad.errors?.[0]?.extensions, c.coordinate).toMatchObject({ code: 'BAD_USER_INPUT', field: c.argument });
      reused++;
    }
    // The demo data fills most connections: an issued cursor was taken back on them.
    expect(reused).toBeGreaterThanOrEqual(Math.ceil(connections.length / 2));
  });

  it.each(idArguments.map((a) => [`${a.field.name}(${a.arg.name})`, a] as const))(
    '%s: a malformed id is null or BAD_USER_INPUT naming it, never a database error',
    async (_name, { field, arg }) => {
      for (const id of MALFORMED_IDS) {
        const args = argsText(field, { [arg.name]: JSON.stringify(id) });
        const selection = isObjectType(getNamedType(field.type)) || getNamedType(field.type).name === 'Node' ? ' { __typename }' : '';
        const r = await q(`{ ${field.name}${args}${selection} }`);
        for (const e of r.errors ?? []) {
          expect(e.extensions, `${field.name}(${arg.name}: ${JSON.stringify(id.slice(0, 40))})`).toMatchObject({
            code: 'BAD_USER_INPUT',
            field: arg.name,
          });
        }
        if (!r.errors) expect([null, []]).toContainEqual(r.data?.[field.name]);
      }
    },
  );
});
