import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rebuildInsights } from '../connectors/insights/derive/index.js';
import { sourceByName } from '../src/connectors.js';
import type { DbHandle } from '../src/db/database.js';
import { generateDemo } from '../src/demo/generate.js';
import { runIngest } from '../src/ingest/pipeline.js';
import { dbTargets, freshDatabase } from './helpers/db.js';
import { graph } from './helpers/graph.js';
import { contactInput, day, feed, jobAds, RECORD } from './helpers/insights.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'indgang-consistency-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Everything derived, in a stable order, without the clocks and sequence numbers of the derivation itself. */
async function derived(h: DbHandle) {
  const rows = async (query: ReturnType<typeof sql>) => (await query.execute(h.db)).rows;
  return {
    profiles:
      await rows(sql`SELECT cvr, name, municipality_code, area_code, industry_code, status, open_vacancies, open_positions, hard_to_fill_vacancies,
      participants_12m, last_enrolment_on, active_programmes, competence_plan_missing, last_contact_on, last_contact_system,
      last_jobcentre_contact_on, last_erhvervshus_contact_on, last_veu_contact_on, signals, fingerprint, stale_on
      FROM insights.company_profile ORDER BY cvr`),
    events: await rows(sql`SELECT * FROM insights.contact_event ORDER BY source, source_key`),
    needs: await rows(sql`SELECT * FROM insights.competence_need ORDER BY cvr, disco`),
    signals: await rows(sql`SELECT * FROM insights.signal ORDER BY cvr, kind`),
  };
}

// Small derivations lock profile rows; large ones (a full load, a rebuild) lock the table and may build
// indexes afterwards. Both paths run here: the second with every derivation counted as large.
const paths = dbTargets.flatMap((t) => [
  { ...t, path: 'row locks', largeFrom: '' },
  { ...t, path: 'table lock', largeFrom: '1' },
]);

describe.each(paths)('incremental derivation equals a rebuild on $name with $path', (target) => {
  let h: DbHandle;
  let cvrs: string[];
  const previous = process.env.INDGANG_DERIVE_LARGE_SCOPE;
  beforeAll(() => {
    process.env.INDGANG_DERIVE_LARGE_SCOPE = target.largeFrom;
  });
  afterAll(() => {
    process.env.INDGANG_DERIVE_LARGE_SCOPE = previous ?? '';
  });
  beforeAll(async () => {
    h = await freshDatabase(target);
    const { files, world } = generateDemo({ companies: 600, outDir: path.join(tmp, `${target.name}-${target.largeFrom}`) });
    cvrs = world.companies.map((c) => c.cvr);
    // The register last: every other source arrives before the companies it names exist in it.
    const order = [...files.filter((f) => f.source !== 'cvr'), ...files.filter((f) => f.source === 'cvr')];
    for (const f of order) {
      const run = await runIngest(h.db, sourceByName(f.source)!, { file: f.file });
      expect(run.status, f.source).toBe('succeeded');
    }
  }, 240_000);
  afterAll(async () => h?.close());

  it('derives the same rows when every source arrives before the register', async () => {
    const incremental = await derived(h);
    // Every registry company has its profile (a rebuild that made none would equal a load that made none).
    expect(incremental.profiles.map((p) => (p as { cvr: string }).cvr)).toEqual([...cvrs].sort());
    expect(incremental.events.length).toBeGreaterThan(1000);
    expect(incremental.signals.length).toBeGreaterThan(10);
    await rebuildInsights(h.db);
    expect(await derived(h)).toEqual(incremental);
  });

  it('derives both companies again when a job ad moves from one to the other', async () => {
    const [from, to] = [cvrs[0]!, cvrs[1]!];
    await feed(
      h.db,
      'balance',
      `disco;område;periode;vurdering\n721200;RAR-VEST;2099H1;Mangel på arbejdskraft\n721200;RAR-OEST;2099H1;Mangel på arbejdskraft\n`,
    );
    await feed(
      h.db,
      'jobnet',
      jobAds([{ ID: 'MOVE-1', HiringOrgCVR: Number(from), OccupationCode: '721200', LastDateApplication: day(10) }]),
    );
    const before = await h.db
      .selectFrom('insights.company_profile')
      .select(['cvr', 'open_vacancies'])
      .where('cvr', 'in', [from, to])
      .orderBy('cvr')
      .execute();
    // The corrected ad names the other company.
    await feed(
      h.db,
      'jobnet',
      jobAds([{ ID: 'MOVE-1', HiringOrgCVR: Number(to), OccupationCode: '721200', LastDateApplication: day(10), PostingCreated: day(-1) }]),
    );
    const after = await h.db
      .selectFrom('insights.company_profile')
      .select(['cvr', 'open_vacancies'])
      .where('cvr', 'in', [from, to])
      .orderBy('cvr')
      .execute();
    const change = (cvr: string) => after.find((r) => r.cvr === cvr)!.open_vacancies - before.find((r) => r.cvr === cvr)!.open_vacancies;
    expect([change(from), change(to)]).toEqual([-1, 1]);
    const incremental = await derived(h);
    await rebuildInsights(h.db);
    expect(await derived(h)).toEqual(incremental);
  });
});

describe.each(dbTargets)('a rebuild beside writes on $name', (target) => {
  let h: DbHandle;
  let cvrs: string[];
  beforeAll(async () => {
    h = await freshDatabase(target);
    const { files, world } = generateDemo({ companies: 400, outDir: path.join(tmp, `busy-${target.name}`) });
    cvrs = world.companies.map((c) => c.cvr);
    for (const f of files) await runIngest(h.db, sourceByName(f.source)!, { file: f.file });
  }, 240_000);
  afterAll(async () => h?.close());

  it('lets contact writes and an ingest run finish while a rebuild runs, and ends consistent', async () => {
    const q = graph(h.db);
    const writes = cvrs.slice(0, 6).map((cvr, i) => q(RECORD, { input: contactInput(`busy-${i}`, cvr, { date: day(-i) }) }));
    const ads = feed(
      h.db,
      'jobnet',
      jobAds(cvrs.slice(6, 12).map((cvr, i) => ({ ID: `BUSY-${i}`, HiringOrgCVR: Number(cvr), LastDateApplication: day(10) }))),
    );
    const [rebuilt, ...done] = await Promise.all([rebuildInsights(h.db), ads, ...writes]);
    expect(rebuilt.companies).toBe(400);
    expect(done.slice(1).map((r: any) => r.errors ?? r.data.contactRecord.userErrors)).toEqual(Array(6).fill([]));
    const incremental = await derived(h);
    await rebuildInsights(h.db);
    expect(await derived(h)).toEqual(incremental);
  });
});

describe.each(dbTargets)('catching up by change sequence on $name', (target) => {
  let h: DbHandle;
  let q: ReturnType<typeof graph>;
  beforeAll(async () => {
    h = await freshDatabase(target);
    q = graph(h.db);
    const { files } = generateDemo({ companies: 300, outDir: path.join(tmp, `seq-${target.name}`) });
    for (const f of files) await runIngest(h.db, sourceByName(f.source)!, { file: f.file });
  }, 240_000);
  afterAll(async () => h?.close());

  /** Reads every change after the cursor, a page of 50 at a time, as a sync job would. */
  async function changesAfter(cursor: string | null): Promise<{ cvrs: string[]; cursor: string | null }> {
    const cvrs: string[] = [];
    for (;;) {
      const r: any = await q(
        `query ($after: String) { companies(orderBy: CHANGE_SEQUENCE_ASC, first: 50, after: $after) {
        edges { cursor node { cvr } } pageInfo { hasNextPage endCursor } } }`,
        { after: cursor },
      );
      expect(r.errors).toBeUndefined();
      cvrs.push(...r.data.companies.edges.map((e: any) => e.node.cvr));
      if (r.data.companies.edges.length) cursor = r.data.companies.pageInfo.endCursor;
      if (!r.data.companies.pageInfo.hasNextPage) return { cvrs, cursor };
    }
  }

  it('sees exactly the companies that changed since its last read', async () => {
    const all = await changesAfter(null);
    expect(all.cvrs).toHaveLength(300);
    expect((await changesAfter(all.cursor)).cvrs).toEqual([]);
    const [a, b] = all.cvrs;
    await q(RECORD, { input: contactInput('seq-1', b!) });
    await q(RECORD, { input: contactInput('seq-2', a!) });
    const next = await changesAfter(all.cursor);
    expect(next.cvrs).toEqual([b, a]);
    // A rebuild that finds nothing new is no change.
    await rebuildInsights(h.db);
    expect((await changesAfter(next.cursor)).cvrs).toEqual([]);
  });
});
