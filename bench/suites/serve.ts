/**
 * The serve suite (issue 14, goals 3, 4, 6 and 7), on real Postgres, at the first of BENCH_SIZES demo companies:
 *   serve.companyView.p50Ms / .p99Ms   the README's full company view over HTTP, production mode, one request at a time;
 *   serve.companyView.statements       SQL statements that view sends (counted in process, same resolvers);
 *   serve.floor.p50Ms                  p50 of `{ __typename }` on the same server: what HTTP, auth and Apollo cost
 *                                      on this machine at this moment, to read the view's figures against;
 *   serve.companies50.reqPerSecond     companies(first: 50) of one municipality with open vacancies and their
 *                                      vacancies(first: 10), autocannon with 10 connections;
 *   serve.companies50.peerRatio        that rate over PostGraphile v5's on the same database and query shape,
 *                                      both checked to answer the same data, timed interleaved;
 *   serve.maxRssMb                     peak RSS of the server process after all of it;
 *   serve.gateway.companyViewRatio     the company view's p50 through `indgang gateway` over one subgraph
 *                                      process per connector, over the single process's p50.
 * The database is loaded with `indgang demo load` (about 2 minutes per 100,000 companies here); set
 * BENCH_SERVE_DATABASE_URL to an already loaded database to skip loading (it is then kept).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import pg from 'pg';
import type { BenchContext, BenchSuite, Figures } from '../context.js';
import {
  benchKey,
  createPeerViews,
  dropPeerViews,
  peakRssMb,
  post,
  sequentialLatency,
  startIndgang,
  startPeer,
  throughput,
  type Served,
} from '../serve-lib.js';

const run = promisify(execFile);

/** The README's "one view of the company" operation, with the CVR as a variable. */
export const COMPANY_VIEW = `query CompanyView($cvr: CVR!) { company(cvr: $cvr) {
    contacts(first: 20, systems: [JOBCENTRE, ERHVERVSHUS, VEU], from: "2026-01-01") { totalCount edges { node {
      date system kind organisation consultant channel topics summary followUpOn
      record { __typename ... on Meeting { title } ... on JobOrder { orderId } } source { name syncedAt } } } }
    coordination { lastContact { date system } lastContactBySystem { date system } activeActors followUpsDue { date system overdue } }
    situation { summary
      recruitment { openVacancies hardToFillVacancies }
      upskilling { participantsLast12Months }
      growth { activeProgrammes competencePlanMissing }
      signals { kind severity message since evidence { __typename ... on Vacancy { title } ... on Course { number title } } }
      changedAt sources { name syncedAt } }
    competenceMatch { area { name } needs { occupation { title } openPositions balance unemployedInArea
      courses(first: 3) { course { number title } nextInstance { startsOn place { city } seatsLeft } proximity }
      jobRotationPossible } }
    changeSequence } }`;

/** Municipalities of the demo region the list query cycles through. */
const MUNICIPALITIES = ['657', '751', '615', '730'];

const indgangList = (
  m: string,
) => `{ companies(first: 50, orderBy: NAME_ASC, filter: { municipality: "${m}", minOpenVacancies: 1 }) { edges { node { cvr name
  recruitment { vacancies(first: 10) { edges { node { title positions postedAt applyBy } } } } } } } }`;

// The same shape for PostGraphile: its conditions are equalities, so "at least one open vacancy" is a boolean of its
// view (bench/serve-lib.ts); ordered the same (by the profile's name, then CVR, which the profile's municipality index
// serves; vacancies newest first, then id).
const peerList = (
  m: string,
) => `{ allCompanies(first: 50, orderBy: [SORT_NAME_ASC, PRIMARY_KEY_ASC], condition: { municipalityCode: "${m}", hasOpenVacancies: true }) { edges { node { cvr name
  vacancies(first: 10, orderBy: [POSTED_AT_DESC, PRIMARY_KEY_ASC]) { edges { node { title positions postedAt applyBy } } } } } } }`;

async function admin(url: string, text: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(text)).rows;
  } finally {
    await c.end();
  }
}

async function loadedDatabase(ctx: BenchContext, size: number): Promise<{ url: string; drop: () => Promise<void> }> {
  if (process.env.BENCH_SERVE_DATABASE_URL) return { url: process.env.BENCH_SERVE_DATABASE_URL, drop: async () => {} };
  const name = `indgang_bench_serve_${size}`;
  await admin(ctx.adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin(ctx.adminUrl, `CREATE DATABASE ${name}`);
  const url = new URL(ctx.adminUrl);
  url.pathname = `/${name}`;
  const t = performance.now();
  ctx.log(`serve: loading ${size.toLocaleString('en')} demo companies into ${name}`);
  await run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'demo', 'load', '--companies', String(size)], {
    env: { ...process.env, DATABASE_URL: url.toString(), LOG_LEVEL: 'warn' },
    maxBuffer: 1 << 24,
  });
  ctx.log(`serve: loaded in ${((performance.now() - t) / 1000).toFixed(0)} s`);
  return { url: url.toString(), drop: () => admin(ctx.adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).then(() => {}) };
}

/** Statements the company view sends, counted in process through the same schema and loaders. */
async function statementsOf(url: string, cvr: string): Promise<number> {
  const { openDatabase } = await import('../../src/db/database.js');
  const { connectors } = await import('../../src/connectors.js');
  const { mergedSchema } = await import('../../src/graphql/schema.js');
  const { createContext } = await import('../../src/graphql/context.js');
  const { createApollo } = await import('../../src/server/apollo.js');
  const handle = await openDatabase({ databaseUrl: url, poolSize: 2 });
  try {
    const apollo = createApollo(mergedSchema(connectors), { production: true });
    const ctx = createContext(handle.db);
    const res = await apollo.executeOperation({ query: COMPANY_VIEW, variables: { cvr } }, { contextValue: ctx });
    if (res.body.kind !== 'single' || res.body.singleResult.errors) throw new Error(JSON.stringify(res.body));
    return ctx.statements.count;
  } finally {
    await handle.close();
  }
}

/** Companies with most to show: contacts, needs and signals, so the view's every section has rows. */
async function viewCvrs(url: string): Promise<string[]> {
  const rows = await admin(
    url,
    `SELECT p.cvr FROM insights.company_profile p
     WHERE p.open_vacancies > 0 AND p.last_contact_on IS NOT NULL AND cardinality(p.signals) > 0
       AND EXISTS (SELECT 1 FROM insights.competence_need n WHERE n.cvr = p.cvr)
     ORDER BY p.cvr LIMIT 200`,
  );
  if (rows.length === 0) throw new Error('no demo company has contacts, needs and signals');
  return rows.map((r) => r.cvr);
}

/** Both servers' answers as the same plain rows: [cvr, name, [vacancy title, positions, postedAt, applyBy]…]. */
function rowsOfIndgang(data: any) {
  return data.companies.edges.map((e: any) => [
    e.node.cvr,
    e.node.name,
    e.node.recruitment.vacancies.edges.map((v: any) => [v.node.title, v.node.positions, v.node.postedAt, v.node.applyBy]),
  ]);
}
function rowsOfPeer(data: any) {
  return data.allCompanies.edges.map((e: any) => [
    e.node.cvr,
    e.node.name,
    e.node.vacancies.edges.map((v: any) => [v.node.title, v.node.positions, v.node.postedAt, v.node.applyBy]),
  ]);
}

async function companyView(served: Served, key: string, cvrs: string[], n: number) {
  // Warm up: the first requests compile plans and fill connection pools.
  for (let i = 0; i < 20; i++) await post(served.port, key, COMPANY_VIEW, { cvr: cvrs[i % cvrs.length] });
  return sequentialLatency(n, (i) => post(served.port, key, COMPANY_VIEW, { cvr: cvrs[i % cvrs.length] }));
}

export const suite: BenchSuite = {
  name: 'serve',
  async run(ctx): Promise<Figures> {
    const size = ctx.sizes[0]!;
    const figures: Figures = {};
    const { url, drop } = await loadedDatabase(ctx, size);
    // No rate limit for the load, and a deadline long enough that a busy machine slows requests rather than failing them.
    const env = { DATABASE_URL: url, INDGANG_RATE_LIMIT: String(1e9), INDGANG_REQUEST_TIMEOUT_MS: '60000' };
    const key = await benchKey(env, `bench-serve-${process.pid}-${Date.now()}`);
    const cvrs = await viewCvrs(url);
    const views = Math.max(200, ctx.seconds * 40);
    try {
      figures['serve.companyView.statements'] = await statementsOf(url, cvrs[0]!);

      const single = await startIndgang(env, ['serve'], 'indgang serve');
      try {
        // The floor this machine sets right now: the same server answering `{ __typename }` (no resolver, no SQL).
        const floor = await sequentialLatency(views, () => post(single.port, key, '{ __typename }'));
        figures['serve.floor.p50Ms'] = floor.p50;
        const view = await companyView(single, key, cvrs, views);
        figures['serve.companyView.p50Ms'] = view.p50;
        figures['serve.companyView.p99Ms'] = view.p99;
        ctx.log(`serve: company view p50 ${view.p50.toFixed(1)} ms, p99 ${view.p99.toFixed(1)} ms (${views} requests, one at a time)`);

        await createPeerViews(url);
        const peer = await startPeer(url);
        try {
          for (const m of MUNICIPALITIES) {
            const mine = rowsOfIndgang(await post(single.port, key, indgangList(m)));
            const theirs = rowsOfPeer(await post(peer.port, null, peerList(m)));
            if (JSON.stringify(mine) !== JSON.stringify(theirs))
              throw new Error(`indgang and PostGraphile answer companies of ${m} differently`);
            if (mine.length === 0) throw new Error(`no company in ${m} has open vacancies: the comparison would be empty`);
          }
          // Interleaved: three rounds each, so a busy moment of the machine hits both alike.
          const rounds = 3;
          const slice = Math.max(2, Math.round(ctx.seconds / rounds));
          let ours = 0;
          let theirs = 0;
          for (let r = 0; r < rounds; r++) {
            ours += (await throughput(single.port, key, slice, (i) => JSON.stringify({ query: indgangList(MUNICIPALITIES[i % 4]!) })))
              .reqPerSecond;
            theirs += (await throughput(peer.port, null, slice, (i) => JSON.stringify({ query: peerList(MUNICIPALITIES[i % 4]!) })))
              .reqPerSecond;
          }
          figures['serve.companies50.reqPerSecond'] = ours / rounds;
          figures['serve.companies50.peerReqPerSecond'] = theirs / rounds;
          figures['serve.companies50.peerRatio'] = ours / theirs;
          ctx.log(`serve: companies(first: 50) ${(ours / rounds).toFixed(0)} req/s, PostGraphile ${(theirs / rounds).toFixed(0)} req/s`);
        } finally {
          await peer.stop();
          await dropPeerViews(url);
        }
        // The company view under load too, so the peak RSS covers both kinds of request.
        await throughput(single.port, key, ctx.seconds, (i) =>
          JSON.stringify({ query: COMPANY_VIEW, variables: { cvr: cvrs[i % cvrs.length] } }),
        );
        figures['serve.maxRssMb'] = peakRssMb(single.pid);

        figures['serve.gateway.companyViewRatio'] = (await gatewayView(env, key, cvrs, views)).p50 / view.p50;
      } finally {
        await single.stop();
      }
    } finally {
      await drop();
    }
    return figures;
  },
};

/** The company view through `indgang gateway` over one `serve --subgraph` process per connector. */
async function gatewayView(env: NodeJS.ProcessEnv, key: string, cvrs: string[], n: number) {
  const { connectors } = await import('../../src/connectors.js');
  const secret = `bench-gateway-secret-${'x'.repeat(32)}`;
  const withSecret = { ...env, INDGANG_GATEWAY_SECRET: secret };
  const subgraphs: { name: string; served: Served }[] = [];
  try {
    for (const c of connectors)
      subgraphs.push({ name: c.name, served: await startIndgang(withSecret, ['serve', '--subgraph', c.name], `subgraph ${c.name}`) });
    const args = ['gateway', ...subgraphs.flatMap((s) => ['--subgraph', `${s.name}=http://127.0.0.1:${s.served.port}/graphql`])];
    const gateway = await startIndgang(withSecret, args, 'indgang gateway');
    try {
      return await companyView(gateway, key, cvrs, n);
    } finally {
      await gateway.stop();
    }
  } finally {
    await Promise.all(subgraphs.map((s) => s.served.stop()));
  }
}
