/**
 * Writes under load: BENCH_WRITES (default 200) concurrent contactRecord calls, each for a different company,
 * on real Postgres (a throwaway database on ctx.adminUrl), in-process through Apollo as the HTTP server runs
 * them, with a pool of BENCH_POOL (10) connections. Figures: writes.contactRecord.postgres.{p50Ms,p99Ms,maxMs,wallMs,failed},
 * and lockWaitPct: of the database's connections seen busy in a transaction (pg_stat_activity, sampled while the
 * calls run), the share waiting for a lock — where writes queue on each other rather than on the machine; and
 * `.companies`, the size of the database written into (BENCH_WRITES_TEMPLATE names a loaded one to copy).
 */
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import pg from 'pg';
import { allMigrations, connectors, sourceByName } from '../../src/connectors.js';
import { openDatabase } from '../../src/db/database.js';
import { migrateAll } from '../../src/db/migrate.js';
import { createContext } from '../../src/graphql/context.js';
import { mergedSchema } from '../../src/graphql/schema.js';
import { runIngest } from '../../src/ingest/pipeline.js';
import { createApollo } from '../../src/server/apollo.js';
import type { BenchContext, BenchSuite, Figures } from '../context.js';

const RECORD = `mutation ($input: ContactRecordInput!) { contactRecord(input: $input) { contact { id } userErrors { field message } } }`;

/** The first `count` valid CVR numbers (modulus 11) from 30,000,000: all different, so no two calls wait for the same company. */
export function benchCvrs(count: number): string[] {
  const out: string[] = [];
  const w = [2, 7, 6, 5, 4, 3, 2, 1];
  for (let n = 30_000_000; out.length < count; n++) {
    if (
      String(n)
        .split('')
        .reduce((s, x, k) => s + Number(x) * w[k]!, 0) %
        11 ===
      0
    )
      out.push(String(n));
  }
  return out;
}

async function admin(url: string, text: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(text);
  } finally {
    await c.end();
  }
}

/** Samples pg_stat_activity of one database until stopped: busy connections, and those waiting for a lock. */
function sampleWaits(adminUrl: string, database: string) {
  const c = new pg.Client({ connectionString: adminUrl });
  let busy = 0;
  let locked = 0;
  let running = true;
  const done = (async () => {
    await c.connect();
    while (running) {
      const r = await c.query<{ busy: number; locked: number }>(
        `SELECT count(*)::int AS busy, count(*) FILTER (WHERE wait_event_type = 'Lock')::int AS locked
         FROM pg_stat_activity WHERE datname = $1 AND state <> 'idle' AND pid <> pg_backend_pid()`,
        [database],
      );
      busy += r.rows[0]!.busy;
      locked += r.rows[0]!.locked;
      await new Promise((res) => setTimeout(res, 50));
    }
    await c.end();
  })();
  return async () => {
    running = false;
    await done;
    return busy ? Math.round((100 * locked) / busy) : 0;
  };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

export async function benchWrites(
  ctx: Pick<BenchContext, 'adminUrl' | 'log'>,
  writes = Number(process.env.BENCH_WRITES ?? 200),
): Promise<Figures> {
  // Its own database name, so two runs on one server (other sessions' benchmarks) do not drop each other's.
  const name = `indgang_bench_writes_${process.pid}`;
  // BENCH_WRITES_TEMPLATE: a loaded database on the same server (e.g. the serve suite's demo) to copy and write
  // into, so the derivation runs at that scale; without it, a database of just the written companies.
  const template = process.env.BENCH_WRITES_TEMPLATE;
  await admin(ctx.adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin(ctx.adminUrl, `CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`);
  const url = new URL(ctx.adminUrl);
  url.pathname = `/${name}`;
  const h = await openDatabase({ databaseUrl: url.toString(), poolSize: Number(process.env.BENCH_POOL ?? 10) });
  try {
    let cvrs: string[];
    if (template) {
      // Companies with open vacancies first: their derivation has the most to do (needs, signals).
      const r = await sql<{ cvr: string }>`
        SELECT c.cvr FROM registry.company c
        ORDER BY EXISTS (SELECT 1 FROM jobcentre.vacancy v WHERE v.cvr = c.cvr) DESC, c.cvr LIMIT ${writes + 1}`.execute(h.db);
      cvrs = r.rows.map((x) => x.cvr);
    } else {
      await migrateAll(h.db, allMigrations);
      cvrs = benchCvrs(writes + 1);
      const lines = cvrs.map((c, i) =>
        JSON.stringify({
          Vrvirksomhed: {
            cvrNummer: Number(c),
            virksomhedMetadata: {
              nyesteNavn: { navn: `Bench ${i} ApS` },
              nyesteBeliggenhedsadresse: {
                kommune: { kommuneKode: 657, kommuneNavn: 'HERNING' },
                postnummer: 7400,
                postdistrikt: 'Herning',
              },
            },
          },
        }),
      );
      await runIngest(h.db, sourceByName('cvr')!, { file: 'bench.ndjson', stream: Readable.from([Buffer.from(lines.join('\n'))]) });
    }
    const companies = Number((await sql<{ n: number }>`SELECT count(*)::int AS n FROM registry.company`.execute(h.db)).rows[0]!.n);
    ctx.log(`writes: ${writes} concurrent contactRecord calls on a database of ${companies.toLocaleString('en')} companies`);
    const apollo = createApollo(mergedSchema(connectors), { production: true, rateLimit: false });
    const one = async (cvr: string) => {
      const t = performance.now();
      const res = await apollo.executeOperation(
        {
          query: RECORD,
          variables: {
            input: {
              idempotencyKey: randomUUID(),
              cvr,
              system: 'JOBCENTRE',
              organisation: 'Jobcenter Herning',
              channel: 'VISIT',
              date: '2026-03-02',
              topics: ['rekruttering'],
            },
          },
        },
        { contextValue: createContext(h.db) },
      );
      const ms = performance.now() - t;
      const single = res.body.kind === 'single' ? res.body.singleResult : null;
      const ok = !!single && !single.errors && (single.data as any)?.contactRecord?.userErrors?.length === 0;
      const why = ok
        ? null
        : JSON.stringify(single?.errors?.[0]?.message ?? (single?.data as any)?.contactRecord?.userErrors ?? res.body.kind).slice(0, 200);
      return { ms, ok, why };
    };
    await one(cvrs[writes]!); // warm up, on a company of its own
    const stopSampling = sampleWaits(ctx.adminUrl, name);
    const t0 = performance.now();
    const results = await Promise.all(cvrs.slice(0, writes).map((c) => one(c)));
    const wallMs = performance.now() - t0;
    const lockWaitPct = await stopSampling();
    const reasons = new Map<string, number>();
    for (const r of results) if (r.why) reasons.set(r.why, (reasons.get(r.why) ?? 0) + 1);
    for (const [why, n] of reasons) ctx.log(`${n} contactRecord calls failed: ${why}`);
    const times = results.map((r) => r.ms).sort((a, b) => a - b);
    const key = 'writes.contactRecord.postgres';
    return {
      [`${key}.p50Ms`]: Math.round(percentile(times, 50)),
      [`${key}.p99Ms`]: Math.round(percentile(times, 99)),
      [`${key}.maxMs`]: Math.round(times.at(-1)!),
      [`${key}.wallMs`]: Math.round(wallMs),
      [`${key}.failed`]: results.filter((r) => !r.ok).length,
      [`${key}.lockWaitPct`]: lockWaitPct,
      [`${key}.companies`]: companies,
    };
  } finally {
    await h.close();
    await admin(ctx.adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}

export const suite: BenchSuite = {
  name: 'writes',
  run: (ctx) => benchWrites(ctx),
};
