/**
 * npm run bench:insights — the derived cross-source layer at scale, on real Postgres (BENCH_DATABASE_URL,
 * default the local server; a database indgang_bench_insights is created and dropped) and, with
 * BENCH_PGLITE=1, on the embedded database too:
 *   loading the demo sources for BENCH_COMPANIES companies (default 100,000) through the ingest adapters,
 *     each run deriving the companies it touched in its own transaction (rows/s per source);
 *   `insights rebuild` of every company; `insights refresh` when nothing is stale;
 *   contactRecord (a write plus the derivation of its company), sequentially;
 *   the reads in-process: the cross-source search, one company's full view, contactOverlaps.
 * BENCH_ITERATIONS sets how many times each read runs (default 200).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { rebuildInsights, refreshInsights } from '../connectors/insights/derive/index.js';
import { connectors, allMigrations, sourceByName } from '../src/connectors.js';
import { openDatabase, type DbHandle } from '../src/db/database.js';
import { migrateAll } from '../src/db/migrate.js';
import { generateDemo } from '../src/demo/generate.js';
import { createContext } from '../src/graphql/context.js';
import { mergedSchema } from '../src/graphql/schema.js';
import { runIngest } from '../src/ingest/pipeline.js';
import { createApollo } from '../src/server/apollo.js';
import { today } from '../src/today.js';

const companies = Number(process.env.BENCH_COMPANIES ?? 100_000);
const iterations = Number(process.env.BENCH_ITERATIONS ?? 200);
const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'indgang-bench-insights-'));
const apollo = createApollo(mergedSchema(connectors), { production: true });

async function admin(text: string) {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  await c.query(text);
  await c.end();
}

async function execute(db: DbHandle['db'], query: string, variables?: Record<string, unknown>) {
  const res = await apollo.executeOperation({ query, variables }, { contextValue: createContext(db) });
  const body = res.body.kind === 'single' ? res.body.singleResult : undefined;
  if (body?.errors) throw new Error(JSON.stringify(body.errors));
  return body!.data as any;
}

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function timed(label: string, n: number, run: (i: number) => Promise<unknown>) {
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await run(i);
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  const mean = ms.reduce((s, x) => s + x, 0) / ms.length;
  console.log(
    `  ${label.padEnd(58)} mean ${mean.toFixed(1).padStart(6)} ms   p50 ${percentile(ms, 50).toFixed(1).padStart(6)} ms   p99 ${percentile(ms, 99).toFixed(1).padStart(6)} ms`,
  );
}

async function bench(name: string, handle: DbHandle) {
  const db = handle.db;
  console.log(`\n${name}: ${companies.toLocaleString('en')} demo companies`);
  await migrateAll(db, allMigrations);
  const outDir = path.join(tmp, name);
  const { files } = generateDemo({ companies, outDir });
  let total = 0;
  for (const f of files) {
    const s = await runIngest(db, sourceByName(f.source)!, { file: f.file });
    if (s.status !== 'succeeded') throw new Error(`${f.source}: ${s.error}`);
    total += s.seconds;
    console.log(
      `  load ${f.source.padEnd(15)} ${String(s.read).padStart(9)} records ${(s.read / s.seconds).toFixed(0).padStart(8)} rows/s  ${s.seconds.toFixed(1).padStart(6)} s  (${s.touched.length.toLocaleString('en')} companies named by the run)`,
    );
  }
  const counts = (
    await sql<{ events: number; signals: number; needs: number }>`
    SELECT (SELECT count(*) FROM insights.contact_event)::int AS events, (SELECT count(*) FROM insights.signal)::int AS signals,
      (SELECT count(*) FROM insights.competence_need)::int AS needs`.execute(db)
  ).rows[0]!;
  console.log(
    `  all sources loaded in ${total.toFixed(1)} s: ${counts.events.toLocaleString('en')} timeline entries, ${counts.signals.toLocaleString('en')} signals, ${counts.needs.toLocaleString('en')} competence needs`,
  );

  const rebuilt = await rebuildInsights(db);
  console.log(
    `  insights rebuild of ${rebuilt.companies.toLocaleString('en')} companies: ${rebuilt.seconds.toFixed(1)} s (${(rebuilt.companies / rebuilt.seconds).toFixed(0)} companies/s)`,
  );
  const refreshed = await refreshInsights(db);
  console.log(`  insights refresh with nothing stale: ${(refreshed!.seconds * 1000).toFixed(0)} ms`);

  const sample = (
    await sql<{ cvr: string }>`SELECT cvr FROM insights.company_profile WHERE open_vacancies > 0 ORDER BY cvr LIMIT 1000`.execute(db)
  ).rows.map((r) => r.cvr);
  const day = today();
  await timed('contactRecord (write + derive its company)', iterations, (i) =>
    execute(db, `mutation ($input: ContactRecordInput!) { contactRecord(input: $input) { contact { id } userErrors { field } } }`, {
      input: {
        idempotencyKey: `bench-${name}-${i}`,
        cvr: sample[i % sample.length],
        system: 'JOBCENTRE',
        organisation: 'Jobcenter Herning',
        channel: 'VISIT',
        date: day,
        topics: ['rekruttering'],
      },
    }),
  );
  const municipalities = ['657', '751', '615', '730'];
  await timed('companies(signals, noCourseActivity, OPEN_VACANCIES_DESC, 20)', iterations, (i) =>
    execute(
      db,
      `{ companies(filter: { municipality: "${municipalities[i % 4]}", signals: [HARD_TO_FILL_VACANCY], noCourseActivityMonths: 12 }, orderBy: OPEN_VACANCIES_DESC, first: 20) { totalCount edges { node { cvr name situation { recruitment { openVacancies hardToFillVacancies } } } } } }`,
    ),
  );
  await timed('companies(municipality, LAST_CONTACT_ASC, 50) + situation', iterations, (i) =>
    execute(
      db,
      `{ companies(filter: { municipality: "${municipalities[i % 4]}" }, orderBy: LAST_CONTACT_ASC, first: 50) { edges { node { cvr name situation { summary signals { kind } } } } } }`,
    ),
  );
  await timed("one company's full view (the issue's query)", iterations, (i) =>
    execute(
      db,
      `{ company(cvr: "${sample[i % sample.length]}") {
      contacts(first: 20, systems: [JOBCENTRE, ERHVERVSHUS, VEU]) { edges { node { date system organisation channel topics summary } } }
      coordination { lastContact { date system } activeActors followUpsDue { date system } }
      situation { summary recruitment { openVacancies hardToFillVacancies } upskilling { participantsLast12Months } growth { activeProgrammes }
        signals { kind severity message evidence { __typename } } }
      competenceMatch { needs { occupation { title } openPositions balance unemployedInArea
        courses(first: 3) { course { number title } nextInstance { startsOn place { city } seatsLeft } } jobRotationPossible } } } }`,
    ),
  );
  await timed('contactOverlaps(days: 30, first: 20)', Math.min(iterations, 50), () =>
    execute(db, `{ contactOverlaps(days: 30, first: 20) { edges { node { company { name } systems contacts { date system } } } } }`),
  );
}

async function main() {
  console.log(
    `indgang insights benchmark on ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`,
  );
  const db = 'indgang_bench_insights';
  await admin(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
  await admin(`CREATE DATABASE ${db}`);
  const url = new URL(adminUrl);
  url.pathname = `/${db}`;
  const postgres = await openDatabase({ databaseUrl: url.toString() });
  try {
    await bench('postgres', postgres);
  } finally {
    await postgres.close();
    await admin(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
  }
  if (process.env.BENCH_PGLITE === '1') {
    const pglite = await openDatabase({ dataDir: path.join(tmp, 'pglite-data') });
    try {
      await bench('pglite', pglite);
    } finally {
      await pglite.close();
    }
  }
  fs.rmSync(tmp, { recursive: true, force: true });
}

await main();
