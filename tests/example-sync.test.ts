import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../src/db/database.js';
import { connectors } from '../src/connectors.js';
import { mergedSchema } from '../src/graphql/schema.js';
import { startHttpServer, type RunningServer } from '../src/server/http.js';
import { syncChanges, type ChangedCompany } from '../examples/sync-changes.js';
import { createClient, CompanyProfileDocument, IndgangError } from '../clients/typescript/src/index.js';
import { dbTargets, freshDatabase } from './helpers/db.js';
import { ingestText } from './helpers/graph.js';
import { ndjson, testCvr, vrv } from './helpers/cvr.js';

describe.each(dbTargets)('the example sync job and the typed client against a served hub on $name', (target) => {
  let h: DbHandle;
  let server: RunningServer;
  let dir: string;
  beforeAll(async () => {
    h = await freshDatabase(target);
    await ingestText(h.db, 'cvr', ndjson([1, 2, 3].map((n) => vrv({ cvr: testCvr(n), name: `Firma ${n} ApS` }))));
    server = await startHttpServer({ schema: mergedSchema(connectors), db: h.db, port: 0, production: false, sandbox: false });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'indgang-sync-'));
  });
  afterAll(async () => {
    await server?.stop();
    await h?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('pulls every company once, keeps its last sequence, and then only what changed', async () => {
    const stateFile = path.join(dir, 'state.json');
    const seen: ChangedCompany[] = [];
    const first = await syncChanges({ url: server.url, stateFile, pageSize: 2, onCompany: (c) => void seen.push(c) });
    expect(first.changed).toBe(3);
    expect(seen.map((c) => c.cvr).sort()).toEqual([1, 2, 3].map(testCvr).sort());
    const sequences = seen.map((c) => Number(c.changeSequence));
    expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
    const saved = JSON.parse(fs.readFileSync(stateFile, 'utf8'));
    expect(saved.lastSequence).toBe(seen.at(-1)!.changeSequence);

    const again = await syncChanges({ url: server.url, stateFile });
    expect(again.changed).toBe(0);

    await ingestText(h.db, 'cvr', ndjson([vrv({ cvr: testCvr(2), name: 'Firma 2 Omdøbt ApS' })]));
    const later: ChangedCompany[] = [];
    const third = await syncChanges({ url: server.url, stateFile, onCompany: (c) => void later.push(c) });
    expect(third.changed).toBe(1);
    expect(later[0]).toMatchObject({ cvr: testCvr(2), name: 'Firma 2 Omdøbt ApS' });
    expect(Number(later[0]!.changeSequence)).toBeGreaterThan(Number(saved.lastSequence));
  });

  it('types results and names the request of an error', async () => {
    const client = createClient({ url: server.url });
    const { company } = await client.request(CompanyProfileDocument, { cvr: testCvr(1) });
    expect(company?.name).toBe('Firma 1 ApS');
    const error = await client.request(CompanyProfileDocument, { cvr: '12345678' }).catch((e) => e);
    expect(error).toBeInstanceOf(IndgangError);
    expect(error.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(error.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });
});
