import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openHub } from '../src/hub.js';
import { serveAdminSocket } from '../src/cli/admin-socket.js';
import { graph, ingestText } from './helpers/graph.js';
import { ndjson, testCvr, vrv } from './helpers/cvr.js';
import { migratedDataDir } from './helpers/db.js';
import { caller } from './helpers/security.js';
import { contactInput, RECORD } from './helpers/insights.js';
import { runIndgang } from './helpers/cli.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'indgang-callers-'));

const indgang = (dataDir: string, ...args: string[]) =>
  runIndgang({ ...process.env, INDGANG_DATA_DIR: dataDir, DATABASE_URL: '' }, ...args);

// Each command starts a process with its own embedded database: minutes per command on a busy 2-core machine.
// The tests share nothing (a database each), so they run at once.
describe('indgang callers and access-log (embedded database)', { timeout: 600_000, concurrent: true }, () => {
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  let databases = 0;
  /** An embedded database of the test's own (a copy of the run's migrated template). */
  const freshData = () => migratedDataDir(path.join(dir, `data-${++databases}`));
  const addHerning = (data: string) =>
    indgang(
      data,
      'callers',
      'add',
      '--name',
      'herning-jc',
      '--organisation',
      'Jobcenter Herning',
      '--organisation',
      'Jobcenter Ikast-Brande',
      '--scopes',
      'read:registry,read:jobcentre,read:contacts,write:contacts',
      '--rate-limit',
      '600',
    );

  it('adds a caller, printing its key alone on standard output, and refuses unknown scopes with exit code 2', async () => {
    const data = freshData();
    const bad = await indgang(data, 'callers', 'add', '--name', 'x', '--scopes', 'read:registry,read:everything');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown scope "read:everything"');
    expect(bad.stdout).toBe('');
    const r = await addHerning(data);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^indgang_[A-Za-z0-9_-]{43}\n$/);
  });

  it('lists callers without their keys, and revokes', async () => {
    const data = freshData();
    expect((await addHerning(data)).code).toBe(0);
    const list = await indgang(data, 'callers', 'list', '--json');
    const [c] = JSON.parse(list.stdout);
    expect(c).toMatchObject({
      name: 'herning-jc',
      organisations: ['Jobcenter Herning', 'Jobcenter Ikast-Brande'],
      scopes: ['read:registry', 'read:jobcentre', 'read:contacts', 'write:contacts'],
      rateLimit: 600,
      revokedAt: null,
    });
    expect(c.keyHint).toMatch(/^indgang_.{4}…$/);
    expect(list.stdout).not.toMatch(/key_hash|keyHash|indgang_[A-Za-z0-9_-]{43}/);
    expect((await indgang(data, 'callers', 'revoke', 'herning-jc')).stdout).toBe('caller herning-jc revoked\n');
    expect(JSON.parse((await indgang(data, 'callers', 'list', '--json')).stdout)[0].revokedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    const unknown = await indgang(data, 'callers', 'revoke', 'nobody');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no caller named "nobody"');
  });

  it('refuses a bad CVR or date in access-log with exit code 2', async () => {
    const data = freshData();
    const cvr = await indgang(data, 'access-log', '--cvr', '12345678');
    expect(cvr.code).toBe(2);
    expect(cvr.stderr).toContain('12345678 is not a valid CVR: the CVR number fails its modulus-11 check');
    expect((await indgang(data, 'access-log', '--since', '2026-13-01')).code).toBe(2);
  });

  it('runs callers and access-log through the serving process while it holds the embedded database', async () => {
    const served = path.join(dir, 'served');
    const hub = await openHub({ dataDir: served });
    const stop = await serveAdminSocket(hub.db, served);
    try {
      await ingestText(hub.db, 'cvr', ndjson([vrv({ cvr: testCvr(1) }), vrv({ cvr: testCvr(2) })]));
      const add = await indgang(
        served,
        'callers',
        'add',
        '--name',
        'aarhus-jc',
        '--organisation',
        'Jobcenter Aarhus',
        '--scopes',
        'read:contacts,write:contacts',
      );
      expect(add.code).toBe(0);
      expect(add.stdout).toMatch(/^indgang_[A-Za-z0-9_-]{43}\n$/);
      expect((await indgang(served, 'callers', 'add', '--name', 'y', '--scopes', 'nope')).code).toBe(2);
      const who = caller('aarhus-jc', ['read:contacts', 'write:contacts'], ['Jobcenter Aarhus']);
      await graph(hub.db, { principal: who })(RECORD, { input: contactInput('c-1', testCvr(2), { organisation: 'Jobcenter Aarhus' }) });
      await graph(hub.db, { principal: who })(
        `query Timeline { company(cvr: "${testCvr(2)}") { contacts(first: 5) { edges { node { consultant } } } } }`,
      );
      const log = await indgang(served, 'access-log', '--cvr', testCvr(2), '--caller', 'aarhus-jc');
      expect(log.code).toBe(0);
      const lines = log.stdout.trim().split('\n');
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatch(
        new RegExp(`^\\d{4}-\\d{2}-\\d{2}T\\S+\\s+aarhus-jc\\s+Timeline\\s+hub\\s+contacts\\+names\\s+${testCvr(2)}$`),
      );
      const json = JSON.parse((await indgang(served, 'access-log', '--cvr', testCvr(1), '--json')).stdout);
      expect(json).toEqual([]);
    } finally {
      await stop();
      await hub.close();
    }
  });
});
