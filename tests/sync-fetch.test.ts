import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allSources } from '../src/connectors.js';
import type { Db, DbHandle } from '../src/db/database.js';
import { parseSyncConfig, type SyncConfig } from '../src/sync/config.js';
import { runSync } from '../src/sync/run.js';
import { stateOf } from '../src/sync/state.js';
import { dbTargets, freshDatabase, ownDatabase } from './helpers/db.js';
import { testCvr, vrv } from './helpers/cvr.js';
import { elasticsearch, fakeServer, type FakeServer } from './helpers/fake-servers.js';

const SOURCES = allSources.map((s) => s.name);
const ENV = { CVR_USER: 'indgang', CVR_PASSWORD: 'hemmelig', CRM_TOKEN: 'tok' };

/** A checked sync configuration (the tests go through the same validation as the server). */
function syncOf(raw: Record<string, unknown>): SyncConfig {
  const r = parseSyncConfig({ syncs: [{ retry: { attempts: 3, baseMs: 5, timeoutMs: 400 }, ...raw }] }, SOURCES, ENV);
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.syncs[0]!;
}

const company = (n: number, updated: string) => ({ Vrvirksomhed: vrv({ cvr: testCvr(500 + n), updated }) as any });
const stamp = (day: number) => `2026-05-${String(day).padStart(2, '0')}T10:00:00.000+02:00`;

describe('the sync configuration', () => {
  it('names every wrong field with its sync, never throws', () => {
    const r = parseSyncConfig(
      {
        syncs: [
          {
            name: 'cvr',
            source: 'cvr-x',
            schedule: '0 3 * * *',
            fetch: { kind: 'es-scroll', url: 'http://h/cvr', cursorField: 'a', usernameEnv: 'NO_SUCH_USER', passwordEnv: 'NO_SUCH_PW' },
          },
          { name: 'jobs', source: 'jobnet', schedule: 'every day', fetch: { kind: 'paged-json', url: 'ftp://x' } },
          { name: 'crm', source: 'crm-programmes', fetch: { kind: 'soap', url: 'http://x' } },
          { name: 'files', source: 'cvr', fetch: { kind: 'file', glob: '/tmp/*.json', extra: 1 } },
        ],
      },
      SOURCES,
      {},
    );
    expect(r.ok).toBe(false);
    const errors = (r as { errors: string[] }).errors;
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^sync cvr: source: unknown source "cvr-x"/),
        'sync cvr: fetch.usernameEnv: environment variable NO_SUCH_USER is not set',
        'sync cvr: fetch.passwordEnv: environment variable NO_SUCH_PW is not set',
        expect.stringMatching(/^sync jobs: schedule: not a cron expression/),
        'sync jobs: fetch.url: must be an http(s) URL',
        expect.stringMatching(/^sync crm: fetch.kind: /),
        expect.stringMatching(/^sync files: fetch: .*extra/),
      ]),
    );
    expect(parseSyncConfig({ sync: [] }, SOURCES, {})).toEqual({
      ok: false,
      errors: expect.arrayContaining([expect.stringMatching(/syncs/)]),
    });
  });
});

describe.each(dbTargets)('sync fetch kinds on $name', (target) => {
  let h: DbHandle;
  let es: FakeServer;
  let docs: object[] = [];
  const companies = async (db: Db) =>
    Number((await sql<{ n: number }>`SELECT count(*)::int AS n FROM registry.company`.execute(db)).rows[0]!.n);

  beforeAll(async () => {
    h = await freshDatabase(target);
    es = await fakeServer(elasticsearch(() => docs, 'Vrvirksomhed.sidstOpdateret'));
  });
  afterAll(async () => {
    await es?.close();
    await h?.close();
  });

  const cvrSync = () =>
    syncOf({
      name: 'cvr',
      source: 'cvr',
      schedule: '0 3 * * *',
      fetch: {
        kind: 'es-scroll',
        url: `${es.url}/cvr-permanent/virksomhed`,
        cursorField: 'Vrvirksomhed.sidstOpdateret',
        pageSize: 2,
        usernameEnv: 'CVR_USER',
        passwordEnv: 'CVR_PASSWORD',
      },
    });

  // The CVR tests count the register's companies and start from no cursor: each has a database of its own.
  it('es-scroll: a failed sync commits neither rows nor cursor; the next run picks up from the old cursor', async () => {
    const { db } = await ownDatabase(target);
    docs = [1, 2, 3, 4, 5].map((n) => company(n, stamp(n)));
    // The first page loads, then every scroll request fails: nothing of the run commits.
    es.faults.push(
      { path: '/_search/scroll', fault: '500' },
      { path: '/_search/scroll', fault: '500' },
      { path: '/_search/scroll', fault: '500' },
    );
    const failed = await runSync(db, cvrSync(), ENV);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/_search\/scroll: HTTP 500 \(gave up after 3 attempts\)/);
    expect(await companies(db)).toBe(0);
    const state = await stateOf(db, 'cvr');
    expect(state).toMatchObject({ cursor: null, lastError: expect.stringMatching(/HTTP 500/), lastSucceededAt: null });
    expect(state!.lastFailedAt).toBeInstanceOf(Date);
  });

  it('es-scroll: retries a 500, a timeout and a body cut off, restarts an expired scroll, and keeps the cursor with the rows', async () => {
    const { db } = await ownDatabase(target);
    docs = [1, 2, 3, 4, 5].map((n) => company(n, stamp(n)));
    es.requests.length = 0;
    es.faults.push(
      { path: '/cvr-permanent', fault: '500' },
      { path: '/_search/scroll', fault: 'cut' },
      { path: '/_search/scroll', fault: 'hang' },
      { path: '/_search/scroll', fault: 'expire' },
    );
    const ok = await runSync(db, cvrSync(), ENV);
    expect(ok).toMatchObject({ status: 'succeeded', cursor: stamp(5) });
    expect(ok.runs[0]).toMatchObject({ status: 'succeeded', rejected: 0 });
    expect(await companies(db)).toBe(5);
    const first = es.requests.find((r) => r.url.startsWith('/cvr-permanent'))!;
    expect(first.headers.authorization).toBe(`Basic ${Buffer.from('indgang:hemmelig').toString('base64')}`);
    expect(first.url).toBe('/cvr-permanent/virksomhed/_search?scroll=1m');
    expect(JSON.parse(first.body).query).toEqual({ match_all: {} });
    expect(es.requests.filter((r) => r.url === '/_search/scroll').length).toBeGreaterThanOrEqual(3);
    const state = await stateOf(db, 'cvr');
    expect(state).toMatchObject({ cursor: stamp(5), lastRunId: ok.runs[0]!.runId, lastError: null });

    // The next run asks only for what changed after the cursor.
    docs.push(company(6, stamp(7)));
    es.requests.length = 0;
    const next = await runSync(db, cvrSync(), ENV);
    expect(next).toMatchObject({ status: 'succeeded', cursor: stamp(7) });
    expect(next.runs[0]).toMatchObject({ read: 1, inserted: 1 });
    expect(JSON.parse(es.requests[0]!.body).query).toEqual({ range: { 'Vrvirksomhed.sidstOpdateret': { gt: stamp(5) } } });
    expect(await companies(db)).toBe(6);
  });

  it('odata: $filter on the modified field after the cursor, following @odata.nextLink, retrying a cut-off page', async () => {
    const cvr = testCvr(501);
    const item = (kind: string, modified: string) => ({
      CVR: cvr,
      Firmanavn: 'Firma',
      Kommune: '657',
      Forløbstype: kind,
      Status: 'Aktiv',
      Startdato: '01-01-2026',
      Kompetenceplan: 'Ja',
      modifiedon: modified,
    });
    const srv = await fakeServer(({ url, headers }) => {
      if (headers.authorization !== 'Bearer tok') return { status: 401, body: { error: 'unauthorised' } };
      if (url.pathname !== '/odata/programmes') return undefined;
      const filter = url.searchParams.get('$filter');
      if (filter) return { body: { value: [item('Digital', '2026-06-02T00:00:00Z')] } };
      if (url.searchParams.get('$skiptoken') === '2') return { body: { value: [item('Vækst', '2026-06-01T00:00:00Z')] } };
      return {
        body: {
          '@odata.context': 'x',
          value: [item('Digital', '2026-05-01T00:00:00Z')],
          '@odata.nextLink': `/odata/programmes?$skiptoken=2`,
        },
      };
    });
    try {
      srv.faults.push({ path: '/odata', fault: 'cut' });
      const s = syncOf({
        name: 'crm-programmes',
        source: 'crm-programmes',
        fetch: { kind: 'odata', url: `${srv.url}/odata/programmes`, cursorField: 'modifiedon', tokenEnv: 'CRM_TOKEN' },
      });
      const ok = await runSync(h.db, s, ENV);
      expect(ok.error).toBeUndefined();
      expect(ok).toMatchObject({ status: 'succeeded', cursor: '2026-06-01T00:00:00Z' });
      expect(ok.runs[0]).toMatchObject({ read: 2, rejected: 0 });
      const again = await runSync(h.db, s, ENV);
      expect(again).toMatchObject({ status: 'succeeded', cursor: '2026-06-02T00:00:00Z' });
      expect(srv.requests.at(-1)!.url).toContain(encodeURIComponent('modifiedon gt 2026-06-01T00:00:00Z').replace(/%20/g, '+'));
    } finally {
      await srv.close();
    }
  });

  it("paged-json: the course search, one query per course number whose subject_code becomes the records' course", async () => {
    const hold = (id: number) => ({
      id,
      holdTitle: 'Kursus',
      institution: 'EUC Syd',
      lokationSted: 'Aabenraa',
      lokationGade: 'Stegholt 35',
      lokationPostNr: '6200',
      startDate: '2026-09-14T00:00:00',
      endDate: '2026-09-15T00:00:00',
      currentParticipantAmount: 3,
    });
    const srv = await fakeServer(({ url }) => {
      if (url.pathname !== '/soeg-api/api/search/hold/searchHold') return undefined;
      const course = url.searchParams.get('subject_code');
      const page = Number(url.searchParams.get('pageCount'));
      const ids = course === '22906' ? [[101, 102], [103]] : [[201]];
      return { body: { holdCardDtos: (ids[page - 1] ?? []).map(hold) } };
    });
    try {
      srv.faults.push({ path: '/soeg-api', fault: '500' });
      const s = syncOf({
        name: 'courses',
        source: 'amu-instances',
        fetch: {
          kind: 'paged-json',
          url: `${srv.url}/soeg-api/api/search/hold/searchHold?type=AMU`,
          pageParam: 'pageCount',
          itemsPath: 'holdCardDtos',
          courseParam: 'subject_code',
          courses: ['22906', '40150'],
        },
      });
      const ok = await runSync(h.db, s, ENV);
      expect(ok.error).toBeUndefined();
      expect(ok.runs.map((r) => [r.read, r.rejected])).toEqual([
        [3, 0],
        [1, 0],
      ]);
      const rows = await sql<{ id: string; course_number: string }>`SELECT id, course_number FROM veu.instance ORDER BY id`.execute(h.db);
      expect(rows.rows.map((r) => [r.id, r.course_number])).toEqual([
        ['101', '22906'],
        ['102', '22906'],
        ['103', '22906'],
        ['201', '40150'],
      ]);
      expect(srv.requests.map((r) => new URL(r.url, 'http://x').searchParams.get('subject_code'))).toEqual([
        '22906',
        '22906',
        '22906',
        '22906',
        '40150',
        '40150',
      ]);
    } finally {
      await srv.close();
    }
  });

  it('http: a file fetched again only when its ETag changed', async () => {
    let etag = '"v1"';
    let text = 'nummer;titel;dage;disco;positivliste\n22906;MIG/MAG-svejsning;5;721200;ja\n';
    const srv = await fakeServer(({ url, headers }) => {
      if (url.pathname !== '/amu/kurser.csv') return undefined;
      if (headers['if-none-match'] === etag) return { status: 304 };
      return { headers: { etag, 'content-type': 'text/csv' }, body: text };
    });
    try {
      const s = syncOf({ name: 'amu-courses', source: 'amu-courses', fetch: { kind: 'http', url: `${srv.url}/amu/kurser.csv` } });
      srv.faults.push({ path: '/amu', fault: 'hang' });
      const first = await runSync(h.db, s, ENV);
      expect(first).toMatchObject({ status: 'succeeded' });
      expect(first.runs[0]).toMatchObject({ read: 1, inserted: 1 });
      const unchanged = await runSync(h.db, s, ENV);
      expect(unchanged).toMatchObject({ status: 'succeeded', runs: [] });
      etag = '"v2"';
      text += '40150;Lagerstyring;2;432100;nej\n';
      const changed = await runSync(h.db, s, ENV);
      expect(changed.runs[0]).toMatchObject({ read: 2, inserted: 1, unchanged: 1 });
      expect(JSON.parse((await stateOf(h.db, 'amu-courses'))!.cursor!)).toMatchObject({ etag: '"v2"' });
    } finally {
      await srv.close();
    }
  });

  it('file: the files of a glob changed after the cursor; a file that fails keeps the cursor before it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sync-files-'));
    const write = (name: string, objs: object[], mtime: Date) => {
      const p = path.join(dir, name);
      fs.writeFileSync(p, objs.map((o) => JSON.stringify(o)).join('\n') + '\n');
      fs.utimesSync(p, mtime, mtime);
    };
    write('a.ndjson', [vrv({ cvr: testCvr(520) })], new Date('2026-05-01T00:00:00Z'));
    write('b.ndjson', [vrv({ cvr: testCvr(521) })], new Date('2026-05-02T00:00:00Z'));
    const s = syncOf({ name: 'cvr-files', source: 'cvr', fetch: { kind: 'file', glob: `${dir}/*.ndjson` } });
    const ok = await runSync(h.db, s, ENV);
    expect(ok).toMatchObject({ status: 'succeeded', cursor: '2026-05-02T00:00:00.000Z' });
    expect(ok.runs).toHaveLength(2);
    expect(await runSync(h.db, s, ENV)).toMatchObject({ status: 'succeeded', runs: [] });
    // A file that is not what the source reads fails the sync; the cursor stays.
    write('c.ndjson', [], new Date('2026-05-03T00:00:00Z'));
    fs.writeFileSync(path.join(dir, 'c.ndjson'), '<html>');
    fs.utimesSync(path.join(dir, 'c.ndjson'), new Date('2026-05-03T00:00:00Z'), new Date('2026-05-03T00:00:00Z'));
    const bad = await runSync(h.db, s, ENV);
    expect(bad.status).toBe('failed');
    expect((await stateOf(h.db, 'cvr-files'))!.cursor).toBe('2026-05-02T00:00:00.000Z');
  });
});
