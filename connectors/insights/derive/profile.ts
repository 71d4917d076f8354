import { sql } from 'kysely';
import type { Db } from '../../../src/db/database.js';
import type { DeriveContext } from './context.js';
import { isHardToFill } from './signals/hard-needs.js';
import { sqlRule } from '../../../src/rules.js';

/**
 * Locks the scope's profile rows in CVR order before anything is derived, so two transactions deriving
 * the same company take turns: the second waits here and then reads what the first committed. A company
 * without a profile gets its row here (that row is the lock); an existing row is locked, not rewritten
 * (ON CONFLICT DO UPDATE locks the row even when its WHERE is false).
 */
export async function lockProfiles(tx: Db, c: DeriveContext): Promise<void> {
  await sql`
    INSERT INTO insights.company_profile AS p (cvr, name, municipality_code, area_code, industry_code, status)
    SELECT r.cvr, r.name, r.municipality_code, pl.area, r.industry_code, r.status
    FROM insights_scope s JOIN registry.company r ON r.cvr = s.cvr
    LEFT JOIN json_to_recordset(${c.places}::json) AS pl(code text, name text, area text) ON pl.code = r.municipality_code
    ORDER BY r.cvr
    ON CONFLICT (cvr) DO UPDATE SET name = excluded.name WHERE false`.execute(tx);
}

/**
 * The scope's new profiles, in a temporary table the later steps read and the last one completes and compares
 * with the stored rows (finalize.ts): the register's part, open vacancies, course participation, programmes and
 * the last contact from each system (contacts dated after today, like a job order's planned start, do not count
 * yet). The 12-month course window and the plan rule match the VEU and CRM sections.
 */
export async function deriveFacts(tx: Db, c: DeriveContext): Promise<void> {
  const year = c.monthsAgo(12);
  const plan = c.cfg.signals.GROWTH_WITHOUT_COMPETENCE_PLAN.programmeKinds;
  await sql`DROP TABLE IF EXISTS pg_temp.insights_facts`.execute(tx);
  await sql`
    CREATE TEMP TABLE insights_facts ON COMMIT DROP AS
    SELECT r.cvr, r.name, r.municipality_code, pl.area AS area_code, r.industry_code, r.status,
      coalesce(v.n, 0) AS open_vacancies, coalesce(v.positions, 0) AS open_positions, 0 AS hard_to_fill_vacancies,
      coalesce(e.participants, 0) AS participants_12m, e.last_start AS last_enrolment_on,
      coalesce(g.active, 0) AS active_programmes, coalesce(g.plan_missing, false) AS competence_plan_missing,
      ev.last_any AS last_contact_on, ev.last_system AS last_contact_system,
      ev.jobcentre AS last_jobcentre_contact_on, ev.erhvervshus AS last_erhvervshus_contact_on, ev.veu AS last_veu_contact_on
    FROM insights_scope s JOIN registry.company r ON r.cvr = s.cvr
    LEFT JOIN json_to_recordset(${c.places}::json) AS pl(code text, name text, area text) ON pl.code = r.municipality_code
    LEFT JOIN (
      SELECT v.cvr, count(*)::int AS n, sum(coalesce(v.positions, 1))::int AS positions
      FROM jobcentre.vacancy v JOIN insights_scope s ON s.cvr = v.cvr WHERE ${sqlRule('openVacancy')(c.today, 'v')} GROUP BY v.cvr
    ) v ON v.cvr = s.cvr
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
    ) ev ON ev.cvr = s.cvr`.execute(tx);
  await sql`ALTER TABLE insights_facts ADD PRIMARY KEY (cvr)`.execute(tx);
  await sql`ANALYZE insights_facts`.execute(tx);
}

/** Hard-to-fill vacancies: the open ads of the needs whose balance counts as hard to fill (the rule in signals/hard-needs.ts). */
export async function deriveHardToFill(tx: Db, c: DeriveContext): Promise<void> {
  await sql`
    UPDATE insights_facts f SET hard_to_fill_vacancies = h.n
    FROM (
      SELECT n.cvr, sum(n.vacancies)::int AS n FROM insights.competence_need n JOIN insights_scope s ON s.cvr = n.cvr
      WHERE ${isHardToFill(c)} GROUP BY n.cvr
    ) h
    WHERE f.cvr = h.cvr`.execute(tx);
}
