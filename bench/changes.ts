/**
 * npm run bench:changes — the time to read BENCH_COMPANIES (default 1,000,000) companies' changes through
 * Query.companyChanges, 1000 per page, as a downstream sync job does. Real Postgres (BENCH_DATABASE_URL,
 * default postgres://postgres@127.0.0.1:5432/test; a fresh database is created and dropped), or the
 * embedded database with BENCH_PGLITE=1. Profiles and their change records are made directly in SQL.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { connectors, allMigrations } from '../src/connectors.js';
import { openDatabase, type DbHandle } from '../src/db/database.js';
import { migrateAll } from '../src/db/migrate.js';
import { createContext } from '../src/graphql/context.js';
import { mergedSchema } from '../src/graphql/schema.js';
import { createApollo } from '../src/server/apollo.js';

const N = Number(process.env.BENCH_COMPANIES ?? 1_000_000);
const PAGE = 1000;
const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function open(): Promise<{ h: DbHandle; drop: () => Promise<void> }> {
  if (process.env.BENCH_PGLITE) return { h: await openDatabase({}), drop: async () => {} };
  const name = `indgang_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const h = await openDatabase({ databaseUrl: url.toString(), poolSize: 4 });
  return {
    h,
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

const { h, drop } = await open();
try {
  await migrateAll(h.db, allMigrations);
  let t = Date.now();
  await sql`
    INSERT INTO insights.company_profile (cvr, name, municipality_code, status, change_seq, changed_at)
    SELECT lpad(g::text, 8, '0'), 'Firma ' || g, '657', 'NORMAL', g, now() FROM generate_series(1, ${N}) g`.execute(h.db);
  await sql`
    INSERT INTO insights.company_change (seq, cvr, changed_at, sections)
    SELECT g, lpad(g::text, 8, '0'), now(), CASE WHEN g % 3 = 0 THEN '{CONTACTS}'::text[] ELSE '{RECRUITMENT,INSIGHTS}'::text[] END FROM generate_series(1, ${N}) g`.execute(h.db);
  await sql`SELECT setval('insights.change_seq', ${N})`.execute(h.db);
  await sql`ANALYZE insights.company_profile`.execute(h.db);
  await sql`ANALYZE insights.company_change`.execute(h.db);
  console.log(`made ${N.toLocaleString('en')} profiles and change records in ${((Date.now() - t) / 1000).toFixed(1)} s`);

  const apollo = createApollo(mergedSchema(connectors), { production: false });
  const query = `query ($after: String) { companyChanges(afterSequence: "0", first: ${PAGE}, after: $after) {
    edges { node { cvr sequence changedAt sections } } pageInfo { endCursor hasNextPage } } }`;
  t = Date.now();
  let after: string | null = null;
  let read = 0;
  let pages = 0;
  for (;;) {
    const res: Awaited<ReturnType<typeof apollo.executeOperation>> = await apollo.executeOperation({ query, variables: { after } }, { contextValue: createContext(h.db) });
    if (res.body.kind !== 'single' || res.body.singleResult.errors) throw new Error(JSON.stringify(res.body));
    const c: { edges: unknown[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } = (res.body.singleResult.data as any).companyChanges;
    read += c.edges.length;
    pages++;
    if (!c.pageInfo.hasNextPage) break;
    after = c.pageInfo.endCursor;
  }
  const s = (Date.now() - t) / 1000;
  console.log(`read ${read.toLocaleString('en')} companies' changes through companyChanges in ${pages} pages of ${PAGE}: ${s.toFixed(1)} s (${Math.round(read / s).toLocaleString('en')}/s; target < 120 s for 1,000,000)`);
} finally {
  await h.close();
  await drop();
}
