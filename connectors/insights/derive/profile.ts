import { sql } from 'kysely';
import type { Db } from '../../../src/db/database.js';
import { openVacancy } from '../../jobcentre/store.js';
import type { DeriveContext } from './context.js';

/**
 * The registry part of each profile, inserted or updated first: it locks the scope's profile rows in
 * CVR order, so two transactions deriving the same company take turns instead of interleaving.
 */
export async function deriveProfileBase(tx: Db, c: DeriveContext): Promise<void> {
  await sql`
    INSERT INTO insights.company_profile AS p (cvr, name, municipality_code, area_code, industry_code, status, computed_on)
    SELECT r.cvr, r.name, r.municipality_code, pl.area, r.industry_code, r.status, ${c.today}::date
    FROM insights_scope s JOIN registry.company r ON r.cvr = s.cvr
    LEFT JOIN json_to_recordset(${c.places}::json) AS pl(code text, name text, area text) ON pl.code = r.municipality_code
    ORDER BY r.cvr
    ON CONFLICT (cvr) DO UPDATE SET name = excluded.name, municipality_code = excluded.municipality_code, area_code = excluded.area_code,
      industry_code = excluded.industry_code, status = excluded.status, computed_on = excluded.computed_on`.execute(tx);
}

/**
 * The cross-source facts: open and hard-to-fill vacancies, course participation, active programmes,
 * and the last contact from each system (contacts dated after today, like a job order's planned
 * start, do not count yet). The 12-month course window and the plan rule match the VEU and CRM sections.
 */
export async function deriveProfileFacts(tx: Db, c: DeriveContext): Promise<void> {
  const year = c.monthsAgo(12);
  const plan = c.cfg.signals.GROWTH_WITHOUT_COMPETENCE_PLAN.programmeKinds;
  await sql`
    UPDATE insights.company_profile p SET
      open_vacancies = coalesce(v.n, 0), open_positions = coalesce(v.positions, 0),
      hard_to_fill_vacancies = coalesce(h.n, 0),
      participants_12m = coalesce(e.participants, 0), last_enrolment_on = e.last_start,
      active_programmes = coalesce(g.active, 0), competence_plan_missing = coalesce(g.plan_missing, false),
      last_contact_on = ev.last_any, last_contact_system = ev.last_system,
      last_jobcentre_contact_on = ev.jobcentre, last_erhvervshus_contact_on = ev.erhvervshus, last_veu_contact_on = ev.veu
    FROM insights_scope s
    LEFT JOIN (
      SELECT v.cvr, count(*)::int AS n, sum(coalesce(v.positions, 1))::int AS positions
      FROM jobcentre.vacancy v JOIN insights_scope s ON s.cvr = v.cvr WHERE ${openVacancy(c.today, 'v')} GROUP BY v.cvr
    ) v ON v.cvr = s.cvr
    LEFT JOIN (
      SELECT n.cvr, sum(n.vacancies)::int AS n FROM insights.competence_need n JOIN insights_scope s ON s.cvr = n.cvr
      WHERE n.balance_category = ANY(${c.cfg.signals.HARD_TO_FILL_VACANCY.balanceCategories}::text[]) GROUP BY n.cvr
    ) h ON h.cvr = s.cvr
    LEFT JOIN (
      SELECT e.cvr,
        sum(e.participants) FILTER (WHERE e.starts_on > ${year}::date AND e.starts_on <= ${c.today}::date)::int AS participants,
        max(e.starts_on) FILTER (WHERE e.starts_on <= ${c.today}::date AND e.participants > 0) AS last_start
      FROM veu.enrolment e JOIN insights_scope s ON s.cvr = e.cvr GROUP BY e.cvr
    ) e ON e.cvr = s.cvr
    LEFT JOIN (
      SELECT g.cvr, count(*) FILTER (WHERE g.status = 'ACTIVE')::int AS active,
        bool_or(g.kind = ANY(${plan}::text[]) AND g.status <> 'CANCELLED' AND g.competence_plan_agreed IS NOT TRUE) AS plan_missing
      FROM crm.programme g JOIN insights_scope s ON s.cvr = g.cvr GROUP BY g.cvr
    ) g ON g.cvr = s.cvr
    LEFT JOIN (
      SELECT e.cvr, max(e.date) AS last_any, (array_agg(e.system ORDER BY e.date DESC, e.source, e.source_key))[1] AS last_system,
        max(e.date) FILTER (WHERE e.system = 'JOBCENTRE') AS jobcentre,
        max(e.date) FILTER (WHERE e.system = 'ERHVERVSHUS') AS erhvervshus,
        max(e.date) FILTER (WHERE e.system = 'VEU') AS veu
      FROM insights.contact_event e JOIN insights_scope s ON s.cvr = e.cvr WHERE e.date <= ${c.today}::date GROUP BY e.cvr
    ) ev ON ev.cvr = s.cvr
    WHERE p.cvr = s.cvr`.execute(tx);
}
