import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../src/db/database.js';
import { dbTargets, freshDatabase } from './helpers/db.js';
import { graph, ingestText } from './helpers/graph.js';
import { ndjson, testCvr, vrv } from './helpers/cvr.js';
import { caller } from './helpers/security.js';
import { contactInput, feed, meetings, RECORD } from './helpers/insights.js';
import { csv } from './helpers/crm.js';

const CVR = testCvr(1);

const forbidden = (errors: readonly any[] | undefined) =>
  (errors ?? []).map((e) => ({ path: e.path.join('.'), code: e.extensions.code, missing: e.extensions.missingScopes }));

describe.each(dbTargets)('field scopes on $name', (target) => {
  let h: DbHandle;
  beforeAll(async () => {
    h = await freshDatabase(target);
    await ingestText(h.db, 'cvr', ndjson([vrv({ cvr: CVR, name: 'Herning Stål ApS' }), vrv({ cvr: testCvr(2), name: 'Ikast Træ ApS' })]));
    await feed(
      h.db,
      'crm-accounts',
      csv(
        ['CVR', 'Firmanavn', 'Kommune', 'Rådgiver', 'Kontor', 'Segment', 'Kunde_siden'],
        [[CVR, 'Herning Stål ApS', 'Herning', 'Ole Olsen', 'Herning', 'Vækst', '2024-01-01']],
      ),
    );
    await feed(h.db, 'crm-meetings', meetings([[CVR, '2026-01-10', 'Vækstsparring']]));
    await graph(h.db)(RECORD, { input: contactInput('s-1', CVR, { date: '2026-01-12' }) });
  });
  afterAll(async () => h?.close());

  it('nulls a field the caller may not see, with FORBIDDEN naming the missing scope at its path, and keeps the rest', async () => {
    const q = graph(h.db, { principal: caller('registry-only', ['read:registry']) });
    const r = await q(`{ company(cvr: "${CVR}") { cvr name municipality { name }
      recruitment { layoffNotices { date } } growth { programmes { kind } } upskilling { participantsLast12Months }
      contacts(first: 5) { totalCount } situation { summary } changeSequence } }`);
    expect(r.data.company).toEqual({
      cvr: CVR,
      name: 'Herning Stål ApS',
      municipality: { name: 'Herning' },
      recruitment: null,
      growth: null,
      upskilling: null,
      contacts: null,
      situation: null,
      changeSequence: null,
    });
    expect(forbidden(r.errors)).toEqual([
      { path: 'company.recruitment', code: 'FORBIDDEN', missing: ['read:jobcentre'] },
      { path: 'company.growth', code: 'FORBIDDEN', missing: ['read:crm'] },
      { path: 'company.upskilling', code: 'FORBIDDEN', missing: ['read:veu'] },
      { path: 'company.contacts', code: 'FORBIDDEN', missing: ['read:contacts'] },
      { path: 'company.situation', code: 'FORBIDDEN', missing: ['read:insights'] },
      { path: 'company.changeSequence', code: 'FORBIDDEN', missing: ['read:insights'] },
    ]);
    expect(r.errors![0]!.message).toBe('Company.recruitment needs the scope read:jobcentre, which caller "registry-only" does not have');
  });

  it('keeps the register from a caller without read:registry, but lets it reach its own sections by CVR', async () => {
    const q = graph(h.db, { principal: caller('crm-only', ['read:crm']) });
    const r = await q(`{ company(cvr: "${CVR}") { cvr name growth { account { segment } } } }`);
    expect(r.data.company).toEqual({ cvr: CVR, name: null, growth: { account: { segment: 'Vækst' } } });
    expect(forbidden(r.errors)).toEqual([{ path: 'company.name', code: 'FORBIDDEN', missing: ['read:registry'] }]);
  });

  it("hides advisors' and consultants' names without read:contacts, and only them", async () => {
    const q = graph(h.db, { principal: caller('crm-reader', ['read:registry', 'read:crm']) });
    const r = await q(
      `{ company(cvr: "${CVR}") { growth { account { advisor { name office } segment } meetings(first: 5) { edges { node { date advisor { name } } } } } } }`,
    );
    expect(r.data.company.growth).toEqual({
      account: { advisor: { name: null, office: 'Herning' }, segment: 'Vækst' },
      meetings: { edges: [{ node: { date: '2026-01-10', advisor: { name: null } } }] },
    });
    expect(forbidden(r.errors)).toEqual([
      { path: 'company.growth.account.advisor.name', code: 'FORBIDDEN', missing: ['read:contacts'] },
      { path: 'company.growth.meetings.edges.0.node.advisor.name', code: 'FORBIDDEN', missing: ['read:contacts'] },
    ]);
  });

  it('nulls a forbidden root field and answers the others', async () => {
    const q = graph(h.db, { principal: caller('registry-only', ['read:registry']) });
    const r = await q(
      `{ courses(first: 1) { totalCount } unmatchedCrmRecords { totalCount } company(cvr: "${CVR}") { name } viewer { name scopes } }`,
    );
    expect(r.data).toEqual({
      courses: null,
      unmatchedCrmRecords: null,
      company: { name: 'Herning Stål ApS' },
      viewer: { name: 'registry-only', scopes: ['read:registry'] },
    });
    expect(forbidden(r.errors).map((e) => e.path)).toEqual(['courses', 'unmatchedCrmRecords']);
  });

  it('lists companies by register facts with read:registry, and by derived facts only with read:insights', async () => {
    const registry = graph(h.db, { principal: caller('registry-only', ['read:registry']) });
    const list = await registry(`{ companies(first: 5, filter: { municipality: "657" }) { totalCount edges { node { name } } } }`);
    expect(list.errors).toBeUndefined();
    expect(list.data.companies.totalCount).toBe(2);
    const derived = await registry(
      `{ companies(first: 5, filter: { signals: [HARD_TO_FILL_VACANCY] }, orderBy: OPEN_VACANCIES_DESC) { totalCount } }`,
    );
    expect(derived.data).toEqual({ companies: null });
    expect(forbidden(derived.errors)).toEqual([{ path: 'companies', code: 'FORBIDDEN', missing: ['read:insights'] }]);
    expect(derived.errors![0]!.message).toContain('filter.signals, orderBy: OPEN_VACANCIES_DESC');
    const neither = await graph(h.db, { principal: caller('veu-only', ['read:veu']) })(`{ companies(first: 1) { totalCount } }`);
    expect(neither.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', requiredScopes: [['read:registry'], ['read:insights']] });
    const insights = await graph(h.db, { principal: caller('analytics', ['read:insights']) })(
      `{ companies(first: 5, orderBy: OPEN_VACANCIES_DESC) { totalCount } }`,
    );
    expect(insights.data.companies.totalCount).toBe(2);
  });

  it('refuses writes without write:contacts', async () => {
    const q = graph(h.db, { principal: caller('reader', ['read:registry', 'read:contacts'], ['Jobcenter Herning']) });
    const r = await q(RECORD, { input: contactInput('s-2', CVR) });
    expect(r.data).toEqual({ contactRecord: null });
    expect(forbidden(r.errors)).toEqual([{ path: 'contactRecord', code: 'FORBIDDEN', missing: ['write:contacts'] }]);
  });

  it('keeps the access log and the callers for admin', async () => {
    const r = await graph(h.db, { principal: caller('reader', ['read:registry', 'read:contacts']) })(
      `{ accessLog(cvr: "${CVR}") { totalCount } callers { name } }`,
    );
    expect(r.data).toEqual({ accessLog: null, callers: null });
    expect(forbidden(r.errors).map((e) => e.missing)).toEqual([['admin'], ['admin']]);
  });

  it('allows introspection in development, and in production only to admin', async () => {
    const intro = `{ __schema { queryType { name } } }`;
    const reader = caller('reader', ['read:registry']);
    expect((await graph(h.db, { principal: reader })(intro)).data).toEqual({ __schema: { queryType: { name: 'Query' } } });
    const refused = await graph(h.db, { principal: reader, production: true })(intro);
    expect(refused.data).toBeUndefined();
    expect(refused.errors![0]).toMatchObject({
      message: 'introspection needs the scope admin in production',
      extensions: { code: 'FORBIDDEN' },
    });
    const admin = await graph(h.db, { principal: caller('ops', ['admin']), production: true })(intro);
    expect(admin.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
    // __typename is not introspection.
    expect((await graph(h.db, { principal: reader, production: true })(`{ __typename }`)).data).toEqual({ __typename: 'Query' });
  });
});
