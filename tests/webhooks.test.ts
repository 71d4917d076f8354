import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookStep } from '../connectors/insights/changes/webhooks.js';
import type { DbHandle } from '../src/db/database.js';
import { dbTargets, freshDatabase } from './helpers/db.js';
import { graph } from './helpers/graph.js';
import { ndjson, testCvr, vrv } from './helpers/cvr.js';
import { contactInput, feed, RECORD } from './helpers/insights.js';
import { caller } from './helpers/security.js';

const SUBSCRIBE = `mutation ($input: WebhookSubscribeInput!) { webhookSubscribe(input: $input) { subscription { id url sections secret active } userErrors { field message } } }`;
const DELIVERIES = `query ($s: ID) { webhookDeliveries(subscription: $s) { id status attempts lastStatusCode lastError changes subscriptionActive } }`;

describe.each(dbTargets)('webhooks on $name', (target) => {
  let h: DbHandle;
  let q: ReturnType<typeof graph>;
  let server: http.Server;
  let url: string;
  const received: { body: string; signature: string }[] = [];
  let answers: number[] = [];
  const A = testCvr(801);
  const B = testCvr(802);

  beforeAll(async () => {
    h = await freshDatabase(target);
    q = graph(h.db, { principal: caller('crm-system', ['write:webhooks', 'write:contacts', 'read:insights'], ['Jobcenter Herning']) });
    await feed(h.db, 'cvr', ndjson([vrv({ cvr: A }), vrv({ cvr: B, kommuneKode: 751, postnummer: 8000, by: 'Aarhus C' })]));
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push({ body, signature: String(req.headers['x-indgang-signature']) });
        res.writeHead(req.url?.endsWith('/failing') ? 503 : (answers.shift() ?? 200)).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  });
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((r) => server?.close(r));
    await h?.close();
  });

  it('refuses a URL that is not http(s), and the scope is needed', async () => {
    const r = await q(SUBSCRIBE, { input: { url: 'ftp://example.org/x' } });
    expect(r.data.webhookSubscribe).toEqual({ subscription: null, userErrors: [{ field: ['input', 'url'], message: expect.stringMatching(/http or https/) }] });
    const reader = graph(h.db, { principal: caller('reader', ['read:insights']) });
    const denied = await reader(SUBSCRIBE, { input: { url } });
    expect(denied.errors?.length).toBeGreaterThan(0);
  });

  it('POSTs signed batches of the changes it follows, retried after a failure, and shows the attempts', async () => {
    const r = await q(SUBSCRIBE, { input: { url, sections: ['CONTACTS'], municipality: '657' } });
    expect(r.errors).toBeUndefined();
    const { id, secret } = r.data.webhookSubscribe.subscription;
    expect(secret).toMatch(/^[\w-]{20,}$/);
    // A contact with A (Herning, 657) is followed; a registry change of B (Aarhus) is not.
    expect((await q(RECORD, { input: contactInput('hook-1', A) })).errors).toBeUndefined();
    await feed(h.db, 'cvr', ndjson([vrv({ cvr: B, name: 'Nyt Navn ApS', kommuneKode: 751, postnummer: 8000, by: 'Aarhus C' })]));
    answers = [500];
    await webhookStep(h.db, { baseMs: 0 });
    let d = (await q(DELIVERIES, { s: id })).data.webhookDeliveries;
    expect(d).toEqual([{ id: expect.any(String), status: 'PENDING', attempts: 1, lastStatusCode: 500, lastError: 'HTTP 500', changes: 1, subscriptionActive: true }]);
    await webhookStep(h.db, { baseMs: 0 });
    d = (await q(DELIVERIES, { s: id })).data.webhookDeliveries;
    expect(d[0]).toMatchObject({ status: 'DELIVERED', attempts: 2, lastStatusCode: 200 });
    expect(received).toHaveLength(2);
    for (const m of received) {
      expect(m.signature).toBe(`sha256=${createHmac('sha256', secret).update(m.body).digest('hex')}`);
    }
    const batch = JSON.parse(received[1]!.body);
    expect(batch).toMatchObject({ subscription: id, changes: [{ cvr: A, sections: expect.arrayContaining(['CONTACTS']) }] });
    // Nothing new: nothing sent.
    await webhookStep(h.db, { baseMs: 0 });
    expect(received).toHaveLength(2);
  });

  it('disables a subscription after repeated failure', async () => {
    const r = await q(SUBSCRIBE, { input: { url: url.replace('/hook', '/failing') } });
    const { id } = r.data.webhookSubscribe.subscription;
    expect((await q(RECORD, { input: contactInput('hook-2', A) })).errors).toBeUndefined();
    for (let i = 0; i < 6; i++) await webhookStep(h.db, { baseMs: 0 });
    const d = (await q(DELIVERIES, { s: id })).data.webhookDeliveries;
    expect(d).toEqual([expect.objectContaining({ status: 'FAILED', attempts: 5, lastError: 'HTTP 503', subscriptionActive: false })]);
  });
});
