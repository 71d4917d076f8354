import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { openDatabase } from './database.js';
import { StatementCounter } from './counting.js';

it('counts raw SQL and query-builder statements alike', async () => {
  const h = await openDatabase({});
  const counter = new StatementCounter();
  const db = h.db.withPlugin(counter);
  await sql`SELECT 1`.execute(db);
  await db
    .selectFrom(sql`(SELECT 1 AS x)`.as('t') as any)
    .selectAll()
    .execute();
  await h.db.selectNoFrom(sql`1`.as('y')).execute();
  expect(counter.count).toBe(2);
  await h.close();
});
