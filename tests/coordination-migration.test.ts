import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../src/db/database.js';
import { migrateAll } from '../src/db/migrate.js';
import { allMigrations } from '../src/connectors.js';
import * as contacts0001 from '../connectors/coordination/migrations/0001_contacts.js';
import { dbTargets, freshDatabase } from './helpers/db.js';

describe.each(dbTargets)('idempotency keys per caller, migrating existing data, on $name', (target) => {
  let h: DbHandle;
  beforeAll(async () => {
    // A database as it was before the migration: the contact log's first migration only.
    const fresh = await freshDatabase(target);
    await sql`DROP SCHEMA coordination CASCADE`.execute(fresh.db);
    h = fresh;
    await migrateAll(h.db, [{ schema: 'coordination', migrations: { '0001_contacts': contacts0001 } }]);
    await sql`INSERT INTO coordination.contact_version (contact_id, version, cvr, system, organisation, channel, date, topics, status, recorded_by)
      VALUES ('00000000-0000-0000-0000-000000000001', 1, '10103940', 'JOBCENTRE', 'Jobcenter Herning', 'VISIT', '2026-01-02', '{}', 'RECORDED', 'local-developer'),
             ('00000000-0000-0000-0000-000000000002', 1, '10103940', 'VEU', 'AMU Vest', 'PHONE', '2026-01-03', '{}', 'RECORDED', 'ingest run 4')`.execute(
      h.db,
    );
    await sql`INSERT INTO coordination.write_request (idempotency_key, operation, input_hash, contact_id, version)
      VALUES ('k-1', 'record', 'h1', '00000000-0000-0000-0000-000000000001', 1),
             ('contacts-feed:r-9', 'record', 'h2', '00000000-0000-0000-0000-000000000002', 1)`.execute(h.db);
    await migrateAll(h.db, allMigrations);
  });
  afterAll(async () => h?.close());

  it("gives each existing key the caller that wrote it, and the feed's keys the feed", async () => {
    const rows = await h.db
      .selectFrom('coordination.write_request')
      .select(['caller', 'idempotency_key'])
      .orderBy('idempotency_key')
      .execute();
    expect(rows).toEqual([
      { caller: '', idempotency_key: 'contacts-feed:r-9' },
      { caller: 'local-developer', idempotency_key: 'k-1' },
    ]);
    // Two callers may now hold the same key.
    await sql`INSERT INTO coordination.write_request (caller, idempotency_key, operation, input_hash, contact_id, version)
      VALUES ('herning-jc', 'k-1', 'record', 'h3', '00000000-0000-0000-0000-000000000001', 1)`.execute(h.db);
    await expect(
      sql`INSERT INTO coordination.write_request (caller, idempotency_key, operation, input_hash, contact_id, version)
      VALUES ('herning-jc', 'k-1', 'record', 'h4', '00000000-0000-0000-0000-000000000001', 1)`.execute(h.db),
    ).rejects.toThrow();
  });
});
