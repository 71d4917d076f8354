import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import '../src/connectors.js';
import { ndjson, testCvr, vrv } from './helpers/cvr.js';
import { dbTargets, freshDatabase, type TestDb } from './helpers/db.js';
import { ingestText } from './helpers/graph.js';

/** Tables the planner has statistics for (pg_stats has rows once a table was analysed). */
async function analysed(h: TestDb, tables: string[]): Promise<string[]> {
  const r = await sql<{ t: string }>`
    SELECT DISTINCT schemaname || '.' || tablename AS t FROM pg_stats
    WHERE schemaname || '.' || tablename = ANY(${tables}::text[]) ORDER BY 1`.execute(h.db);
  return r.rows.map((x) => x.t);
}

const companies = (from: number, n: number) => ndjson(Array.from({ length: n }, (_, i) => vrv({ cvr: testCvr(from + i) })));

describe.each(dbTargets)('planner statistics after bulk changes on $name', (target) => {
  let h: TestDb;
  const watched = ['registry.company', 'insights.company_profile', 'insights.company_change'];
  beforeEach(async () => {
    h = await freshDatabase(target);
    // So that only the run analyses them (a server's autovacuum might, at its own time).
    for (const t of watched) await sql`ALTER TABLE ${sql.table(t)} SET (autovacuum_enabled = false)`.execute(h.db);
  });
  afterEach(() => h?.close());

  it('analyses the tables a run filled in bulk, and the derived tables of a large derivation, before the run commits', async () => {
    const tables = watched;
    expect(await analysed(h, tables)).toEqual([]);
    const run = await ingestText(h.db, 'cvr', companies(1, 1200));
    expect(run).toMatchObject({ status: 'succeeded', inserted: 1200 });
    expect(await analysed(h, tables)).toEqual(['insights.company_change', 'insights.company_profile', 'registry.company']);
  });

  it('leaves statistics alone after a run that changed few rows', async () => {
    const run = await ingestText(h.db, 'cvr', companies(1, 50));
    expect(run).toMatchObject({ status: 'succeeded', inserted: 50 });
    expect(await analysed(h, ['registry.company', 'insights.company_profile'])).toEqual([]);
  });
});
