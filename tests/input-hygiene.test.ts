import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../src/db/database.js';
import { dbTargets, freshDatabase } from './helpers/db.js';
import { graph, ingestText } from './helpers/graph.js';
import { ndjson, testCvr, vrv } from './helpers/cvr.js';

const RECORD = `mutation ($input: ContactRecordInput!) { contactRecord(input: $input) { contact { id } userErrors { field message } } }`;
const CORRECT = `mutation ($input: ContactCorrectInput!) { contactCorrect(input: $input) { contact { id } userErrors { field message } } }`;
const input = (over: Record<string, unknown> = {}) => ({
  idempotencyKey: 'hygiene-1',
  cvr: testCvr(1),
  system: 'JOBCENTRE',
  organisation: 'Jobcenter Herning',
  channel: 'VISIT',
  date: '2026-03-02',
  topics: ['rekruttering'],
  ...over,
});

describe.each(dbTargets)('input hygiene on $name', (target) => {
  let h: DbHandle;
  let q: ReturnType<typeof graph>;
  beforeAll(async () => {
    h = await freshDatabase(target);
    q = graph(h.db);
    await ingestText(h.db, 'cvr', ndjson([vrv({ cvr: testCvr(1) })]));
  });
  afterAll(async () => h?.close());

  it.each([
    ['a NUL byte', { organisation: 'Jobcenter\u0000Herning' }, 'input.organisation'],
    ['a lone surrogate', { topics: ['ok', 'bad\uD800'] }, 'input.topics.1'],
    ['an empty idempotency key', { idempotencyKey: '' }, 'input.idempotencyKey'],
    ['a 100,000-character idempotency key', { idempotencyKey: 'k'.repeat(100_000) }, 'input.idempotencyKey'],
    ['a control character in an idempotency key', { idempotencyKey: 'a\tb' }, 'input.idempotencyKey'],
  ])('refuses %s as BAD_USER_INPUT naming the field', async (_what, over, field) => {
    const r = await q(RECORD, { input: input(over) });
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(r.data ?? null).toBeNull();
  });

  it('refuses a NUL byte in a literal argument too', async () => {
    const r = await q(`{ company(cvr: "1234\\u00005678") { name } }`);
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'cvr' });
  });

  it('takes a 255-character printable key', async () => {
    const r = await q(RECORD, { input: input({ idempotencyKey: 'æ'.repeat(255) }) });
    expect(r.errors).toBeUndefined();
    expect(r.data.contactRecord.userErrors).toEqual([]);
  });

  it('answers a Contact id that is no UUID as an unknown id, never a database error', async () => {
    const forged = Buffer.from('Contact:------------------------------------').toString('base64url');
    for (const id of [forged, 'not-an-id']) {
      const r = await q(CORRECT, {
        input: { idempotencyKey: `c-${id}`, id, system: 'JOBCENTRE', organisation: 'x', channel: 'VISIT', date: '2026-03-02', topics: [] },
      });
      expect(r.errors).toBeUndefined();
      expect(r.data.contactCorrect.userErrors[0].field).toEqual(['input', 'id']);
    }
  });

  it('answers a forged cursor (the right shape, a key Postgres cannot compare) as BAD_USER_INPUT naming the argument', async () => {
    const forged = Buffer.from(JSON.stringify(['not-a-date', 'x', 'y'])).toString('base64url');
    for (const run of [q, graph(h.db, { production: true })]) {
      const r = await run(`{ company(cvr: "${testCvr(1)}") { contacts(first: 5, after: "${forged}") { edges { cursor } } } }`);
      // Its check fails before its key could reach SQL (tests/cursors-and-ids.test.ts covers every connection).
      expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
      expect(JSON.stringify(r.errors)).not.toMatch(/invalid input syntax|date/i);
    }
  });
});
