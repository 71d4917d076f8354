import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../src/db/database.js';
import { accessLogEntries, pruneAccessLog } from '../src/security/store.js';
import { dbTargets, freshDatabase, ownDatabase } from './helpers/db.js';
import { graph, ingestText } from './helpers/graph.js';
import { ndjson, testCvr, vrv } from './helpers/cvr.js';
import { caller } from './helpers/security.js';
import { contactInput, feed, meetings, RECORD } from './helpers/insights.js';

const CVRS = Array.from({ length: 50 }, (_, i) => testCvr(i + 1));
const rows = async (h: DbHandle) => (await accessLogEntries(h.db, {}, 1000)).reverse();
const timeline = (n: number) =>
  `query Timeline { companies(first: ${n}, orderBy: CVR_ASC) { edges { node { cvr contacts(first: 5) { edges { node { date system consultant } } } } } } }`;

/** Fifty companies, each with a logged contact, and a meeting with the first. */
async function load(h: DbHandle) {
  await ingestText(h.db, 'cvr', ndjson(CVRS.map((cvr) => vrv({ cvr }))));
  for (const cvr of CVRS) await graph(h.db)(RECORD, { input: contactInput(`l-${cvr}`, cvr, { date: '2026-01-05' }) });
  await feed(h.db, 'crm-meetings', meetings([[CVRS[0]!, '2026-01-10', 'Vækstsparring']]));
}

describe.each(dbTargets)('access log on $name', (target) => {
  let h: DbHandle;
  const reader = caller('herning-jc', ['read:registry', 'read:contacts', 'read:crm', 'read:insights']);
  beforeAll(async () => {
    h = await freshDatabase(target);
    await load(h);
  });
  afterAll(async () => h?.close());

  it("writes one row per request with the companies whose contacts it returned, in one statement outside the request's count", async () => {
    const before = (await rows(h)).length;
    const q = graph(h.db, { principal: reader });
    const small = await q(timeline(5));
    const large = await q(timeline(50));
    expect(large.errors).toBeUndefined();
    expect(large.statements).toBe(small.statements);
    expect(small.logStatements).toBe(1);
    expect(large.logStatements).toBe(1);
    const written = (await rows(h)).slice(before);
    expect(written).toHaveLength(2);
    expect(written[0]).toMatchObject({
      caller: 'herning-jc',
      operation: 'Timeline',
      servedBy: 'hub',
      reads: ['contacts', 'names'],
      cvrs: CVRS.slice(0, 5),
      requestId: small.context.requestId,
    });
    expect(written[1]!.cvrs).toEqual(CVRS);
  });

  it('logs nothing for a request that reads no contact entry or name, and nothing that was forbidden', async () => {
    const before = (await rows(h)).length;
    const plain = await graph(h.db, { principal: reader })(`{ company(cvr: "${CVRS[1]}") { name situation { summary } } }`);
    expect(plain.logStatements).toBe(0);
    const refused = await graph(h.db, { principal: caller('registry-only', ['read:registry']) })(
      `{ company(cvr: "${CVRS[1]}") { contacts(first: 1) { totalCount } } }`,
    );
    expect(refused.data.company.contacts).toBeNull();
    expect(refused.logStatements).toBe(0);
    expect((await rows(h)).length).toBe(before);
  });

  it("logs advisors' names and meetings, and a contact written and read back", async () => {
    const before = (await rows(h)).length;
    await graph(h.db, { principal: reader })(
      `query Growth { company(cvr: "${CVRS[0]}") { growth { meetings(first: 1) { edges { node { date advisor { name } } } } } } }`,
    );
    const writer = caller('herning-writer', ['write:contacts'], ['Jobcenter Herning']);
    await graph(h.db, { principal: writer })(RECORD, { input: contactInput('w-1', CVRS[2]!) });
    const written = (await rows(h)).slice(before);
    expect(written.map((r) => [r.caller, r.operation, r.reads, r.cvrs])).toEqual([
      ['herning-jc', 'Growth', ['contacts', 'names'], [CVRS[0]]],
      ['herning-writer', null, ['contacts'], [CVRS[2]]],
    ]);
  });

  it('answers accessLog for admin by company, caller and day', async () => {
    // Counts one caller's requests for a company: a database of its own, where that caller listed the
    // companies once, and only CVRS[30] has a contact to return.
    const own = await ownDatabase(target, async (d) => {
      await ingestText(d.db, 'cvr', ndjson(CVRS.map((cvr) => vrv({ cvr }))));
      await graph(d.db)(RECORD, { input: contactInput(`l-${CVRS[30]}`, CVRS[30]!, { date: '2026-01-05' }) });
    });
    await graph(own.db, { principal: reader })(timeline(50));
    const admin = graph(own.db, { principal: caller('ops', ['admin']) });
    const r = await admin(
      `{ accessLog(cvr: "${CVRS[30]}", caller: "herning-jc", since: "2020-01-01", first: 5) { totalCount edges { node { caller operation servedBy reads cvrs at } } } }`,
    );
    expect(r.errors).toBeUndefined();
    expect(r.data.accessLog.totalCount).toBe(1);
    expect(r.data.accessLog.edges[0].node).toMatchObject({ caller: 'herning-jc', operation: 'Timeline', servedBy: 'hub' });
    expect(r.data.accessLog.edges[0].node.cvrs).toContain(CVRS[30]);
    const none = await admin(`{ accessLog(cvr: "${CVRS[30]}", caller: "someone-else") { totalCount } }`);
    expect(none.data.accessLog.totalCount).toBe(0);
  });

  it('is append-only, and the retention prune alone deletes, entries older than the setting', async () => {
    await expect(sql`UPDATE security.access_log SET caller = 'x'`.execute(h.db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM security.access_log`.execute(h.db)).rejects.toThrow(/append-only/);
    await sql`INSERT INTO security.access_log (at, caller, operation, request_id, served_by, reads, cvrs)
      VALUES (now() - interval '400 days', 'old-caller', 'Old', 'r-old', 'hub', ARRAY['contacts'], ARRAY[${CVRS[0]!}])`.execute(h.db);
    const before = (await rows(h)).length;
    expect(await pruneAccessLog(h.db, 365)).toBe(1);
    const after = await rows(h);
    expect(after.length).toBe(before - 1);
    expect(after.some((r) => r.caller === 'old-caller')).toBe(false);
  });
});
