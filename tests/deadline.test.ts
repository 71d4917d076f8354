import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { sql } from 'kysely';
import { openDatabase, type DbHandle } from '../src/db/database.js';
import { createContext, type Context } from '../src/graphql/context.js';
import { createApollo } from '../src/server/apollo.js';
import { dbTargets, freshDatabase } from './helpers/db.js';

let deeperRuns = 0;
const schema = makeExecutableSchema<Context>({
  typeDefs: /* GraphQL */ `
    type Query {
      wait(ms: Int!): Waited
      sleep(seconds: Float!): Boolean
    }
    type Waited {
      deeper: Boolean
    }
  `,
  resolvers: {
    Query: {
      wait: async (_: unknown, { ms }: { ms: number }) => {
        await new Promise((r) => setTimeout(r, ms));
        return {};
      },
      sleep: async (_: unknown, { seconds }: { seconds: number }, ctx: Context) => {
        await sql`SELECT pg_sleep(${seconds})`.execute(ctx.db);
        return true;
      },
    },
    Waited: {
      deeper: () => {
        deeperRuns++;
        return true;
      },
    },
  },
});

async function run(db: DbHandle['db'], timeoutMs: number, query: string) {
  const apollo = createApollo(schema, { production: true, requestTimeoutMs: timeoutMs });
  const res = await apollo.executeOperation({ query }, { contextValue: createContext(db) });
  if (res.body.kind !== 'single') throw new Error('single result expected');
  return res.body.singleResult;
}

describe.each(dbTargets)('the request deadline on $name', (target) => {
  let h: DbHandle;
  beforeAll(async () => {
    h = await freshDatabase(target);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('resolves nothing after the deadline: the fields that would start answer TIMEOUT', async () => {
    deeperRuns = 0;
    const r = await run(h.db, 50, '{ wait(ms: 200) { deeper } }');
    expect(deeperRuns).toBe(0);
    expect(r.errors?.[0]).toMatchObject({ path: ['wait', 'deeper'], extensions: { code: 'TIMEOUT', limit: 50 } });
    expect(r.data).toEqual({ wait: { deeper: null } });
  });

  it('lets a request within its deadline through untouched', async () => {
    deeperRuns = 0;
    const r = await run(h.db, 10_000, '{ wait(ms: 1) { deeper } }');
    expect(r.errors).toBeUndefined();
    expect(r.data).toEqual({ wait: { deeper: true } });
  });
});

// statement_timeout needs a real server: PGlite runs in this process and cannot cancel its own statement.
describe.skipIf(!process.env.TEST_DATABASE_URL)('SQL cancelled at the deadline on postgres', () => {
  let h: DbHandle;
  let watcher: DbHandle;
  beforeAll(async () => {
    h = await openDatabase({ databaseUrl: process.env.TEST_DATABASE_URL!, poolSize: 2, statementTimeoutMs: 300 });
    watcher = await openDatabase({ databaseUrl: process.env.TEST_DATABASE_URL!, poolSize: 1 });
  });
  afterAll(async () => {
    await h?.close();
    await watcher?.close();
  });

  it('cancels a long statement (pg_sleep) and answers TIMEOUT', async () => {
    const r = await run(h.db, 300, `{ sleep(seconds: 30) }`);
    expect(r.errors?.[0]).toMatchObject({ path: ['sleep'], extensions: { code: 'TIMEOUT' } });
    expect(JSON.stringify(r.errors)).not.toMatch(/canceling statement|pg_sleep/);
    const running = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep%' AND state = 'active'`.execute(watcher.db);
    expect(running.rows[0]!.n).toBe(0);
  });
});
