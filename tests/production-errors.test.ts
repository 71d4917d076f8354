import { beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../src/db/database.js';
import { dbTargets, freshDatabase } from './helpers/db.js';
import { graph } from './helpers/graph.js';

describe.each(dbTargets)('faults in production mode on $name', (target) => {
  // Opened in a hook: a fresh database can take longer than a test's time on a busy machine.
  let h: DbHandle;
  beforeAll(async () => {
    h = await freshDatabase(target);
  });

  it('reach the client as a bare message without internals', async () => {
    const prod = graph(h.db, { production: true });
    const dev = graph(h.db, { production: false });
    await h.close();
    const r = await prod(`{ companies(first: 5) { totalCount } }`);
    expect(r.errors![0]).toMatchObject({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(JSON.stringify(r.errors)).not.toMatch(/stacktrace|destroyed|at /);
    const d = await dev(`{ companies(first: 5) { totalCount } }`);
    expect(d.errors![0]!.extensions!.stacktrace).toBeDefined();
  });
});
