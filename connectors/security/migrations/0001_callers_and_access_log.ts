import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE SCHEMA IF NOT EXISTS security`.execute(db);
  // API keys: only a SHA-256 hash of each key is kept (keys are 32 random bytes, so a plain hash suffices).
  await sql`
    CREATE TABLE security.caller (
      name text PRIMARY KEY CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
      key_hash text NOT NULL UNIQUE,
      key_hint text NOT NULL,
      organisations text[] NOT NULL,
      scopes text[] NOT NULL,
      rate_limit integer CHECK (rate_limit > 0),
      created_at timestamptz NOT NULL DEFAULT now(),
      revoked_at timestamptz
    )`.execute(db);
  // One row per request (per serving process) that read contact entries or personal names.
  await sql`
    CREATE TABLE security.access_log (
      id bigserial PRIMARY KEY,
      at timestamptz NOT NULL DEFAULT now(),
      caller text NOT NULL,
      operation text,
      request_id text NOT NULL,
      served_by text NOT NULL,
      reads text[] NOT NULL,
      cvrs text[] NOT NULL
    )`.execute(db);
  await sql`CREATE INDEX access_log_cvrs ON security.access_log USING gin (cvrs)`.execute(db);
  await sql`CREATE INDEX access_log_at ON security.access_log (at)`.execute(db);
  await sql`CREATE INDEX access_log_caller ON security.access_log (caller, at)`.execute(db);
  // Append-only: rows are never changed, and deleted only by the retention prune, which says so first.
  await sql`
    CREATE FUNCTION security.access_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'DELETE' AND current_setting('indgang.access_log_prune', true) = 'on' THEN
        RETURN OLD;
      END IF;
      RAISE EXCEPTION 'security.access_log is append-only (% refused)', TG_OP;
    END $$`.execute(db);
  await sql`
    CREATE TRIGGER access_log_append_only BEFORE UPDATE OR DELETE ON security.access_log
    FOR EACH ROW EXECUTE FUNCTION security.access_log_append_only()`.execute(db);
  await sql`
    CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON security.access_log
    FOR EACH STATEMENT EXECUTE FUNCTION security.access_log_append_only()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP SCHEMA security CASCADE`.execute(db);
}
