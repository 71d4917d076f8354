import { sql } from 'kysely';
import { list, occupationTitles, plural } from '../../text.js';
import type { CompanyChange } from '../../../../src/changes.js';
import type { DeriveContext } from '../context.js';
import { changedBy } from '../inputs.js';
import type { Cte, Signal } from './signal.js';
import { sqlRule } from '../../../../src/rules.js';

/** The scope's notices inside the window, per company. */
const notices: Cte = {
  name: 'notices',
  query: (c) => sql`
      SELECT l.cvr, max(l.notice_date) AS latest, sum(l.persons)::int AS persons, count(*)::int AS n, bool_or(l.reason = 'CLOSURE') AS closure,
        jsonb_agg(jsonb_build_object('type', 'LayoffNotice', 'key', l.cvr || '|' || l.notice_date || '|' || l.reason) ORDER BY l.notice_date DESC, l.reason) AS evidence
      FROM jobcentre.layoff_notice l JOIN insights_scope s ON s.cvr = l.cvr
      WHERE l.notice_date > ${c.monthsAgo(c.cfg.signals.LAYOFF_NOTICE.months)}::date AND l.notice_date <= ${c.today}::date
      GROUP BY l.cvr`,
};

// Occupations a layoff frees people from: what the company itself has recruited for, else what its trade recruits most.
const own: Cte = {
  name: 'own',
  query: () => sql`
      SELECT n.cvr, array_agg(DISTINCT x.d ORDER BY x.d) AS discos FROM notices n
      JOIN (SELECT cvr, disco FROM jobcentre.vacancy WHERE disco IS NOT NULL UNION SELECT cvr, disco FROM jobcentre.job_order WHERE disco IS NOT NULL) AS x(cvr, d)
        ON x.cvr = n.cvr
      GROUP BY n.cvr`,
};

// Counted once per trade (two-digit industry code) among the notices' trades, not once per company.
const trades: Cte = {
  name: 'trades',
  query: () => sql`
      SELECT prefix, array_agg(disco ORDER BY n DESC, disco) FILTER (WHERE rank <= 3) AS discos FROM (
        SELECT left(r.industry_code, 2) AS prefix, v.disco, count(*) AS n,
          row_number() OVER (PARTITION BY left(r.industry_code, 2) ORDER BY count(*) DESC, v.disco) AS rank
        FROM jobcentre.vacancy v JOIN registry.company r ON r.cvr = v.cvr
        WHERE v.disco IS NOT NULL AND left(r.industry_code, 2) IN (
          SELECT left(p.industry_code, 2) FROM notices n JOIN insights_facts p ON p.cvr = n.cvr WHERE NOT EXISTS (SELECT 1 FROM own o WHERE o.cvr = n.cvr))
        GROUP BY 1, 2
      ) t GROUP BY prefix`,
};

const relatedGroups: Cte = {
  name: 'related_groups',
  query: () => sql`
      SELECT n.cvr, p.area_code, d.discos, array(SELECT DISTINCT left(x, 4) FROM unnest(d.discos) x) AS groups
      FROM notices n JOIN insights_facts p ON p.cvr = n.cvr
      LEFT JOIN own o ON o.cvr = n.cvr LEFT JOIN trades t ON t.prefix = left(p.industry_code, 2)
      CROSS JOIN LATERAL (SELECT coalesce(o.discos, t.discos, '{}') AS discos) d`,
};

// Open ads per area, unit group and company, for the groups some notice names: one pass over those ads
// (materialised: referenced once, Postgres would otherwise inline it into the per-company lookup).
const recruiting: Cte = {
  name: 'recruiting',
  materialized: true,
  query: (c) => sql`
      SELECT pl.area, left(v.disco, 4) AS grp, v.cvr, count(*) AS n
      FROM jobcentre.vacancy v
      JOIN registry.company q ON q.cvr = v.cvr
      JOIN json_to_recordset(${c.places}::json) AS pl(code text, name text, area text) ON pl.code = q.municipality_code
      WHERE v.disco IS NOT NULL AND left(v.disco, 4) IN (SELECT unnest(groups) FROM related_groups) AND ${sqlRule('openVacancy')(c.today, 'v')}
      GROUP BY 1, 2, 3`,
};

/**
 * A layoff notice within months. Evidence: the notices, then courses for the occupations it frees people
 * from, then companies in the same area recruiting in those unit groups.
 */
/** Companies with a notice inside the window: their evidence names nearby recruiters and courses. */
const layoffCompanies = (c: DeriveContext) =>
  sql`SELECT cvr FROM jobcentre.layoff_notice WHERE notice_date > ${c.monthsAgo(c.cfg.signals.LAYOFF_NOTICE.months)}::date`;

// After a run that changed companies (register rows, job ads), the trades and recruiters that evidence reads may differ.
const ifCompaniesChanged = (c: DeriveContext, change: CompanyChange) => (change.cvrs.length ? layoffCompanies(c) : null);

export const layoffNotice: Signal = {
  kind: 'LAYOFF_NOTICE',
  with: [notices, own, trades, relatedGroups, recruiting],
  inputs: [
    { table: 'registry.company', companies: ifCompaniesChanged },
    { table: 'jobcentre.vacancy', companies: ifCompaniesChanged },
    // A course catalogue names no company: the courses the evidence names may have changed.
    {
      table: 'veu.course',
      companies: (c, change) => sql`SELECT cvr FROM (${layoffCompanies(c)}) l WHERE ${changedBy('veu.course', change)}`,
    },
  ],
  rows(c) {
    const layoff = c.cfg.signals.LAYOFF_NOTICE;
    return sql`
    SELECT n.cvr, 'LAYOFF_NOTICE', CASE WHEN n.closure THEN ${layoff.closureSeverity} ELSE ${layoff.severity} END, n.latest,
      jsonb_build_object('notices', n.n, 'persons', n.persons, 'latest', n.latest, 'closure', n.closure, 'months', ${layoff.months}::int, 'occupations', to_jsonb(r.discos)),
      n.evidence || coalesce(courses.evidence, '[]'::jsonb) || coalesce(nearby.evidence, '[]'::jsonb)
    FROM notices n JOIN related_groups r ON r.cvr = n.cvr
    LEFT JOIN LATERAL (
      SELECT jsonb_agg(jsonb_build_object('type', 'Course', 'key', x.number) ORDER BY x.exact DESC, x.grouped DESC, x.positive_list DESC, x.number) AS evidence
      FROM (
        -- Courses aimed at the occupations themselves before those aimed at their groups; the positive list breaks ties.
        SELECT co.number, co.positive_list,
          (SELECT count(*) FROM unnest(co.occupations) o WHERE o = ANY(r.discos)) AS exact,
          (SELECT count(*) FROM unnest(co.occupations) o WHERE o = ANY(r.groups)) AS grouped
        FROM veu.course co WHERE co.occupations && (r.discos || r.groups)
        ORDER BY exact DESC, grouped DESC, co.positive_list DESC, co.number LIMIT ${layoff.evidenceCourses}) x
    ) courses ON true
    LEFT JOIN LATERAL (
      -- Companies in the same area recruiting in the same unit groups.
      SELECT jsonb_agg(jsonb_build_object('type', 'Company', 'key', x.cvr) ORDER BY x.n DESC, x.cvr) AS evidence
      FROM (SELECT g.cvr, sum(g.n) AS n FROM recruiting g
            WHERE g.area = r.area_code AND g.grp = ANY(r.groups) AND g.cvr <> n.cvr
            GROUP BY g.cvr ORDER BY sum(g.n) DESC, g.cvr LIMIT ${layoff.evidenceCompanies}) x
    ) nearby ON true`;
  },
  message: (f) => {
    const occupations = occupationTitles(f.occupations);
    return `${f.closure ? 'Closure' : 'Layoff'} notice for ${plural(f.persons, 'person')} on ${f.latest}${f.notices > 1 ? ` (${f.notices} notices in ${f.months} months)` : ''}.${occupations.length ? ` Related occupations: ${list(occupations)}; see matching courses and nearby companies recruiting.` : ''}`;
  },
};
