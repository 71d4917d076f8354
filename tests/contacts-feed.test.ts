import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contactsSource } from '../connectors/coordination/ingest/contacts.js';
import type { DbHandle } from '../src/db/database.js';
import { listRejects } from '../src/ingest/runs.js';
import { dbTargets, freshDatabase, ownDatabase } from './helpers/db.js';
import { graph, ingestText } from './helpers/graph.js';
import { ndjson, testCvr, vrv } from './helpers/cvr.js';
import { contactInput, day, feed, RECORD } from './helpers/insights.js';

const COMPANY = testCvr(40);
const BUSY = testCvr(41);
const UNREGISTERED = testCvr(49);

// Two contacts from a jobcentre's own system, one of them with its fields in that system's words.
const JS_1 = contactInput('js-1', COMPANY, { date: day(-5), followUpOn: day(20) });
const JS_2 = {
  ...contactInput('js-2', COMPANY, { date: day(-4) }),
  system: 'jobcenter',
  channel: 'telefon',
  topics: 'rekruttering, fastholdelse',
  ContactPersonName: 'Peter Hansen',
};

describe.each(dbTargets)('the contacts feed into the shared log on $name', (target) => {
  let h: DbHandle;
  let q: ReturnType<typeof graph>;
  const versions = (h: DbHandle) =>
    h.db
      .selectFrom('coordination.contact_version')
      .select(['version', 'status', 'organisation', 'recorded_by'])
      .where('cvr', '=', COMPANY)
      .orderBy('recorded_at')
      .orderBy('version')
      .execute();
  const seq = async (q: ReturnType<typeof graph>, cvr: string) =>
    BigInt((await q(`{ company(cvr: "${cvr}") { changeSequence } }`)).data.company.changeSequence);

  const load = (h: DbHandle) => feed(h.db, 'cvr', ndjson([vrv({ cvr: COMPANY }), vrv({ cvr: BUSY })]));
  beforeAll(async () => {
    h = await freshDatabase(target);
    q = graph(h.db);
    await load(h);
  });
  // The correction test starts from COMPANY's two contacts as the first test loads them, and that test
  // loads them too: it has a database of its own, with them loaded.
  const withContacts = async () => {
    const h = await ownDatabase(target, load);
    await ingestText(h.db, 'contacts', ndjson([JS_1, JS_2]), 'jobcenter-kontakter.ndjson');
    return { h, q: graph(h.db) };
  };
  afterAll(async () => h?.close());

  it('loads contacts from another system, keeps bad records as rejects naming the field, and changes nothing on a re-run', async () => {
    const text = ndjson([
      JS_1,
      JS_2,
      contactInput('js-3', UNREGISTERED, { date: day(-3) }),
      contactInput('js-bad-1', COMPANY, { organisation: ' ', date: day(30) }),
      contactInput('js-bad-2', '12345678'),
      contactInput('js-bad-3', COMPANY, { topics: ['x'.repeat(61)], followUpOn: day(-10) }),
    ]);
    const run = await ingestText(h.db, 'contacts', text, 'jobcenter-kontakter.ndjson');
    expect(run).toMatchObject({ status: 'succeeded', read: 6, inserted: 3, updated: 0, rejected: 3, notes: { companyNotInRegister: 1 } });
    const rejects = await listRejects(h.db, run.runId);
    expect(rejects.map((r) => [r.file, r.line, r.reason])).toEqual([
      [
        'jobcenter-kontakter.ndjson',
        4,
        `organisation: give the organisation that made the contact; date: a contact cannot be recorded before it happens (date ${day(30)} is after today, ${day(0)})`,
      ],
      ['jobcenter-kontakter.ndjson', 5, 'cvr 12345678: the CVR number fails its modulus-11 check'],
      [
        'jobcenter-kontakter.ndjson',
        6,
        `followUpOn: the follow-up (${day(-10)}) cannot come before the contact (${day(0)}); topics.0: a topic is at most 60 characters`,
      ],
    ]);
    const timeline = await q(
      `{ company(cvr: "${COMPANY}") { contacts { edges { node { date organisation channel topics followUpOn } } } } }`,
    );
    expect(timeline.data.company.contacts.edges.map((e: any) => e.node)).toEqual([
      { date: day(-4), organisation: 'Jobcenter Herning', channel: 'PHONE', topics: ['rekruttering', 'fastholdelse'], followUpOn: null },
      { date: day(-5), organisation: 'Jobcenter Herning', channel: 'VISIT', topics: ['rekruttering'], followUpOn: day(20) },
    ]);
    // A person's name in an unknown key is not kept anywhere, not even in the raw text of the record.
    const stored = await h.db.selectFrom('coordination.contact_version').selectAll().execute();
    expect(JSON.stringify(stored)).not.toContain('Peter Hansen');

    const before = await seq(q, COMPANY);
    const again = await ingestText(h.db, 'contacts', text, 'jobcenter-kontakter.ndjson');
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 3, rejected: 3 });
    expect(await seq(q, COMPANY)).toBe(before);
  });

  it('records a changed record as a corrected version and keeps the history', async () => {
    const { h, q } = await withContacts();
    const before = await seq(q, COMPANY);
    const run = await ingestText(
      h.db,
      'contacts',
      ndjson([contactInput('js-1', COMPANY, { date: day(-5), organisation: 'Jobcenter Ikast-Brande' })]),
    );
    expect(run).toMatchObject({ inserted: 0, updated: 1 });
    expect((await versions(h)).filter((v) => v.version > 0).map((v) => [v.version, v.status, v.organisation])).toEqual([
      [1, 'RECORDED', 'Jobcenter Herning'],
      [1, 'RECORDED', 'Jobcenter Herning'],
      [2, 'CORRECTED', 'Jobcenter Ikast-Brande'],
    ]);
    expect(await seq(q, COMPANY)).toBeGreaterThan(before);
  });

  it('does not bring back a contact the hub withdrew', async () => {
    const record = (organisation: string) => ndjson([contactInput('js-w', COMPANY, { date: day(-7), organisation })]);
    await ingestText(h.db, 'contacts', record('Jobcenter Holstebro'));
    const [contact] = await h.db
      .selectFrom('coordination.write_request')
      .select('contact_id')
      .where('idempotency_key', '=', 'contacts-feed:js-w')
      .execute();
    const id = Buffer.from(`Contact:${contact!.contact_id}`).toString('base64url');
    const w = await q(
      `mutation { contactWithdraw(input: { idempotencyKey: "w-js-w", id: "${id}", reason: "forkert virksomhed" }) { userErrors { field } } }`,
    );
    expect(w.data.contactWithdraw.userErrors).toEqual([]);
    const run = await ingestText(h.db, 'contacts', record('Jobcenter Struer'));
    expect(run).toMatchObject({ inserted: 0, updated: 0, notes: { keptWithdrawn: 1 } });
    const statuses = await h.db
      .selectFrom('coordination.contact_version')
      .select(['version', 'status'])
      .where('contact_id', '=', contact!.contact_id)
      .orderBy('version')
      .execute();
    expect(statuses).toEqual([
      { version: 1, status: 'RECORDED' },
      { version: 2, status: 'WITHDRAWN' },
    ]);
    const timeline = await q(`{ company(cvr: "${COMPANY}") { contacts(first: 50) { edges { node { organisation } } } } }`);
    expect(timeline.data.company.contacts.edges.map((e: any) => e.node.organisation)).not.toContain('Jobcenter Struer');
  });

  it('documents the feed in FORMATS.md with the same text as ingest --list', () => {
    const doc = fs.readFileSync(new URL('../connectors/coordination/FORMATS.md', import.meta.url), 'utf8');
    expect(doc).toContain(contactsSource.format);
  });

  it('derives one company from many concurrent writes without losing one', async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => q(RECORD, { input: contactInput(`busy-${i}`, BUSY, { date: day(-i) }) })),
    );
    expect(results.map((r) => r.errors ?? r.data.contactRecord.userErrors)).toEqual(Array(8).fill([]));
    const t = await q(`{ company(cvr: "${BUSY}") { contacts(first: 20) { totalCount } coordination { lastContact { date } } } }`);
    expect(t.data.company).toEqual({ contacts: { totalCount: 8 }, coordination: { lastContact: { date: day(0) } } });
  });
});
