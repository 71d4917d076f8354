import type pg from 'pg';

/** Waits until no session is connected to the database (a pool's end() resolves before its sockets have closed). */
export async function waitForNoSessions(admin: pg.Client, name: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const open = await admin.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [name]);
    if (open.rows[0].n === 0) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Drops a database once its sessions are gone: a forced drop would cut closing clients off mid-close
 * (an uncaught "terminating connection" on an orphaned client); FORCE only ends what lingers.
 */
export async function dropWhenIdle(admin: pg.Client, name: string): Promise<void> {
  await waitForNoSessions(admin, name);
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}
