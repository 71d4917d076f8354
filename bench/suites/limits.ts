/**
 * The operation limits under load, on a demo database (BENCH_LIMITS_COMPANIES companies, default 2,000):
 *   limits.worstAcceptedQuery.<db>.ms — the slowest of the most expensive operations the limits still accept,
 *     built from LIMITS (page sizes raised until the next step would cost more than maxCost), run in process
 *     with the production plugins and without the rate limit; .cost is its cost, .timedOut 1 if it met the deadline;
 *   limits.burst.* — BENCH_BURST (default 500) pages of 20 company views sent at once by one API-key caller to a production
 *     HTTP server with the default rate limit: how many were answered (200), refused (429), and the Retry-After given.
 * Timings on a busy shared machine are noisy; the 429 counts are not.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { parse } from 'graphql';
import type { BenchContext, BenchSuite, Figures } from '../context.js';
import { openDatabase, type DbHandle } from '../../src/db/database.js';
import { migrateAll } from '../../src/db/migrate.js';
import { allMigrations, connectors } from '../../src/connectors.js';
import { loadDemo } from '../../src/demo/load.js';
import { mergedSchema } from '../../src/graphql/schema.js';
import { createContext } from '../../src/graphql/context.js';
import { createApollo } from '../../src/server/apollo.js';
import { LIMITS, operationCost } from '../../src/server/limits.js';
import { DEFAULT_RATE_LIMIT } from '../../src/server/rate-limit.js';
import { startHttpServer } from '../../src/server/http.js';
import { addCaller } from '../../src/security/callers.js';
import { ALL_SCOPES } from '../../src/security/scopes.js';

const schema = mergedSchema(connectors);
const MAX_PAGE = 100;

/** A company's view with every nested connection at page size `k` (depth stays within LIMITS.maxDepth). */
const companyView = (k: number) => `name status municipality { name } industry { code title }
  contacts(first: ${k}) { totalCount edges { node { date system kind organisation } } }
  recruitment { vacancies(first: ${k}) { totalCount edges { node { title status } } } jobOrders(first: ${k}) { edges { node { title } } } }
  growth { account { segment } meetings(first: ${k}) { totalCount edges { node { date title } } } }
  situation { summary signals { kind severity message } }
  competenceMatch { needs { occupation { title } courses { course { number title } } } }`;

/** Whether the document is within the token limit (the parser's maxTokens, as the server parses). */
function withinTokens(query: string): boolean {
  try {
    parse(query, { maxTokens: LIMITS.maxTokens });
    return true;
  } catch {
    return false;
  }
}

const aliased = (n: number, k: number, cvrs: string[]) =>
  `{ ${cvrs
    .slice(0, n)
    .map((c, i) => `c${i}: company(cvr: "${c}") { ${companyView(k)} }`)
    .join('\n')} }`;

/** The shapes an expensive client would pick: one big page of companies, or as many aliased company views as the alias and token limits allow. */
const SHAPES: Record<string, (k: number, cvrs: string[]) => string> = {
  companiesPage: (k) => `{ companies(first: ${MAX_PAGE}) { edges { node { ${companyView(k)} } } } }`,
  aliasedViews: (k, cvrs) => {
    let n = Math.min(LIMITS.maxAliases, cvrs.length);
    while (n > 1 && !withinTokens(aliased(n, k, cvrs))) n--;
    return aliased(n, k, cvrs);
  },
};

/** The largest page size (1–100) at which the shape still costs no more than maxCost (and parses); undefined if even 1 is refused. */
function largestAccepted(shape: (k: number) => string): { k: number; query: string; cost: number } | undefined {
  let best: { k: number; query: string; cost: number } | undefined;
  let lo = 1;
  let hi = MAX_PAGE;
  while (lo <= hi) {
    const k = Math.floor((lo + hi) / 2);
    const query = shape(k);
    const cost = withinTokens(query) ? operationCost(schema, parse(query), null) : Infinity;
    if (cost <= LIMITS.maxCost) {
      best = { k, query, cost };
      lo = k + 1;
    } else hi = k - 1;
  }
  return best;
}

async function database(name: 'pglite' | 'postgres', adminUrl: string): Promise<DbHandle> {
  if (name === 'pglite') {
    const h = await openDatabase({});
    await migrateAll(h.db, allMigrations);
    return h;
  }
  const db = `indgang_bench_limits_${randomBytes(4).toString('hex')}`;
  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    await c.query(sql);
    await c.end();
  };
  await admin(`CREATE DATABASE ${db}`);
  const url = new URL(adminUrl);
  url.pathname = `/${db}`;
  const h = await openDatabase({ databaseUrl: url.toString(), poolSize: 10 });
  await migrateAll(h.db, allMigrations);
  return { ...h, close: async () => (await h.close(), await admin(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`)) };
}

async function worstAccepted(ctx: BenchContext, h: DbHandle, target: string, cvrs: string[], figures: Figures): Promise<void> {
  const apollo = createApollo(schema, { production: true, rateLimit: false });
  let worst = 0;
  for (const [name, shape] of Object.entries(SHAPES)) {
    const found = largestAccepted((k) => shape(k, cvrs));
    if (!found) continue;
    const times: number[] = [];
    let timedOut = 0;
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      const res = await apollo.executeOperation({ query: found.query }, { contextValue: createContext(h.db) });
      times.push(performance.now() - t0);
      const errors = res.body.kind === 'single' ? (res.body.singleResult.errors ?? []) : [];
      if (errors.some((e) => e.extensions?.code === 'TIMEOUT')) timedOut = 1;
      // Anything else than the deadline means the figure is not of an answered operation.
      const other = errors.find((e) => e.extensions?.code !== 'TIMEOUT');
      if (other) throw new Error(`${name} answered ${String(other.extensions?.code)}: ${other.message}`);
    }
    const ms = Math.max(...times);
    const aliases = (found.query.match(/\bc\d+: company/g) ?? []).length;
    ctx.log(
      `limits: ${target} ${name}${aliases ? ` (${aliases} aliases)` : ''} first=${found.k} cost ${found.cost}/${LIMITS.maxCost}: slowest of 3 ${ms.toFixed(0)} ms${timedOut ? ' (met the request deadline)' : ''}`,
    );
    figures[`limits.worstAcceptedQuery.${target}.${name}.ms`] = Math.round(ms);
    figures[`limits.worstAcceptedQuery.${target}.${name}.cost`] = found.cost;
    figures[`limits.worstAcceptedQuery.${target}.${name}.timedOut`] = timedOut;
    worst = Math.max(worst, ms);
  }
  figures[`limits.worstAcceptedQuery.${target}.ms`] = Math.round(worst);
}

/** A page of 20 company views of one of the demo's municipalities. */
const burstQuery = (municipality: string) =>
  `{ companies(first: 20, orderBy: CVR_ASC, filter: { municipality: "${municipality}" }) { edges { node { ${companyView(5)} } } } }`;

async function burst(ctx: BenchContext, h: DbHandle, figures: Figures): Promise<void> {
  const requests = Number(process.env.BENCH_BURST ?? 500);
  const key = await addCaller(h.db, {
    name: `bench-burst-${randomBytes(3).toString('hex')}`,
    scopes: ALL_SCOPES.filter((s) => s.startsWith('read:')).join(','),
    organisations: [],
  });
  const municipalities = (
    await h.db
      .selectFrom('registry.company')
      .select('municipality_code')
      .distinct()
      .where('municipality_code', 'is not', null)
      .limit(4)
      .execute()
  ).map((r) => r.municipality_code!);
  const server = await startHttpServer({
    schema,
    db: h.db,
    port: 0,
    production: true,
    sandbox: false,
    defaultRateLimit: DEFAULT_RATE_LIMIT,
  });
  try {
    const url = server.url.replace('localhost', '127.0.0.1');
    const send = async (i: number) => {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ query: burstQuery(municipalities[i % municipalities.length]!) }),
      });
      const body = (await res.json()) as { extensions?: { cost?: { requested?: number } } };
      return { status: res.status, retryAfter: res.headers.get('retry-after'), cost: body.extensions?.cost?.requested };
    };
    const t0 = performance.now();
    const answers = await Promise.all(Array.from({ length: requests }, (_, i) => send(i)));
    const ms = performance.now() - t0;
    const count = (s: number) => answers.filter((a) => a.status === s).length;
    const retry = answers.filter((a) => a.retryAfter !== null).map((a) => Number(a.retryAfter));
    figures['limits.burst.requests'] = requests;
    figures['limits.burst.status200'] = count(200);
    figures['limits.burst.status429'] = count(429);
    figures['limits.burst.otherStatus'] = requests - count(200) - count(429);
    figures['limits.burst.costPerRequest'] = answers.find((a) => a.cost !== undefined)?.cost ?? 0;
    figures['limits.burst.pointsPerMinute'] = DEFAULT_RATE_LIMIT;
    figures['limits.burst.retryAfterMinSeconds'] = retry.length ? Math.min(...retry) : 0;
    figures['limits.burst.retryAfterMaxSeconds'] = retry.length ? Math.max(...retry) : 0;
    figures['limits.burst.ms'] = Math.round(ms);
    ctx.log(
      `limits: burst of ${requests}: ${count(200)} answered, ${count(429)} refused with 429 (Retry-After ${figures['limits.burst.retryAfterMinSeconds']}–${figures['limits.burst.retryAfterMaxSeconds']} s) in ${ms.toFixed(0)} ms`,
    );
  } finally {
    await server.stop();
  }
}

export const suite: BenchSuite = {
  name: 'limits',
  async run(ctx) {
    const figures: Figures = {};
    const companies = Number(process.env.BENCH_LIMITS_COMPANIES ?? 2000);
    for (const target of ['pglite', 'postgres'] as const) {
      const h = await database(target, ctx.adminUrl);
      try {
        ctx.log(`limits: loading a ${companies}-company demo into ${target}`);
        await loadDemo(h.db, { companies });
        const cvrs = (await h.db.selectFrom('registry.company').select('cvr').orderBy('cvr').limit(100).execute()).map((r) => r.cvr);
        await worstAccepted(ctx, h, target, cvrs, figures);
        if (target === 'pglite') await burst(ctx, h, figures);
      } finally {
        await h.close();
      }
    }
    return figures;
  },
};
