import { sql } from 'kysely';
import type { ContactSystem } from '../../../../src/generated/graphql.js';
import { list, plural, SYSTEM_NAMES } from '../../text.js';
import type { Cte, Signal } from './signal.js';

/** The scope's timeline entries inside the window. */
const contacts: Cte = {
  name: 'contacts',
  query: (c) => sql`
      SELECT e.* FROM insights.contact_event e JOIN insights_scope s ON s.cvr = e.cvr
      WHERE e.date > ${c.daysAgo(c.cfg.signals.UNCOORDINATED_CONTACT.days)}::date AND e.date <= ${c.today}::date`,
};

/** Companies contacted from at least minSystems systems in the window. */
const overlapping: Cte = {
  name: 'overlapping',
  query: (c) => sql`
      SELECT cvr, array_agg(DISTINCT system ORDER BY system) AS systems, min(date) AS first, count(*)::int AS n,
        jsonb_agg(jsonb_build_object('type', 'ContactEntry', 'key', source || '|' || source_key) ORDER BY date DESC, source, source_key) AS evidence
      FROM contacts GROUP BY cvr HAVING count(DISTINCT system) >= ${c.cfg.signals.UNCOORDINATED_CONTACT.minSystems}`,
};

/** Contacts from two or more systems within days, with no referral between them. Evidence: the contacts. */
export const uncoordinatedContact: Signal = {
  kind: 'UNCOORDINATED_CONTACT',
  with: [contacts, overlapping],
  rows(c) {
    const overlap = c.cfg.signals.UNCOORDINATED_CONTACT;
    return sql`
    SELECT o.cvr, 'UNCOORDINATED_CONTACT', ${overlap.severity}, o.first,
      jsonb_build_object('systems', to_jsonb(o.systems), 'days', ${overlap.days}::int, 'contacts', o.n),
      o.evidence
    FROM overlapping o
    WHERE NOT EXISTS (
      SELECT 1 FROM contacts r
      WHERE r.cvr = o.cvr AND r.kind = 'REFERRAL' AND r.referred_to <> r.system
        AND r.system = ANY(o.systems) AND r.referred_to = ANY(o.systems))`;
  },
  message: (f) =>
    `${plural(f.contacts, 'contact')} from the ${list((f.systems as ContactSystem[]).map((x) => SYSTEM_NAMES[x]))} within ${f.days} days, with no referral between them.`,
};
