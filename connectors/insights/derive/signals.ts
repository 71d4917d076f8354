import { sql } from 'kysely';
import type { Db } from '../../../src/db/database.js';
import { openVacancy } from '../../jobcentre/store.js';
import type { DeriveContext } from './context.js';

/**
 * The five signals for the scope, in one statement. Each row keeps the facts its message is written
 * from (domain.ts renders them) and its evidence: references to the records behind it, as
 * {type, key} pairs the resolvers load through the owning connector.
 */
export async function deriveSignals(tx: Db, c: DeriveContext): Promise<void> {
  const s = c.cfg.signals;
  const growth = s.GROWTH_WITHOUT_COMPETENCE_PLAN;
  const layoff = s.LAYOFF_NOTICE;
  const overlap = s.UNCOORDINATED_CONTACT;
  const silent = s.NO_PUBLIC_CONTACT;
  await sql`DELETE FROM insights.signal g USING insights_scope s WHERE g.cvr = s.cvr`.execute(tx);
  await sql`
    WITH hard AS (
      SELECT n.cvr, n.disco, n.area_code, n.vacancies, n.open_positions, n.first_posted_on, n.balance_category
      FROM insights.competence_need n JOIN insights_scope s ON s.cvr = n.cvr
      WHERE n.balance_category = ANY(${s.HARD_TO_FILL_VACANCY.balanceCategories}::text[])
    ),
    hard_ads AS (
      SELECT h.cvr, jsonb_agg(jsonb_build_object('type', 'Vacancy', 'key', v.id) ORDER BY v.posted_at DESC, v.id) AS evidence
      FROM hard h JOIN jobcentre.vacancy v ON v.cvr = h.cvr AND v.disco = h.disco AND ${openVacancy(c.today, 'v')}
      GROUP BY h.cvr
    ),
    notices AS (
      SELECT l.cvr, max(l.notice_date) AS latest, sum(l.persons)::int AS persons, count(*)::int AS n, bool_or(l.reason = 'CLOSURE') AS closure,
        jsonb_agg(jsonb_build_object('type', 'LayoffNotice', 'key', l.cvr || '|' || l.notice_date || '|' || l.reason) ORDER BY l.notice_date DESC, l.reason) AS evidence
      FROM jobcentre.layoff_notice l JOIN insights_scope s ON s.cvr = l.cvr
      WHERE l.notice_date > ${c.monthsAgo(layoff.months)}::date AND l.notice_date <= ${c.today}::date
      GROUP BY l.cvr
    ),
    -- Occupations a layoff frees people from: what the company itself has recruited for, else what its trade recruits most.
    own AS (
      SELECT n.cvr, array_agg(DISTINCT x.d ORDER BY x.d) AS discos FROM notices n
      JOIN (SELECT cvr, disco FROM jobcentre.vacancy WHERE disco IS NOT NULL UNION SELECT cvr, disco FROM jobcentre.job_order WHERE disco IS NOT NULL) AS x(cvr, d)
        ON x.cvr = n.cvr
      GROUP BY n.cvr
    ),
    -- Counted once per trade (two-digit industry code) among the notices' trades, not once per company.
    trades AS (
      SELECT prefix, array_agg(disco ORDER BY n DESC, disco) FILTER (WHERE rank <= 3) AS discos FROM (
        SELECT left(r.industry_code, 2) AS prefix, v.disco, count(*) AS n,
          row_number() OVER (PARTITION BY left(r.industry_code, 2) ORDER BY count(*) DESC, v.disco) AS rank
        FROM jobcentre.vacancy v JOIN registry.company r ON r.cvr = v.cvr
        WHERE v.disco IS NOT NULL AND left(r.industry_code, 2) IN (
          SELECT left(p.industry_code, 2) FROM notices n JOIN insights_facts p ON p.cvr = n.cvr WHERE NOT EXISTS (SELECT 1 FROM own o WHERE o.cvr = n.cvr))
        GROUP BY 1, 2
      ) t GROUP BY prefix
    ),
    related_groups AS (
      SELECT n.cvr, p.area_code, d.discos, array(SELECT DISTINCT left(x, 4) FROM unnest(d.discos) x) AS groups
      FROM notices n JOIN insights_facts p ON p.cvr = n.cvr
      LEFT JOIN own o ON o.cvr = n.cvr LEFT JOIN trades t ON t.prefix = left(p.industry_code, 2)
      CROSS JOIN LATERAL (SELECT coalesce(o.discos, t.discos, '{}') AS discos) d
    ),
    -- Open ads per area, unit group and company, for the groups some notice names: one pass over those ads
    -- (materialised: referenced once, Postgres would otherwise inline it into the per-company lookup).
    recruiting AS MATERIALIZED (
      SELECT pl.area, left(v.disco, 4) AS grp, v.cvr, count(*) AS n
      FROM jobcentre.vacancy v
      JOIN registry.company q ON q.cvr = v.cvr
      JOIN json_to_recordset(${c.places}::json) AS pl(code text, name text, area text) ON pl.code = q.municipality_code
      WHERE v.disco IS NOT NULL AND left(v.disco, 4) IN (SELECT unnest(groups) FROM related_groups) AND ${openVacancy(c.today, 'v')}
      GROUP BY 1, 2, 3
    ),
    contacts AS (
      SELECT e.* FROM insights.contact_event e JOIN insights_scope s ON s.cvr = e.cvr
      WHERE e.date > ${c.daysAgo(overlap.days)}::date AND e.date <= ${c.today}::date
    ),
    overlapping AS (
      SELECT cvr, array_agg(DISTINCT system ORDER BY system) AS systems, min(date) AS first, count(*)::int AS n,
        jsonb_agg(jsonb_build_object('type', 'ContactEntry', 'key', source || '|' || source_key) ORDER BY date DESC, source, source_key) AS evidence
      FROM contacts GROUP BY cvr HAVING count(DISTINCT system) >= ${overlap.minSystems}
    )
    INSERT INTO insights.signal (cvr, kind, severity, since, facts, evidence)
    SELECT g.cvr, 'GROWTH_WITHOUT_COMPETENCE_PLAN', ${growth.severity}, min(g.started_on),
      jsonb_build_object('programmes', count(*), 'kinds', jsonb_agg(DISTINCT g.kind), 'months', ${growth.noEnrolmentMonths}::int, 'lastEnrolmentOn', max(p.last_enrolment_on)),
      jsonb_agg(jsonb_build_object('type', 'GuidanceProgramme', 'key', g.source_key) ORDER BY g.started_on, g.source_key)
    FROM crm.programme g JOIN insights_facts p ON p.cvr = g.cvr
    WHERE g.kind = ANY(${growth.programmeKinds}::text[]) AND g.status = 'ACTIVE' AND g.competence_plan_agreed IS NOT TRUE
      AND (p.last_enrolment_on IS NULL OR p.last_enrolment_on <= ${c.monthsAgo(growth.noEnrolmentMonths)}::date)
    GROUP BY g.cvr
    UNION ALL
    SELECT h.cvr, 'HARD_TO_FILL_VACANCY', ${s.HARD_TO_FILL_VACANCY.severity}, min(h.first_posted_on),
      jsonb_build_object('vacancies', sum(h.vacancies), 'positions', sum(h.open_positions), 'occupations', jsonb_agg(h.disco ORDER BY h.disco),
        'area', max(h.area_code), 'categories', jsonb_agg(DISTINCT h.balance_category)),
      max(a.evidence::text)::jsonb
    FROM hard h JOIN hard_ads a ON a.cvr = h.cvr
    GROUP BY h.cvr
    UNION ALL
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
    ) nearby ON true
    UNION ALL
    SELECT o.cvr, 'UNCOORDINATED_CONTACT', ${overlap.severity}, o.first,
      jsonb_build_object('systems', to_jsonb(o.systems), 'days', ${overlap.days}::int, 'contacts', o.n),
      o.evidence
    FROM overlapping o
    WHERE NOT EXISTS (
      SELECT 1 FROM contacts r
      WHERE r.cvr = o.cvr AND r.kind = 'REFERRAL' AND r.referred_to <> r.system
        AND r.system = ANY(o.systems) AND r.referred_to = ANY(o.systems))
    UNION ALL
    SELECT p.cvr, 'NO_PUBLIC_CONTACT', ${silent.severity}, min(h.first_posted_on),
      jsonb_build_object('hardToFill', p.hard_to_fill_vacancies, 'months', ${silent.months}::int, 'lastContactOn', p.last_contact_on),
      max(a.evidence::text)::jsonb
    FROM insights_facts p JOIN hard h ON h.cvr = p.cvr JOIN hard_ads a ON a.cvr = p.cvr
    WHERE p.last_contact_on IS NULL OR p.last_contact_on <= ${c.monthsAgo(silent.months)}::date
    GROUP BY p.cvr, p.hard_to_fill_vacancies, p.last_contact_on`.execute(tx);
}
