import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../src/db/database.js';
import { dbTargets, freshDatabase } from './helpers/db.js';
import { graph, ingestText } from './helpers/graph.js';
import { ndjson, testCvr, vrv } from './helpers/cvr.js';
import { caller } from './helpers/security.js';
import { contactInput } from './helpers/insights.js';

const CVR = testCvr(1);
const RECORD = `mutation ($input: ContactRecordInput!) { contactRecord(input: $input) { contact { id organisation recordedBy } userErrors { field message } } }`;
const CORRECT = `mutation ($input: ContactCorrectInput!) { contactCorrect(input: $input) { contact { version organisation recordedBy } userErrors { field message } } }`;
const WITHDRAW = `mutation ($input: ContactWithdrawInput!) { contactWithdraw(input: $input) { contact { status } userErrors { field message } } }`;

const correction = (key: string, id: string, over: Record<string, unknown> = {}) => {
  const { cvr: _c, idempotencyKey: _k, ...rest } = contactInput(key, CVR, over);
  return { idempotencyKey: key, id, ...rest };
};

describe.each(dbTargets)('writes bound to the caller on $name', (target) => {
  let h: DbHandle;
  const herning = caller('herning-jc', ['read:contacts', 'write:contacts'], ['Jobcenter Herning']);
  const aarhus = caller('aarhus-jc', ['read:contacts', 'write:contacts'], ['Jobcenter Aarhus']);
  let aarhusContact: string;
  beforeAll(async () => {
    h = await freshDatabase(target);
    await ingestText(h.db, 'cvr', ndjson([vrv({ cvr: CVR })]));
    const made = await graph(h.db, { principal: aarhus })(RECORD, {
      input: contactInput('a-1', CVR, { organisation: 'Jobcenter Aarhus' }),
    });
    aarhusContact = made.data.contactRecord.contact.id;
  });
  afterAll(async () => h?.close());

  it("records only for one of the caller's organisations, in the caller's spelling, and recordedBy is the caller", async () => {
    const q = graph(h.db, { principal: herning });
    const claimed = await q(RECORD, { input: contactInput('h-1', CVR, { organisation: 'Jobcenter Aarhus', consultant: 'Made Up' }) });
    expect(claimed.data.contactRecord).toEqual({
      contact: null,
      userErrors: [
        {
          field: ['input', 'organisation'],
          message: 'caller "herning-jc" records contacts only for "Jobcenter Herning", not "Jobcenter Aarhus"',
        },
      ],
    });
    const own = await q(RECORD, { input: contactInput('h-2', CVR, { organisation: 'jobcenter  herning' }) });
    expect(own.data.contactRecord).toMatchObject({
      contact: { organisation: 'Jobcenter Herning', recordedBy: 'herning-jc' },
      userErrors: [],
    });
  });

  it('refuses a caller with no organisation', async () => {
    const analytics = graph(h.db, { principal: caller('analytics', ['write:contacts']) });
    const r = await analytics(RECORD, { input: contactInput('x-1', CVR) });
    expect(r.data.contactRecord.userErrors).toEqual([
      {
        field: ['input', 'organisation'],
        message: 'caller "analytics" records contacts only for no organisation, not "Jobcenter Herning"',
      },
    ]);
  });

  it("corrects and withdraws only contacts of the caller's organisations", async () => {
    const q = graph(h.db, { principal: herning });
    const message = 'the contact belongs to "Jobcenter Aarhus"; caller "herning-jc" may change only contacts of "Jobcenter Herning"';
    const correct = await q(CORRECT, { input: correction('h-3', aarhusContact, { organisation: 'Jobcenter Herning' }) });
    expect(correct.data.contactCorrect).toEqual({ contact: null, userErrors: [{ field: ['input', 'id'], message }] });
    const withdraw = await q(WITHDRAW, { input: { idempotencyKey: 'h-4', id: aarhusContact, reason: 'not ours' } });
    expect(withdraw.data.contactWithdraw).toEqual({ contact: null, userErrors: [{ field: ['input', 'id'], message }] });
    // Aarhus may, but cannot move its contact to another organisation.
    const a = graph(h.db, { principal: aarhus });
    const moved = await a(CORRECT, { input: correction('a-2', aarhusContact, { organisation: 'Jobcenter Herning' }) });
    expect(moved.data.contactCorrect.userErrors).toEqual([
      {
        field: ['input', 'organisation'],
        message: 'caller "aarhus-jc" records contacts only for "Jobcenter Aarhus", not "Jobcenter Herning"',
      },
    ]);
    const fixed = await a(CORRECT, { input: correction('a-3', aarhusContact, { organisation: 'Jobcenter Aarhus', outcome: 'Rettet' }) });
    expect(fixed.data.contactCorrect).toEqual({
      contact: { version: 2, organisation: 'Jobcenter Aarhus', recordedBy: 'aarhus-jc' },
      userErrors: [],
    });
  });

  it('scopes idempotency keys per caller: the same key from two callers is two writes', async () => {
    const dev = graph(h.db);
    const one = await graph(h.db, { principal: herning })(RECORD, { input: contactInput('shared-key', CVR) });
    const two = await graph(h.db, { principal: aarhus })(RECORD, {
      input: contactInput('shared-key', CVR, { organisation: 'Jobcenter Aarhus' }),
    });
    expect(one.data.contactRecord.userErrors).toEqual([]);
    expect(two.data.contactRecord.userErrors).toEqual([]);
    expect(two.data.contactRecord.contact.id).not.toBe(one.data.contactRecord.contact.id);
    // A retry by the first caller still returns its own contact.
    const retry = await graph(h.db, { principal: herning })(RECORD, { input: contactInput('shared-key', CVR) });
    expect(retry.data.contactRecord.contact.id).toBe(one.data.contactRecord.contact.id);
    // The local developer may act for any organisation.
    const local = await dev(RECORD, {
      input: contactInput('shared-key', CVR, { organisation: 'Erhvervshus Midtjylland', system: 'ERHVERVSHUS' }),
    });
    expect(local.data.contactRecord).toMatchObject({
      contact: { organisation: 'Erhvervshus Midtjylland', recordedBy: 'local-developer' },
      userErrors: [],
    });
  });
});
