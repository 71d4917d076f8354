import { sql } from 'kysely';
import { plural } from '../../text.js';
import { hard, hardAds } from './hard-needs.js';
import type { Signal } from './signal.js';

/** Hard-to-fill vacancies and no contact from any public system for months. Evidence: the hard-to-fill ads. */
export const noPublicContact: Signal = {
  kind: 'NO_PUBLIC_CONTACT',
  with: [hard, hardAds],
  rows(c) {
    const silent = c.cfg.signals.NO_PUBLIC_CONTACT;
    return sql`
    SELECT p.cvr, 'NO_PUBLIC_CONTACT', ${silent.severity}, min(h.first_posted_on),
      jsonb_build_object('hardToFill', p.hard_to_fill_vacancies, 'months', ${silent.months}::int, 'lastContactOn', p.last_contact_on),
      max(a.evidence::text)::jsonb
    FROM insights_facts p JOIN hard h ON h.cvr = p.cvr JOIN hard_ads a ON a.cvr = p.cvr
    WHERE p.last_contact_on IS NULL OR p.last_contact_on <= ${c.monthsAgo(silent.months)}::date
    GROUP BY p.cvr, p.hard_to_fill_vacancies, p.last_contact_on`;
  },
  message: (f) =>
    `${plural(f.hardToFill, 'hard-to-fill vacancy', 'hard-to-fill vacancies')} and no contact from any public system in ${f.months} months${f.lastContactOn ? ` (last ${f.lastContactOn})` : ' (never)'}.`,
};
