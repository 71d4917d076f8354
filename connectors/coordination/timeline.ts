import { sql } from 'kysely';
import type { TimelineContribution } from '../../src/timeline.js';

/** The hub's own contact log on the timeline: the current version of each contact; withdrawn contacts leave it. */
export const contactTimeline: TimelineContribution = {
  source: 'contact-log',
  rebuiltBy: ['contact-log', 'contacts'],
  select: ({ who }) => sql`
    SELECT v.cvr, v.date, v.system, 'LOGGED_CONTACT', 'contact-log', v.contact_id::text, v.organisation, v.consultant, v.channel, v.topics, v.outcome, v.follow_up_on, NULL
    FROM coordination.contact_version v JOIN insights_scope s ON s.cvr = v.cvr
    WHERE ${who} AND v.status <> 'WITHDRAWN'
      AND NOT EXISTS (SELECT 1 FROM coordination.contact_version n WHERE n.contact_id = v.contact_id AND n.version > v.version)`,
  record: { type: 'Contact', load: (ctx, key) => ctx.loaders.coordination.contact.load(key) },
};
