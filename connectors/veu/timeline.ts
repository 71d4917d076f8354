import { sql, type RawBuilder } from 'kysely';
import type { Recognises, TimelineContribution } from '../../src/timeline.js';

/** Enrolments; the feeds do not name the provider, the entry's record names the course. */
export const enrolmentTimeline: TimelineContribution = {
  source: 'veu-enrolments',
  rebuiltBy: ['veu-enrolments'],
  select: ({ who, settings: t }) => sql`
    SELECT e.cvr, e.starts_on, 'VEU', 'ENROLMENT', 'veu-enrolments', e.cvr || '|' || e.course_number || '|' || e.starts_on || '|' || e.ends_on,
      NULL, NULL, NULL, ${t.topics.ENROLMENT}::text[],
      format('%s participant%s on AMU course %s, %s', e.participants, CASE WHEN e.participants = 1 THEN '' ELSE 's' END, e.course_number, e.period), NULL::date, NULL
    FROM veu.enrolment e JOIN insights_scope s ON s.cvr = e.cvr
    WHERE ${who} AND e.participants > 0`,
  record: { type: 'Enrolment', load: (ctx, key) => ctx.loaders.veu.enrolment.load(key) },
};

/** veu.provider's name_key in SQL: the same normalisation as domain.ts providerKey (NFC, trimmed, single spaces, lower case). */
const providerKey = (name: RawBuilder<unknown>) => sql`lower(regexp_replace(btrim(normalize(${name}, NFC)), '\\s+', ' ', 'g'))`;

/** Education providers by name: a referral "to Tradium" is a referral to education. */
export const providersByName: Recognises = {
  system: 'VEU',
  changedBy: 'veu-providers',
  matches: (name, runId) =>
    sql`EXISTS (SELECT 1 FROM veu.provider vp WHERE vp.name_key = ${providerKey(name)}${runId === undefined ? sql`` : sql` AND vp.run_id = ${runId}`})`,
};
