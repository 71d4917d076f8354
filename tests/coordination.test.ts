import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../src/db/database.js';
import { dbTargets, freshDatabase } from './helpers/db.js';
import { graph, ingestText } from './helpers/graph.js';
import { ndjson, testCvr, vrv } from './helpers/cvr.js';

const RECORD = `mutation ($input: ContactRecordInput!) { contactRecord(input: $input) {
  contact { id date system organisation channel topics followUpOn status version company { cvr } } userErrors { field message } } }`;
const CORRECT = `mutation ($input: ContactCorrectInput!) { contactCorrect(input: $input) { contact { id organisation status version } userErrors { field message } } }`;
const WITHDRAW = `mutation ($input: ContactWithdrawInput!) { contactWithdraw(input: $input) { contact { id status version } userErrors { field message } } }`;

const input = (key: string, over: Record<string, unknown> = {}) => ({
  idempotencyKey: key,
  cvr: testCvr(1),
  system: 'JOBCENTRE',
  organisation: 'Jobcenter Herning',
  consultant: 'Anne Virksomhedskonsulent',
  channel: 'VISIT',
  date: '2026-03-02',
  topics: ['rekruttering'],
  outcome: 'Aftalt opslag af to stillinger',
  followUpOn: '2026-04-01',
  ...over,
});

/** A correction states the same fields but the company, which never changes. */
const correction = (key: string, over: Record<string, unknown> = {}) => {
  const { cvr: _cvr, ...rest } = input(key, over);
  return rest;
};

describe.each(dbTargets)('shared contact log on $name', (target) => {
  let h: DbHandle;
  let q: ReturnType<typeof graph>;
  const count = async () =>
    Number(
      (
        await h.db
          .selectFrom('coordination.contact_version')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  beforeAll(async () => {
    h = await freshDatabase(target);
    q = graph(h.db);
    await ingestText(h.db, 'cvr', ndjson(Array.from({ length: 50 }, (_, i) => vrv({ cvr: testCvr(i + 1) }))));
  });
  afterAll(async () => h?.close());

  it('records a contact and lists it on the company', async () => {
    const r = await q(RECORD, { input: input('k-1') });
    expect(r.errors).toBeUndefined();
    expect(r.data.contactRecord).toMatchObject({
      contact: {
        date: '2026-03-02',
        system: 'JOBCENTRE',
        organisation: 'Jobcenter Herning',
        channel: 'VISIT',
        topics: ['rekruttering'],
        status: 'RECORDED',
        version: 1,
        company: { cvr: testCvr(1) },
      },
      userErrors: [],
    });
    const list = await q(`{ company(cvr: "${testCvr(1)}") { contacts(first: 5) { edges { node { date system organisation } } } } }`);
    expect(list.data.company.contacts.edges).toEqual([
      { node: { date: '2026-03-02', system: 'JOBCENTRE', organisation: 'Jobcenter Herning' } },
    ]);
  });

  it('returns the same contact for the same key and input, and refuses the key with other input', async () => {
    const before = await count();
    // Each test writes to a company of its own: the first lists testCvr(1)'s contacts.
    const first = await q(RECORD, { input: input('k-2', { cvr: testCvr(5) }) });
    const again = await q(RECORD, { input: input('k-2', { cvr: testCvr(5) }) });
    expect(again.data.contactRecord.contact.id).toBe(first.data.contactRecord.contact.id);
    expect(await count()).toBe(before + 1);
    const other = await q(RECORD, { input: input('k-2', { cvr: testCvr(5), organisation: 'Jobcenter Ikast-Brande' }) });
    expect(other.data.contactRecord).toEqual({
      contact: null,
      userErrors: [{ field: ['input', 'idempotencyKey'], message: expect.stringContaining('different write') }],
    });
    expect(await count()).toBe(before + 1);
  });

  it('writes once when the same request arrives many times at once', async () => {
    const before = await count();
    const results = await Promise.all(Array.from({ length: 8 }, () => q(RECORD, { input: input('k-concurrent', { cvr: testCvr(2) }) })));
    const ids = new Set(results.map((r) => r.data.contactRecord.contact?.id));
    expect(results.every((r) => r.errors === undefined && r.data.contactRecord.userErrors.length === 0)).toBe(true);
    expect(ids.size).toBe(1);
    expect(await count()).toBe(before + 1);
  });

  it('names every bad field and writes nothing', async () => {
    const before = await count();
    const r = await q(RECORD, {
      input: input('k-bad', {
        cvr: testCvr(999),
        organisation: ' ',
        date: '2999-01-01',
        followUpOn: '2998-01-01',
        topics: ['x'.repeat(61), 'ok'],
      }),
    });
    expect(r.data.contactRecord.contact).toBeNull();
    expect(r.data.contactRecord.userErrors.map((e: any) => e.field.join('.'))).toEqual([
      'input.cvr',
      'input.organisation',
      'input.date',
      'input.followUpOn',
      'input.topics.0',
    ]);
    expect(await count()).toBe(before);
    const retry = await q(RECORD, { input: input('k-bad', { cvr: testCvr(6) }) });
    expect(retry.data.contactRecord.userErrors).toEqual([]);
  });

  it('keeps history when a contact is corrected or withdrawn', async () => {
    const made = await q(RECORD, { input: input('k-3', { cvr: testCvr(3) }) });
    const id = made.data.contactRecord.contact.id;
    const corrected = await q(CORRECT, { input: { ...correction('k-3c', { organisation: 'Jobcenter Ikast-Brande' }), id } });
    expect(corrected.errors).toBeUndefined();
    expect(corrected.data.contactCorrect).toEqual({
      contact: { id, organisation: 'Jobcenter Ikast-Brande', status: 'CORRECTED', version: 2 },
      userErrors: [],
    });
    const withdrawn = await q(WITHDRAW, { input: { idempotencyKey: 'k-3w', id, reason: 'registreret på forkert virksomhed' } });
    expect(withdrawn.data.contactWithdraw.contact).toEqual({ id, status: 'WITHDRAWN', version: 3 });
    const versions = await h.db
      .selectFrom('coordination.contact_version')
      .select(['version', 'organisation', 'status'])
      .where('cvr', '=', testCvr(3))
      .orderBy('version')
      .execute();
    expect(versions).toEqual([
      { version: 1, organisation: 'Jobcenter Herning', status: 'RECORDED' },
      { version: 2, organisation: 'Jobcenter Ikast-Brande', status: 'CORRECTED' },
      { version: 3, organisation: 'Jobcenter Ikast-Brande', status: 'WITHDRAWN' },
    ]);
    const list = await q(`{ company(cvr: "${testCvr(3)}") { contacts { edges { node { date } } } } }`);
    expect(list.data.company.contacts.edges).toEqual([]);
    const again = await q(CORRECT, { input: { ...correction('k-3d'), id } });
    expect(again.data.contactCorrect.userErrors[0].field).toEqual(['input', 'id']);
  });

  it('filters by system and pages newest first', async () => {
    const cvr = testCvr(4);
    for (const [i, system] of ['JOBCENTRE', 'ERHVERVSHUS', 'VEU', 'ERHVERVSHUS'].entries()) {
      await q(RECORD, { input: input(`k-4-${i}`, { cvr, system, date: `2026-01-0${i + 1}` }) });
    }
    const page = `query ($after: String) { company(cvr: "${cvr}") { contacts(first: 1, systems: [ERHVERVSHUS, VEU], after: $after) { edges { node { date system } } pageInfo { hasNextPage endCursor } } } }`;
    const p1 = await q(page, {});
    expect(p1.data.company.contacts.edges).toEqual([{ node: { date: '2026-01-04', system: 'ERHVERVSHUS' } }]);
    const p2 = await q(page, { after: p1.data.company.contacts.pageInfo.endCursor });
    expect(p2.data.company.contacts.edges).toEqual([{ node: { date: '2026-01-03', system: 'VEU' } }]);
  });

  it('sends the same number of statements for contacts of 5 companies as of 50', async () => {
    const list = (n: number) =>
      `{ companies(first: ${n}, orderBy: CVR_ASC) { edges { node { cvr contacts(first: 10) { edges { node { date system } } } } } } }`;
    const small = await q(list(5));
    const large = await q(list(50));
    expect(large.errors).toBeUndefined();
    expect(large.statements).toBe(small.statements);
  });
});
