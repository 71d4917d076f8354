import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../../../src/db/database.js';
import type { DeriveContext } from './context.js';

/** The sources whose records are contacts with a company, in the order the timeline names them. */
export const EVENT_SOURCES = ['contact-log', 'crm-meetings', 'crm-referrals', 'joborders', 'measures', 'veu-enrolments'] as const;
export type EventSource = (typeof EVENT_SOURCES)[number];

/** Sources whose entries are named after the company's municipality ("Jobcenter Herning"): a move renames them. */
const NAMED_BY_MUNICIPALITY: EventSource[] = ['joborders', 'measures'];

// Columns of insights.contact_event in the order every source's SELECT yields them.
const COLUMN_LIST = ['cvr', 'date', 'system', 'kind', 'source', 'source_key', 'organisation', 'consultant', 'channel', 'topics', 'summary', 'follow_up_on', 'referred_to'];
const COLUMNS = sql.raw(COLUMN_LIST.join(', '));

/** veu.provider's name_key in SQL: the same normalisation as veu/domain.ts providerKey (NFC, trimmed, single spaces, lower case). */
export const providerKey = (name: RawBuilder<unknown>) => sql`lower(regexp_replace(btrim(normalize(${name}, NFC)), '\\s+', ' ', 'g'))`;

const MEASURE_WORDS = sql`CASE m.kind WHEN 'INTERNSHIP' THEN 'virksomhedspraktik' WHEN 'WAGE_SUBSIDY' THEN 'løntilskud' WHEN 'JOB_ROTATION' THEN 'jobrotation' WHEN 'FLEXJOB' THEN 'fleksjob' ELSE lower(m.kind) END`;

/** Each source's entries for the scope companies that `who` admits (all of them, or those new or moved). */
function selects(c: DeriveContext, who: RawBuilder<unknown>): Record<EventSource, RawBuilder<unknown>> {
  const t = c.cfg.timeline;
  const jobcentre = sql`replace(${t.organisations.JOBCENTRE}::text, '{municipality}', pl.name)`;
  // The register's municipality, as the profile will have it once this derivation is done.
  const places = sql`LEFT JOIN json_to_recordset(${c.places}::json) AS pl(code text, name text, area text) ON pl.code = p.municipality_code`;
  const channel = Object.entries(t.meetingChannels).reduce((acc, [value, pattern]) => sql`${acc} WHEN m.title ~* ${pattern} THEN ${value}`, sql`CASE`);
  return {
    // The current version of each contact in the hub's own log; withdrawn contacts leave the timeline.
    'contact-log': sql`
      SELECT v.cvr, v.date, v.system, 'LOGGED_CONTACT', 'contact-log', v.contact_id::text, v.organisation, v.consultant, v.channel, v.topics, v.outcome, v.follow_up_on, NULL
      FROM coordination.contact_version v JOIN insights_scope s ON s.cvr = v.cvr
      WHERE ${who} AND v.status <> 'WITHDRAWN'
        AND NOT EXISTS (SELECT 1 FROM coordination.contact_version n WHERE n.contact_id = v.contact_id AND n.version > v.version)`,
    'crm-meetings': sql`
      SELECT m.cvr, m.meeting_date, 'ERHVERVSHUS', 'MEETING', 'crm-meetings', m.source_key, ${t.organisations.ERHVERVSHUS}::text, m.advisor_name,
        ${channel} ELSE 'MEETING' END, m.topics, m.title, NULL::date, NULL
      FROM crm.meeting m JOIN insights_scope s ON s.cvr = m.cvr WHERE ${who}`,
    // A referral says where to: the jobcentre or an education provider, recognised by name (see thresholds.json).
    'crm-referrals': sql`
      SELECT r.cvr, r.referred_on, 'ERHVERVSHUS', 'REFERRAL', 'crm-referrals', r.source_key, ${t.organisations.ERHVERVSHUS}::text, NULL, NULL,
        CASE WHEN r.reason IS NULL THEN '{}'::text[] ELSE ARRAY[r.reason] END,
        format('Referred to %s (%s)', r.to_actor, lower(r.status)), NULL::date,
        CASE WHEN r.to_actor ~* ${t.referralTargets.JOBCENTRE} THEN 'JOBCENTRE'
             WHEN r.to_actor ~* ${t.referralTargets.VEU} OR EXISTS (SELECT 1 FROM veu.provider vp WHERE vp.name_key = ${providerKey(sql`r.to_actor`)}) THEN 'VEU' END
      FROM crm.referral r JOIN insights_scope s ON s.cvr = r.cvr WHERE ${who}`,
    // The feed does not say which jobcentre took the order: the company's own municipality's, as a rule.
    // An order without an expected start is dated the day the hub received (or last changed) it.
    joborders: sql`
      SELECT o.cvr, coalesce(o.start_date, o.changed_at::date), 'JOBCENTRE', 'JOB_ORDER', 'joborders', o.id, ${jobcentre}, NULL, NULL, ${t.topics.JOB_ORDER}::text[],
        format('Job order: %s%s', o.title, coalesce(' (' || o.status || ')', '')), NULL::date, NULL
      FROM jobcentre.job_order o JOIN insights_scope s ON s.cvr = o.cvr JOIN registry.company p ON p.cvr = o.cvr ${places}
      WHERE ${who}`,
    measures: sql`
      SELECT m.cvr, (m.period || '-01')::date, 'JOBCENTRE', 'MEASURE', 'measures', m.cvr || '|' || m.period || '|' || m.kind, ${jobcentre}, NULL, NULL,
        ${t.topics.MEASURE}::text[] || ${MEASURE_WORDS}, format('%s in %s, %s', m.count, ${MEASURE_WORDS}, m.period), NULL::date, NULL
      FROM jobcentre.measure m JOIN insights_scope s ON s.cvr = m.cvr JOIN registry.company p ON p.cvr = m.cvr ${places}
      WHERE m.count > 0 AND ${who}`,
    // Enrolment feeds do not name the provider; the entry's record names the course.
    'veu-enrolments': sql`
      SELECT e.cvr, e.starts_on, 'VEU', 'ENROLMENT', 'veu-enrolments', e.cvr || '|' || e.course_number || '|' || e.starts_on || '|' || e.ends_on,
        NULL, NULL, NULL, ${t.topics.ENROLMENT}::text[],
        format('%s participant%s on AMU course %s, %s', e.participants, CASE WHEN e.participants = 1 THEN '' ELSE 's' END, e.course_number, e.period), NULL::date, NULL
      FROM veu.enrolment e JOIN insights_scope s ON s.cvr = e.cvr
      WHERE ${who} AND e.participants > 0`,
  };
}

/**
 * Brings the scope's timeline entries up to date from the given sources; for companies new to the
 * insights, from every source; for companies that moved, the municipality-named ones too. The entries
 * are derived into a temporary table and compared with the stored ones, so only new, changed and gone
 * entries are written: a rebuild that finds nothing new rewrites no entry. Four statements whatever the
 * scope's size.
 */
export async function deriveEvents(tx: Db, c: DeriveContext, sources: readonly EventSource[]): Promise<void> {
  const parts = EVENT_SOURCES.map((source) => {
    const who = sources.includes(source) ? sql`true` : NAMED_BY_MUNICIPALITY.includes(source) ? sql`s.moved` : sql`s.fresh`;
    return selects(c, who)[source];
  });
  await sql`DROP TABLE IF EXISTS pg_temp.insights_events`.execute(tx);
  await sql`CREATE TEMP TABLE insights_events ON COMMIT DROP AS SELECT * FROM insights.contact_event WITH NO DATA`.execute(tx);
  await sql`INSERT INTO insights_events (${COLUMNS}) ${sql.join(parts, sql` UNION ALL `)}`.execute(tx);
  await sql`
    DELETE FROM insights.contact_event e USING insights_scope s
    WHERE e.cvr = s.cvr
      AND (s.fresh OR e.source = ANY(${[...sources]}::text[]) OR (s.moved AND e.source = ANY(${NAMED_BY_MUNICIPALITY}::text[])))
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
