import { sql } from 'kysely';
import type { Db } from '../../../src/db/database.js';
import type { DeriveContext } from './context.js';
import { recognised, timelineContributions } from './contributions.js';

// Columns of insights.contact_event in the order every contribution's SELECT yields them (src/timeline.ts).
const COLUMN_LIST = [
  'cvr',
  'date',
  'system',
  'kind',
  'source',
  'source_key',
  'organisation',
  'consultant',
  'channel',
  'topics',
  'summary',
  'follow_up_on',
  'referred_to',
];
const COLUMNS = sql.raw(COLUMN_LIST.join(', '));

/**
 * Brings the scope's timeline entries up to date from the given sources (each connector's timeline
 * contributions, src/timeline.ts); for companies new to the insights, from every source; for companies
 * that moved, the municipality-named ones too. The entries
 * are derived into a temporary table and compared with the stored ones, so only new, changed and gone
 * entries are written: a rebuild that finds nothing new rewrites no entry. Four statements whatever the
 * scope's size.
 */
export async function deriveEvents(tx: Db, c: DeriveContext, sources: readonly string[]): Promise<void> {
  const contributions = timelineContributions();
  const namedByMunicipality = contributions.filter((t) => t.namedByMunicipality).map((t) => t.source);
  const parts = contributions.map((t) => {
    const who = sources.includes(t.source) ? sql`true` : t.namedByMunicipality ? sql`s.moved` : sql`s.fresh`;
    return t.select({ who, settings: c.cfg.timeline, places: c.places, recognised: (system, name) => recognised(system, name) });
  });
  await sql`DROP TABLE IF EXISTS pg_temp.insights_events`.execute(tx);
  await sql`CREATE TEMP TABLE insights_events ON COMMIT DROP AS SELECT * FROM insights.contact_event WITH NO DATA`.execute(tx);
  if (parts.length) await sql`INSERT INTO insights_events (${COLUMNS}) ${sql.join(parts, sql` UNION ALL `)}`.execute(tx);
  await sql`
    DELETE FROM insights.contact_event e USING insights_scope s
    WHERE e.cvr = s.cvr
      AND (s.fresh OR e.source = ANY(${[...sources]}::text[]) OR (s.moved AND e.source = ANY(${namedByMunicipality}::text[])))
      AND NOT EXISTS (SELECT 1 FROM insights_events n WHERE n.source = e.source AND n.source_key = e.source_key)`.execute(tx);
  // A record that moved to another company (a re-matched CRM row) takes its entry along.
  await sql`
    INSERT INTO insights.contact_event (${COLUMNS})
    SELECT ${sql.raw(COLUMN_LIST.map((col) => `n.${col}`).join(', '))} FROM insights_events n
    LEFT JOIN insights.contact_event e ON e.source = n.source AND e.source_key = n.source_key
    WHERE e.source IS NULL OR (${sql.raw(COLUMN_LIST.map((col) => `e.${col}`).join(', '))}) IS DISTINCT FROM (${sql.raw(COLUMN_LIST.map((col) => `n.${col}`).join(', '))})
    ON CONFLICT (source, source_key) DO UPDATE SET
      cvr = excluded.cvr, date = excluded.date, system = excluded.system, kind = excluded.kind, organisation = excluded.organisation,
      consultant = excluded.consultant, channel = excluded.channel, topics = excluded.topics, summary = excluded.summary,
      follow_up_on = excluded.follow_up_on, referred_to = excluded.referred_to`.execute(tx);
}
