/**
 * npm run bench:writes — 200 concurrent distinct contactRecord calls (BENCH_WRITES, default 200) on real
 * Postgres (BENCH_DATABASE_URL, default the local server; a database indgang_bench_writes is created and
 * dropped), in-process through Apollo as the HTTP server runs them, with a pool of BENCH_POOL (10)
 * connections. Prints p50, p99 and the slowest call, and how many failed.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { connectors, allMigrations, sourceByName } from '../src/connectors.js';
import { openDatabase } from '../src/db/database.js';
import { migrateAll } from '../src/db/migrate.js';
import { createContext } from '../src/graphql/context.js';
import { mergedSchema } from '../src/graphql/schema.js';
import { runIngest } from '../src/ingest/pipeline.js';
import { createApollo } from '../src/server/apollo.js';
import { Readable } from 'node:stream';

const writes = Number(process.env.BENCH_WRITES ?? 200);
const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const name = 'indgang_bench_writes';

async function admin(text: string) {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  await c.query(text);
  await c.end();
}

const cvr = (i: number) => {
  // a valid CVR number (modulus 11) for company i
  for (let n = 30000000 + i * 7; ; n++) {
    const d = String(n).split('').map(Number);
    const w = [2, 7, 6, 5, 4, 3, 2, 1];
    if (d.reduce((s, x, k) => s + x * w[k]!, 0) % 11 === 0) return String(n);
  }
};

await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
await admin(`CREATE DATABASE ${name}`);
const url = new URL(adminUrl);
url.pathname = `/${name}`;
const h = await openDatabase({ databaseUrl: url.toString(), poolSize: Number(process.env.BENCH_POOL ?? 10) });
try {
  await migrateAll(h.db, allMigrations);
  const cvrs = Array.from({ length: writes }, (_, i) => cvr(i));
  const lines = cvrs.map((c, i) => JSON.stringify({ Vrvirksomhed: { cvrNummer: Number(c), virksomhedMetadata: { nyesteNavn: { navn: `Bench ${i} ApS` }, nyesteBeliggenhedsadresse: { kommune: { kommuneKode: 657, kommuneNavn: 'HERNING' }, postnummer: 7400, postdistrikt: 'Herning' } } } }));
  await runIngest(h.db, sourceByName('cvr')!, { file: 'bench.ndjson', stream: Readable.from([Buffer.from(lines.join('\n'))]) });
  const apollo = createApollo(mergedSchema(connectors), { production: true, rateLimit: false });
  const RECORD = `mutation ($input: ContactRecordInput!) { contactRecord(input: $input) { contact { id } userErrors { field message } } }`;
  const one = async (c: string) => {
    const t = performance.now();
    const res = await apollo.executeOperation(
      { query: RECORD, variables: { input: { idempotencyKey: randomUUID(), cvr: c, system: 'JOBCENTRE', organisation: 'Jobcenter Herning', channel: 'VISIT', date: '2026-03-02', topics: ['rekruttering'] } } },
      { contextValue: createContext(h.db) },
    );
    const ms = performance.now() - t;
    const ok = res.body.kind === 'single' && !res.body.singleResult.errors && (res.body.singleResult.data as any)?.contactRecord?.userErrors?.length === 0;
    if (!ok && res.body.kind === 'single') console.error(JSON.stringify(res.body.singleResult.errors ?? (res.body.singleResult.data as any)?.contactRecord?.userErrors).slice(0, 300));
    return { ms, ok };
  };
  await one(cvrs[0]!); // warm up
  const t0 = performance.now();
  const results = await Promise.all(cvrs.map((c) => one(c)));
  const wall = performance.now() - t0;
  const times = results.map((r) => r.ms).sort((a, b) => a - b);
  const pct = (p: number) => times[Math.min(times.length - 1, Math.ceil((p / 100) * times.length) - 1)]!;
  console.log(`${writes} concurrent contactRecord calls on Postgres: p50 ${pct(50).toFixed(0)} ms, p99 ${pct(99).toFixed(0)} ms, slowest ${times.at(-1)!.toFixed(0)} ms, all done in ${wall.toFixed(0)} ms, failed ${results.filter((r) => !r.ok).length}`);
} finally {
  await h.close();
  await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}
