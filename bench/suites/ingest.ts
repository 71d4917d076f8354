/**
 * Ingest: generated CVR records loaded by `runIngest` in a child process (its peak RSS alone), on PGlite and
 * Postgres; a re-run of the same file (idempotence: nothing changes); a raw COPY of the same rows into the
 * same, empty, migrated table with the same indexes, so the ingest's cost is shown as a ratio to Postgres's
 * own loading; and CRM meetings matched to those companies by name and municipality.
 * Figures of the largest size are named plainly (`ingest.cvr.postgres.rowsPerSecond`); smaller sizes carry
 * it in the subject (`ingest.cvr100000.postgres.rowsPerSecond`).
 */
import fs from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import type { BenchContext, BenchSuite, Figures } from '../context.js';
import { writeCvrBenchFile } from '../cvr-file.js';
import { ingestInChild, postgresTarget, pgliteTarget, run, tsx, type Target } from '../lib.js';
import { allMunicipalities } from '../../src/codes/lists.js';

/** Which databases to measure (BENCH_DATABASES=postgres,pglite; default both). */
const DATABASES = (process.env.BENCH_DATABASES ?? 'pglite,postgres').split(',').map((s) => s.trim());

/** CRM meetings per run of the name-matching figure: all of a small register, capped for a large one. */
const CRM_ROWS = Number(process.env.BENCH_CRM_ROWS ?? 100_000);

/** Meetings naming companies of the generated register by name and municipality only (no CVR). */
async function writeCrmMeetingsFile(file: string, companies: number, rows: number): Promise<void> {
  const out = fs.createWriteStream(file);
  const municipalities = allMunicipalities();
  out.write('Mødedato_Møder;Oprettet_af_Møder;Firmanavn_Virksomheder;CVR_Virksomheder;Emner_Møder;Titel_Møder;Kommune_Virksomheder\n');
  for (let i = 0; i < rows; i++) {
    // Spread over the register; cvr-file.ts names company n "Benchmark Virksomhed n ApS" in municipality n mod 98.
    const n = Math.floor((i * companies) / rows);
    const m = municipalities[n % municipalities.length]!;
    const line = `15-03-2026;Rådgiver ${i % 40};benchmark virksomhed ${n};;Vækst;Møde ${i};${m.name}\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

async function copyInChild(env: NodeJS.ProcessEnv, rowsFile: string): Promise<{ seconds: number; rows: number }> {
  const { stdout } = await run(process.execPath, [...tsx, 'bench/copy-child.ts', rowsFile], {
    env: { ...process.env, ...env },
    maxBuffer: 1 << 20,
  });
  return JSON.parse(stdout.trim().split('\n').at(-1)!);
}

async function measure(ctx: BenchContext, size: number, subject: string, figures: Figures): Promise<void> {
  const file = path.join(ctx.tmp, `cvr-${size}.ndjson`);
  const rowsFile = path.join(ctx.tmp, `cvr-${size}.copy`);
  const crmFile = path.join(ctx.tmp, `crm-${size}.csv`);
  await writeCvrBenchFile(file, size);
  // The same companies as COPY text rows, made once (not timed) for the raw COPY comparison.
  await run(process.execPath, [...tsx, 'bench/copy-child.ts', '--write', file, rowsFile], { maxBuffer: 1 << 20 });
  const crmRows = Math.min(size, CRM_ROWS);
  const crmSubject = subject === 'cvr' ? 'crmMatch' : `crmMatch${size}`;
  await writeCrmMeetingsFile(crmFile, size, crmRows);
  ctx.log(`${size.toLocaleString('en')} CVR records (${(fs.statSync(file).size / 2 ** 20).toFixed(0)} MB NDJSON)`);
  const targets = (
    [
      [pgliteTarget(ctx.tmp, `ingest-${size}`), pgliteTarget(ctx.tmp, `copy-${size}`)],
      [postgresTarget(ctx.adminUrl, `ingest_${size}`), postgresTarget(ctx.adminUrl, `copy_${size}`)],
    ] as [Target, Target][]
  ).filter(([t]) => DATABASES.includes(t.name));
  for (const [target, copyTarget] of targets) {
    const db = target.name;
    try {
      const env = await target.env();
      const first = await ingestInChild(env, 'cvr', file);
      ctx.log(
        `  ${db} ingest: ${(first.read / first.seconds).toFixed(0)} rows/s (${first.seconds.toFixed(1)} s, of which deriving insights ${first.deriveSeconds.toFixed(1)} s; peak RSS ${first.maxRssMb.toFixed(0)} MB)`,
      );
      const again = await ingestInChild(env, 'cvr', file);
      ctx.log(
        `  ${db} re-run: ${(again.read / again.seconds).toFixed(0)} rows/s, inserted=${again.inserted} updated=${again.updated} unchanged=${again.unchanged}`,
      );
      if (again.inserted || again.updated)
        throw new Error(`re-running the same CVR file changed ${again.inserted} inserted, ${again.updated} updated rows`);
      const crm = await ingestInChild(env, 'crm-meetings', crmFile);
      // The rows read, matched and stored, before the derivation starts.
      const crmLoadRate = crm.read / (crm.seconds - crm.deriveSeconds);
      ctx.log(
        `  ${db} CRM meetings matched by name: ${(crm.read / crm.seconds).toFixed(0)} rows/s (${crm.read} rows, ${crm.seconds.toFixed(1)} s); ` +
          `read, matched and stored at ${crmLoadRate.toFixed(0)} rows/s, then ${crm.deriveSeconds.toFixed(1)} s deriving insights`,
      );
      await target.cleanup();
      const copyEnv = await copyTarget.env();
      const copy = await copyInChild(copyEnv, rowsFile);
      await copyTarget.cleanup();
      ctx.log(
        `  ${db} raw COPY of the same rows into the same indexed table: ${(copy.rows / copy.seconds).toFixed(0)} rows/s (${copy.seconds.toFixed(1)} s)`,
      );
      Object.assign(figures, {
        [`ingest.${subject}.${db}.rowsPerSecond`]: first.read / first.seconds,
        [`ingest.${subject}.${db}.seconds`]: first.seconds,
        [`ingest.${subject}.${db}.deriveSeconds`]: first.deriveSeconds,
        [`ingest.${subject}.${db}.maxRssMb`]: first.maxRssMb,
        [`ingest.${subject}.${db}.rerunRowsPerSecond`]: again.read / again.seconds,
        [`ingest.${subject}.${db}.copyRowsPerSecond`]: copy.rows / copy.seconds,
        [`ingest.${subject}.${db}.copyRatio`]: first.seconds / copy.seconds,
        [`ingest.${crmSubject}.${db}.rowsPerSecond`]: crm.read / crm.seconds,
        [`ingest.${crmSubject}.${db}.loadRowsPerSecond`]: crmLoadRate,
        [`ingest.${crmSubject}.${db}.deriveSeconds`]: crm.deriveSeconds,
      });
    } finally {
      await target.cleanup().catch(() => {});
      await copyTarget.cleanup().catch(() => {});
    }
  }
  for (const f of [file, rowsFile, crmFile]) fs.rmSync(f, { force: true });
}

export const suite: BenchSuite = {
  name: 'ingest',
  async run(ctx) {
    const figures: Figures = {};
    const largest = Math.max(...ctx.sizes);
    for (const size of ctx.sizes) await measure(ctx, size, size === largest ? 'cvr' : `cvr${size}`, figures);
    return figures;
  },
};
