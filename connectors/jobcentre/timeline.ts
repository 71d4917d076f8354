import { sql, type RawBuilder } from 'kysely';
import type { TimelineContribution, TimelineQuery } from '../../src/timeline.js';

// The feeds do not say which jobcentre: the company's own municipality's, as a rule ("Jobcenter Herning").
const jobcentre = (q: TimelineQuery) => sql`replace(${q.settings.organisations.JOBCENTRE}::text, '{municipality}', pl.name)`;
// The register's municipality, as the profile will have it once this derivation is done.
const places = (q: TimelineQuery): RawBuilder<unknown> =>
  sql`LEFT JOIN json_to_recordset(${q.places}::json) AS pl(code text, name text, area text) ON pl.code = p.municipality_code`;

const MEASURE_WORDS = sql`CASE m.kind WHEN 'INTERNSHIP' THEN 'virksomhedspraktik' WHEN 'WAGE_SUBSIDY' THEN 'løntilskud' WHEN 'JOB_ROTATION' THEN 'jobrotation' WHEN 'FLEXJOB' THEN 'fleksjob' ELSE lower(m.kind) END`;

/** Job orders; an order without an expected start is dated the day the hub received (or last changed) it. */
export const jobOrderTimeline: TimelineContribution = {
  source: 'joborders',
  rebuiltBy: ['joborders'],
  namedByMunicipality: true,
  select: (q) => sql`
    SELECT o.cvr, coalesce(o.start_date, o.changed_at::date), 'JOBCENTRE', 'JOB_ORDER', 'joborders', o.id, ${jobcentre(q)}, NULL, NULL, ${q.settings.topics.JOB_ORDER}::text[],
      format('Job order: %s%s', o.title, coalesce(' (' || o.status || ')', '')), NULL::date, NULL
    FROM jobcentre.job_order o JOIN insights_scope s ON s.cvr = o.cvr JOIN registry.company p ON p.cvr = o.cvr ${places(q)}
    WHERE ${q.who}`,
  record: { type: 'JobOrder', load: (ctx, key) => ctx.loaders.jobcentre.jobOrder.load(key) },
};

/** Company-directed measures per month (internships, wage subsidies, job rotation, flex jobs). */
export const measureTimeline: TimelineContribution = {
  source: 'measures',
  rebuiltBy: ['measures'],
  namedByMunicipality: true,
  select: (q) => sql`
    SELECT m.cvr, (m.period || '-01')::date, 'JOBCENTRE', 'MEASURE', 'measures', m.cvr || '|' || m.period || '|' || m.kind, ${jobcentre(q)}, NULL, NULL,
      ${q.settings.topics.MEASURE}::text[] || ${MEASURE_WORDS}, format('%s in %s, %s', m.count, ${MEASURE_WORDS}, m.period), NULL::date, NULL
    FROM jobcentre.measure m JOIN insights_scope s ON s.cvr = m.cvr JOIN registry.company p ON p.cvr = m.cvr ${places(q)}
    WHERE m.count > 0 AND ${q.who}`,
};
