/**
 * Throwaway databases on a Postgres server, shared by the tests (tests/helpers/db.ts) and the benchmarks
 * (bench/suites/*): a new database with a random name, and a drop that waits for its sessions to go.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export interface ScratchDatabase {
  /** Connection URL of the new database (the admin URL with its path replaced). */
  url: string;
  name: string;
  drop(): Promise<void>;
}

async function admin(adminUrl: string, work: (c: pg.Client) => Promise<void>): Promise<void> {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    await work(c);
  } finally {
    await c.end();
  }
}

/** A new empty database, or a copy of `template` (the tests' migrated template). */
export async function createScratchDatabase(adminUrl: string, prefix: string, template?: string): Promise<ScratchDatabase> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await admin(adminUrl, (c) => c.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`).then(() => undefined));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: () =>
      admin(adminUrl, async (c) => {
        // A pool's end() resolves before its sockets have closed; a forced drop would cut them off mid-close
        // (an uncaught "terminating connection" on an orphaned client). Wait for the sessions to go first.
        for (let i = 0; i < 50; i++) {
          const open = await c.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [name]);
          if (open.rows[0].n === 0) break;
          await new Promise((r) => setTimeout(r, 100));
        }
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      }),
  };
}
