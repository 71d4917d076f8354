import { sql, type Kysely } from 'kysely';

// Webhook subscriptions to the change feed and their deliveries (batches of changes POSTed, signed).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE insights.webhook (
      id bigserial PRIMARY KEY,
      caller text,
      url text NOT NULL,
      sections text[] NOT NULL DEFAULT '{}',
      municipality_code text,
      secret text NOT NULL,
      last_sequence bigint NOT NULL,
      active boolean NOT NULL DEFAULT true,
      failures integer NOT NULL DEFAULT 0,
      disabled_reason text,
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`
    CREATE TABLE insights.webhook_delivery (
      id bigserial PRIMARY KEY,
      webhook_id bigint NOT NULL REFERENCES insights.webhook (id) ON DELETE CASCADE,
      first_sequence bigint NOT NULL,
      last_sequence bigint NOT NULL,
      changes integer NOT NULL,
      payload text NOT NULL,
      status text NOT NULL DEFAULT 'PENDING',
      attempts integer NOT NULL DEFAULT 0,
      last_status_code integer,
      last_error text,
      next_attempt_at timestamptz NOT NULL DEFAULT now(),
      last_attempt_at timestamptz,
      delivered_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX webhook_delivery_due ON insights.webhook_delivery (next_attempt_at) WHERE status = 'PENDING'`.execute(db);
  await sql`CREATE INDEX webhook_delivery_webhook ON insights.webhook_delivery (webhook_id, id DESC)`.execute(db);
}
