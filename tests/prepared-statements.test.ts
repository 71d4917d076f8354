import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DbHandle } from '../src/db/database.js';
import { MAX_PARAMETERS, NAMED_FROM_USE } from '../src/db/prepared.js';
import { freshDatabase, type TestDb } from './helpers/db.js';

const onPostgres = Boolean(process.env.TEST_DATABASE_URL);

/** Named prepared statements (src/db/prepared.ts) exist only on Postgres; PGlite plans in process. */
describe.skipIf(!onPostgres)('prepared statements on Postgres', () => {
  let h: TestDb;
  let one: DbHandle;
  beforeAll(async () => {
    h = await freshDatabase({ name: 'postgres' });
    // One connection, so every statement below meets the statements the earlier ones prepared.
    one = await openDatabase({ databaseUrl: h.url!, poolSize: 1 });
    await sql`CREATE TABLE public.prep_probe (id int PRIMARY KEY, label text)`.execute(one.db);
    await sql`INSERT INTO public.prep_probe VALUES (1, 'a'), (2, 'b')`.execute(one.db);
  });
  afterAll(async () => {
    await one?.close();
    await h?.close();
  });

  const probe = (id: number) => sql<Record<string, unknown>>`SELECT * FROM public.prep_probe WHERE id = ${id}`.execute(one.db);
  /** Uses the probe's text until it is named. */
  const named = async () => {
    for (let i = 0; i < NAMED_FROM_USE; i++) await probe(1);
  };
  const prepared = async () =>
    (await sql<{ statement: string }>`SELECT statement FROM pg_prepared_statements`.execute(one.db)).rows.map((r) => r.statement);

  it('prepares a statement once per connection from its third use, and reuses it for other parameters', async () => {
    const mine = async () => (await prepared()).filter((s) => s.includes('prep_probe WHERE id'));
    expect((await probe(1)).rows).toEqual([{ id: 1, label: 'a' }]);
    expect((await probe(2)).rows).toEqual([{ id: 2, label: 'b' }]);
    expect(await mine()).toEqual([]);
    await named();
    expect((await probe(2)).rows).toEqual([{ id: 2, label: 'b' }]);
    expect(await mine()).toHaveLength(1);
  });

  it('leaves a text without parameters unnamed (pg sends it by the simple protocol)', async () => {
    for (let i = 0; i <= NAMED_FROM_USE; i++) await sql`SELECT count(*) FROM public.prep_probe`.execute(one.db);
    expect((await prepared()).filter((s) => s.includes('count(*)'))).toEqual([]);
  });

  it('leaves a spelled-out list unnamed, as its text changes with its length', async () => {
    const ids = Array.from({ length: MAX_PARAMETERS + 1 }, (_, i) => i);
    const r = await one.db
      .selectFrom('public.prep_probe' as never)
      .select(sql`id`.as('id'))
      .where(sql.ref('id'), 'in', ids)
      .execute();
    expect(r).toHaveLength(2);
    expect((await prepared()).filter((s) => s.includes(' in ('))).toEqual([]);
  });

  it('runs a prepared SELECT * again after a migration changed its table under the running process', async () => {
    await named();
    await sql`ALTER TABLE public.prep_probe ADD COLUMN added int`.execute(h.db);
    // Postgres refuses the old plan (0A000, "cached plan must not change result type"); the client runs it again.
    expect((await probe(1)).rows).toEqual([{ id: 1, label: 'a', added: null }]);
    expect((await probe(2)).rows).toEqual([{ id: 2, label: 'b', added: null }]);
  });

  it("sends a transaction's statements unnamed, planned for their own parameters", async () => {
    // Prepared before the table changes: named, the same text would meet its stale plan inside the transaction.
    await named();
    await sql`ALTER TABLE public.prep_probe ADD COLUMN later int`.execute(h.db);
    const inside = await one.db.transaction().execute(async (tx) => {
      await sql`SELECT count(*) FROM public.prep_probe WHERE id > ${0}`.execute(tx);
      return sql`SELECT * FROM public.prep_probe WHERE id = ${1}`.execute(tx);
    });
    expect(inside.rows).toEqual([{ id: 1, label: 'a', added: null, later: null }]);
    expect((await prepared()).filter((s) => s.includes('count(*)'))).toEqual([]);
  });
});
