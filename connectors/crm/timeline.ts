import { sql } from 'kysely';
import type { TimelineContribution } from '../../src/timeline.js';

/** Advisors' meetings, their channel recognised from the title (thresholds.json timeline.meetingChannels). */
export const meetingTimeline: TimelineContribution = {
  source: 'crm-meetings',
  rebuiltBy: ['crm-meetings'],
  select: ({ who, settings: t }) => {
    const channel = Object.entries(t.meetingChannels).reduce(
      (acc, [value, pattern]) => sql`${acc} WHEN m.title ~* ${pattern} THEN ${value}`,
      sql`CASE`,
    );
    return sql`
      SELECT m.cvr, m.meeting_date, 'ERHVERVSHUS', 'MEETING', 'crm-meetings', m.source_key, ${t.organisations.ERHVERVSHUS}::text, m.advisor_name,
        ${channel} ELSE 'MEETING' END, m.topics, m.title, NULL::date, NULL
      FROM crm.meeting m JOIN insights_scope s ON s.cvr = m.cvr WHERE ${who}`;
  },
  record: { type: 'Meeting', load: (ctx, key) => ctx.loaders.crm.meeting.load(key) },
};

/**
 * A referral says where to: the jobcentre or an education provider, recognised by name
 * (thresholds.json timeline.referralTargets, or an organisation the VEU connector knows).
 */
export const referralTimeline: TimelineContribution = {
  source: 'crm-referrals',
  rebuiltBy: ['crm-referrals'],
  select: ({ who, settings: t, recognised }) => sql`
    SELECT r.cvr, r.referred_on, 'ERHVERVSHUS', 'REFERRAL', 'crm-referrals', r.source_key, ${t.organisations.ERHVERVSHUS}::text, NULL, NULL,
      CASE WHEN r.reason IS NULL THEN '{}'::text[] ELSE ARRAY[r.reason] END,
      format('Referred to %s (%s)', r.to_actor, lower(r.status)), NULL::date,
      CASE WHEN r.to_actor ~* ${t.referralTargets.JOBCENTRE} THEN 'JOBCENTRE'
           WHEN r.to_actor ~* ${t.referralTargets.VEU} OR ${recognised('VEU', sql`r.to_actor`)} THEN 'VEU' END
    FROM crm.referral r JOIN insights_scope s ON s.cvr = r.cvr WHERE ${who}`,
  // Referrals to education providers are recognised by the providers' names: those a run named again.
  naming: {
    system: 'VEU',
    companies: (changedByRun) => sql`SELECT r.cvr FROM crm.referral r WHERE r.cvr IS NOT NULL AND ${changedByRun(sql`r.to_actor`)}`,
  },
  record: { type: 'Referral', load: (ctx, key) => ctx.loaders.crm.referral.load(key) },
};
