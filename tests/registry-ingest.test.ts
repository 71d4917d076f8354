import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../src/db/database.js';
import { listRejects } from '../src/ingest/runs.js';
import { dbTargets, freshDatabase, ownDatabase } from './helpers/db.js';
import { ingestText } from './helpers/graph.js';
import { ndjson, testCvr, vrv } from './helpers/cvr.js';

describe.each(dbTargets)('CVR ingest on $name', (target) => {
  let h: DbHandle;
  beforeAll(async () => {
    h = await freshDatabase(target);
  });
  afterAll(async () => h?.close());

  const good = [1, 2, 3].map((n) => vrv({ cvr: testCvr(n) }));
  const badCheck = String(Number(testCvr(4)) + 1);
  const file =
    ndjson(good) +
    '{"cvrNummer": 12, this is not json\n' +
    ndjson([vrv({ cvr: badCheck }), vrv({ cvr: testCvr(5), name: null }), vrv({ cvr: testCvr(6), kommuneKode: 999 })]);

  // The first test reads the whole register, and the third changes a company the file loads: each has a
  // database of its own. The rest load what they read into the shared one, each its own companies but the
  // re-load test, which compares the register before and after.
  const load = (h: DbHandle) => ingestText(h.db, 'cvr', file, 'cvr-2026-05.ndjson');

  it('loads the good records and keeps every bad one with file, line and reason', async () => {
    const h = await ownDatabase(target);
    const run = await ingestText(h.db, 'cvr', file, 'cvr-2026-05.ndjson');
    expect(run).toMatchObject({ status: 'succeeded', read: 7, inserted: 3, updated: 0, unchanged: 0, rejected: 4 });
    const rejects = await listRejects(h.db, run.runId);
    expect(rejects.map((r) => [r.file, r.line, r.reason])).toEqual([
      ['cvr-2026-05.ndjson', 4, expect.stringMatching(/^malformed JSON/)],
      ['cvr-2026-05.ndjson', 5, `cvrNummer ${badCheck}: the CVR number fails its modulus-11 check`],
      ['cvr-2026-05.ndjson', 6, expect.stringContaining('nyesteNavn.navn (the name) is missing')],
      ['cvr-2026-05.ndjson', 7, 'unknown municipality code 999 (virksomhedMetadata.nyesteBeliggenhedsadresse.kommune.kommuneKode)'],
    ]);
    expect(rejects[0]!.raw).toBe('{"cvrNummer": 12, this is not json');
    const stored = await h.db
      .selectFrom('registry.company')
      .select(['cvr', 'name', 'municipality_code', 'employees_band', 'production_units'])
      .orderBy('cvr')
      .execute();
    expect(stored).toHaveLength(3);
    expect(stored[0]).toMatchObject({ municipality_code: '657', employees_band: 'FROM_20_TO_49', production_units: ['1012345678'] });
  });

  it('changes nothing when the same file is loaded again', async () => {
    await load(h);
    const before = await h.db.selectFrom('registry.company').select(['cvr', 'changed_at', 'run_id']).orderBy('cvr').execute();
    const run = await ingestText(h.db, 'cvr', file, 'cvr-2026-05.ndjson');
    expect(run).toMatchObject({ read: 7, inserted: 0, updated: 0, unchanged: 3, rejected: 4 });
    expect(await h.db.selectFrom('registry.company').select(['cvr', 'changed_at', 'run_id']).orderBy('cvr').execute()).toEqual(before);
  });

  it('updates a changed company, and never lets an older record overwrite a newer one', async () => {
    const h = await ownDatabase(target, load);
    const renamed = vrv({ cvr: testCvr(1), name: 'Nyt Navn ApS', updated: '2026-06-01T10:00:00.000+02:00' });
    expect(await ingestText(h.db, 'cvr', ndjson([renamed]))).toMatchObject({ inserted: 0, updated: 1, unchanged: 0 });
    const stale = vrv({ cvr: testCvr(1), name: 'Gammelt Navn ApS', updated: '2025-01-01T10:00:00.000+02:00' });
    expect(await ingestText(h.db, 'cvr', ndjson([stale]))).toMatchObject({ inserted: 0, updated: 0, unchanged: 1 });
    const row = await h.db.selectFrom('registry.company').select('name').where('cvr', '=', testCvr(1)).executeTakeFirstOrThrow();
    expect(row.name).toBe('Nyt Navn ApS');
  });

  it('reads the hits.hits[]._source.Vrvirksomhed envelope as a streamed JSON document', async () => {
    const doc = {
      took: 3,
      hits: {
        total: 2,
        hits: [7, 8].map((n) => ({
          _index: 'cvr-permanent',
          _source: { Vrvirksomhed: vrv({ cvr: testCvr(n), kommuneKode: 751, postnummer: 8000, by: 'Aarhus C' }) },
        })),
      },
    };
    const run = await ingestText(h.db, 'cvr', JSON.stringify(doc, null, 2), 'envelope.json');
    expect(run).toMatchObject({ status: 'succeeded', read: 2, inserted: 2, rejected: 0 });
  });

  it('reads NDJSON lines that each hold an envelope hit, and a BOM', async () => {
    const text = '\ufeff' + ndjson([{ _source: { Vrvirksomhed: vrv({ cvr: testCvr(9) }) } }, { Vrvirksomhed: vrv({ cvr: testCvr(10) }) }]);
    expect(await ingestText(h.db, 'cvr', text)).toMatchObject({ read: 2, inserted: 2, rejected: 0 });
  });

  it('lets the later of two records for one company win within a file', async () => {
    const text = ndjson([vrv({ cvr: testCvr(11), name: 'Først ApS' }), vrv({ cvr: testCvr(11), name: 'Sidst ApS' })]);
    const run = await ingestText(h.db, 'cvr', text);
    expect(run).toMatchObject({ read: 2, inserted: 1, notes: { duplicates: 1 } });
    const row = await h.db.selectFrom('registry.company').select('name').where('cvr', '=', testCvr(11)).executeTakeFirstOrThrow();
    expect(row.name).toBe('Sidst ApS');
  });

  it('records a failed run and writes nothing when the document breaks off', async () => {
    const text = '{"hits": {"hits": [' + JSON.stringify({ _source: { Vrvirksomhed: vrv({ cvr: testCvr(12) }) } }) + ', {"_source": ';
    const run = await ingestText(h.db, 'cvr', text, 'broken.json');
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/cannot be read/);
    const row = await h.db.selectFrom('registry.company').select('cvr').where('cvr', '=', testCvr(12)).executeTakeFirst();
    expect(row).toBeUndefined();
    const stored = await h.db.selectFrom('ingest.run').select(['status', 'error']).where('id', '=', run.runId).executeTakeFirstOrThrow();
    expect(stored.status).toBe('failed');
  });
});

describe('an empty feed', () => {
  // Opened in a hook: a fresh database can take longer than a test's time on a busy machine.
  let h: DbHandle;
  beforeAll(async () => {
    h = await freshDatabase({ name: 'pglite' });
  });
  afterAll(async () => h?.close());

  it('is a successful run with nothing read', async () => {
    expect(await ingestText(h.db, 'cvr', '\n')).toMatchObject({ status: 'succeeded', read: 0, inserted: 0 });
  });
});
