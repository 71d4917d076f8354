import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isCvr } from '../src/codes/cvr.js';
import type { DbHandle } from '../src/db/database.js';
import { generateDemo } from '../src/demo/generate.js';
import { loadDemo } from '../src/demo/load.js';
import { MIDTJYLLAND_WEIGHTS } from '../src/demo/region.js';
import { dbTargets, freshDatabase } from './helpers/db.js';
import { graph } from './helpers/graph.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'indgang-demo-test-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function digest(dir: string): Record<string, string> {
  return Object.fromEntries(
    fs
      .readdirSync(dir)
      .sort()
      .map((f) => [
        f,
        crypto
          .createHash('sha256')
          .update(fs.readFileSync(path.join(dir, f)))
          .digest('hex'),
      ]),
  );
}

describe('demo generator', () => {
  it('writes the same files for the same seed and day, and other files for another seed', () => {
    const a = generateDemo({ companies: 300, outDir: path.join(tmp, 'a'), today: '2026-03-01' });
    generateDemo({ companies: 300, outDir: path.join(tmp, 'b'), today: '2026-03-01' });
    generateDemo({ companies: 300, outDir: path.join(tmp, 'c'), today: '2026-03-01', seed: 'another' });
    expect(digest(path.join(tmp, 'a'))).toEqual(digest(path.join(tmp, 'b')));
    expect(digest(path.join(tmp, 'a'))).not.toEqual(digest(path.join(tmp, 'c')));
    expect(a.files[0]!.source).toBe('cvr');
  });

  it('makes realistic companies of Region Midtjylland with valid CVR numbers', () => {
    const { world } = generateDemo({ companies: 2000, outDir: path.join(tmp, 'd') });
    const cvrs = world.companies.map((c) => c.cvr);
    expect(new Set(cvrs).size).toBe(2000);
    expect(cvrs.every(isCvr)).toBe(true);
    expect(new Set(world.companies.map((c) => c.municipality))).toEqual(new Set(MIDTJYLLAND_WEIGHTS.map(([m]) => m)));
    expect(world.companies.filter((c) => c.pNumbers.length > 1).length).toBeGreaterThan(10);
    expect(world.companies.some((c) => /[æøå]/i.test(c.name))).toBe(true);
  });
});

describe.each(dbTargets)('demo load on $name', (target) => {
  // One load of the demo serves both tests: the first-light queries read it, and the load test checks
  // its runs and that loading again changes nothing (so it changes nothing the queries read).
  let h: DbHandle;
  let first: Awaited<ReturnType<typeof loadDemo>>;
  beforeAll(async () => {
    h = await freshDatabase(target);
    first = await loadDemo(h.db, { companies: 400, today: '2026-03-01' });
  });
  afterAll(async () => h?.close());

  it('loads every demo file through the ingest adapters without rejects, and re-loading changes nothing', async () => {
    expect(first.every((r) => r.status === 'succeeded' && r.rejected === 0)).toBe(true);
    expect(first.find((r) => r.source === 'cvr')).toMatchObject({ read: 400, inserted: 400 });
    const again = await loadDemo(h.db, { companies: 400, today: '2026-03-01' });
    expect(again.every((r) => r.inserted === 0 && r.updated === 0)).toBe(true);
  });

  it('answers the first-light queries from demo data', async () => {
    const q = graph(h.db);
    const list = await q(
      `{ companies(first: 5, filter: { municipality: "657" }) { edges { node { cvr name industry { code title } employees { band } } } pageInfo { hasNextPage endCursor } } }`,
    );
    expect(list.errors).toBeUndefined();
    expect(list.data.companies.edges).toHaveLength(5);
    expect(list.data.companies.pageInfo.hasNextPage).toBe(true);
    const cvr = list.data.companies.edges[0].node.cvr;
    const one = await q(
      `{ company(cvr: "${cvr}") { name legalForm { short } status address { street postcode city } municipality { code name } productionUnits { pNumber } } }`,
    );
    expect(one.errors).toBeUndefined();
    expect(one.data.company.municipality).toEqual({ code: '657', name: 'Herning' });
    expect(one.data.company.productionUnits.length).toBeGreaterThan(0);
    expect(one.data.company.address.street).toMatch(/\d/);
  });
});
