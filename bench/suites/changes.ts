/**
 * The change feed suite: the time to read BENCH_CHANGES (default 1,000,000) companies' changes through
 * Query.companyChanges, 1000 per page, as a downstream sync job does (target: under 2 minutes for
 * 1,000,000). Real Postgres (a throwaway database on ctx.adminUrl) and, with BENCH_CHANGES_PGLITE=1, the
 * embedded database too. Profiles and their change records are made directly in SQL.
 * Figures: changes.read.<database>.seconds, changes.read.<database>.perSecond, changes.read.<database>.companies.
 */
import { sql } from 'kysely';
import { connectors, allMigrations } from '../../src/connectors.js';
import { openDatabase, type DbHandle } from '../../src/db/database.js';
import { migrateAll } from '../../src/db/migrate.js';
import { createContext } from '../../src/graphql/context.js';
import { mergedSchema } from '../../src/graphql/schema.js';
import type { Principal } from '../../src/security/principal.js';
import { createApollo } from '../../src/server/apollo.js';
import type { BenchContext, BenchSuite, Figures } from '../context.js';
import { createScratchDatabase } from '../databases.js';

const PAGE = 1000;

/**
 * The downstream job as an operator sets it up: an API key with read:insights and its own rate limit
 * (`indgang callers add --rate-limit`), since the default 200,000 cost points a minute allows only
 * 20 pages of 1000 a minute.
 */
const SYNC_JOB: Principal = { id: 'bench-sync-job', kind: 'key', scopes: ['read:insights'], organisations: [], rateLimit: 100_000_000 };

async function fill(h: DbHandle, n: number): Promise<void> {
  await migrateAll(h.db, allMigrations);
  await sql`
    INSERT INTO insights.company_profile (cvr, name, municipality_code, status, change_seq, changed_at)
    SELECT lpad(g::text, 8, '0'), 'Firma ' || g, '657', 'NORMAL', g, now() FROM generate_series(1, ${n}) g`.execute(h.db);
  await sql`
    INSERT INTO insights.company_change (seq, cvr, changed_at, sections)
    SELECT g, lpad(g::text, 8, '0'), now(), CASE WHEN g % 3 = 0 THEN '{CONTACTS}'::text[] ELSE '{RECRUITMENT,INSIGHTS}'::text[] END FROM generate_series(1, ${n}) g`.execute(
    h.db,
  );
  await sql`SELECT setval('insights.change_seq', ${n})`.execute(h.db);
  await sql`ANALYZE insights.company_profile`.execute(h.db);
  await sql`ANALYZE insights.company_change`.execute(h.db);
}

/** Pages through the whole feed as a downstream job does; returns companies read and seconds. */
async function readAll(h: DbHandle): Promise<{ read: number; pages: number; seconds: number }> {
  const apollo = createApollo(mergedSchema(connectors), { production: false });
  const query = `query ($after: String) { companyChanges(afterSequence: "0", first: ${PAGE}, after: $after) {
    edges { node { cvr sequence changedAt sections } } pageInfo { endCursor hasNextPage } } }`;
  const t = Date.now();
  let after: string | null = null;
  let read = 0;
  let pages = 0;
  for (;;) {
    const res: Awaited<ReturnType<typeof apollo.executeOperation>> = await apollo.executeOperation(
      { query, variables: { after } },
      { contextValue: createContext(h.db, SYNC_JOB) },
    );
    if (res.body.kind !== 'single' || res.body.singleResult.errors) throw new Error(JSON.stringify(res.body));
    const c: { edges: unknown[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } = (res.body.singleResult.data as any)
      .companyChanges;
    read += c.edges.length;
    pages++;
    if (!c.pageInfo.hasNextPage) break;
    after = c.pageInfo.endCursor;
  }
  return { read, pages, seconds: (Date.now() - t) / 1000 };
}

async function measure(ctx: BenchContext, database: 'postgres' | 'pglite', n: number): Promise<Figures> {
  const scratch = database === 'postgres' ? await createScratchDatabase(ctx.adminUrl, 'indgang_bench_changes') : null;
  const h = await openDatabase(scratch ? { databaseUrl: scratch.url, poolSize: 4 } : {});
  try {
    const t = Date.now();
    await fill(h, n);
    ctx.log(
      `changes: ${database}: made ${n.toLocaleString('en')} profiles and change records in ${((Date.now() - t) / 1000).toFixed(1)} s`,
    );
    const r = await readAll(h);
    ctx.log(
      `changes: ${database}: read ${r.read.toLocaleString('en')} companies' changes in ${r.pages} pages of ${PAGE}: ${r.seconds.toFixed(1)} s`,
    );
    return {
      [`changes.read.${database}.companies`]: r.read,
      [`changes.read.${database}.seconds`]: r.seconds,
      [`changes.read.${database}.perSecond`]: Math.round(r.read / r.seconds),
    };
  } finally {
    await h.close();
    await scratch?.drop();
  }
}

export const suite: BenchSuite = {
  name: 'changes',
  async run(ctx) {
    const n = Number(process.env.BENCH_CHANGES ?? 1_000_000);
    const figures = await measure(ctx, 'postgres', n);
    if (process.env.BENCH_CHANGES_PGLITE) Object.assign(figures, await measure(ctx, 'pglite', n));
    return figures;
  },
};
