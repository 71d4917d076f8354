import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HubInUse, openHub } from '../src/hub.js';
import { migratedDataDir } from './helpers/db.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'indgang-hub-'));

describe('the embedded database folder has one user at a time', { timeout: 300_000 }, () => {
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('refuses a second opener while the folder is open, and opens again once it is closed', async () => {
    const data = await migratedDataDir(path.join(dir, 'data'));
    const hub = await openHub({ dataDir: data });
    try {
      await expect(openHub({ dataDir: data })).rejects.toThrow(HubInUse);
    } finally {
      await hub.close();
    }
    const again = await openHub({ dataDir: data });
    await again.close();
  });

  it('does not keep a folder the engine cannot open locked: the next try meets the same fault', async () => {
    const broken = path.join(dir, 'broken');
    fs.mkdirSync(broken);
    // A data folder of a Postgres version this engine does not run.
    fs.writeFileSync(path.join(broken, 'PG_VERSION'), '99\n');
    for (let attempt = 0; attempt < 2; attempt++) {
      const failure = await openHub({ dataDir: broken }).then(
        () => null,
        (e: Error) => e,
      );
      expect(failure).toBeInstanceOf(Error);
      expect(failure).not.toBeInstanceOf(HubInUse);
    }
  });
});
