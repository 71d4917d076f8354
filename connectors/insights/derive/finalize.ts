import { sql } from 'kysely';
import type { Db } from '../../../src/db/database.js';
import type { DeriveContext } from './context.js';
import { register, waiting } from '../changes/order.js';
import { SECTIONS } from '../changes/sections.js';
import { sqlRule } from '../../../src/rules.js';

/**
 * Closes a derivation: each new profile gets its signal kinds (for the search index), a fingerprint of
 * all its derived data and its stale day; then only the stored profiles that differ are written. A
 * profile whose own source data changed, or whose fingerprint did, gets a new change sequence number,
 * so a rebuild or a daily refresh that finds nothing new writes nothing and moves no number.
 *
 * Writers do not wait for each other to take numbers: each registers first and stores with its numbers the
 * writers still running, so the change feed never passes a number that commits later (changes/order.ts).
 */
export async function finalizeProfiles(tx: Db, c: DeriveContext, { newCompanies }: { newCompanies: boolean }): Promise<void> {
  // A new table rather than an UPDATE of the facts: rewriting every row of a million-company scope in place
  // took 6.3-7.7 s of a 1,000,000-company load, writing the table once about half that.
  await sql`DROP TABLE IF EXISTS pg_temp.insights_final`.execute(tx);
  await sql`
    CREATE TEMP TABLE insights_final ON COMMIT DROP AS
    SELECT f.cvr, f.name, f.municipality_code, f.area_code, f.industry_code, f.status, f.open_vacancies, f.open_positions,
      f.hard_to_fill_vacancies, f.participants_12m, f.last_enrolment_on, f.active_programmes, f.competence_plan_missing,
      f.last_contact_on, f.last_contact_system, f.last_jobcentre_contact_on, f.last_erhvervshus_contact_on, f.last_veu_contact_on,
      coalesce(sg.kinds, '{}') AS signals,
      st.day AS stale_on,
      md5(concat_ws('#', f.name, f.municipality_code, f.area_code, f.industry_code, f.status, f.open_vacancies, f.open_positions,
        f.hard_to_fill_vacancies, f.participants_12m, f.last_enrolment_on, f.active_programmes, f.competence_plan_missing, f.last_contact_on,
        f.last_contact_system, f.last_jobcentre_contact_on, f.last_erhvervshus_contact_on, f.last_veu_contact_on, sg.text, nd.text)) AS fingerprint
    FROM insights_facts f
    LEFT JOIN (
      SELECT g.cvr, array_agg(g.kind ORDER BY g.kind) AS kinds,
        string_agg(concat_ws('/', g.kind, g.severity, g.since, g.facts::text, g.evidence::text), '|' ORDER BY g.kind) AS text
      FROM insights.signal g JOIN insights_scope s ON s.cvr = g.cvr GROUP BY g.cvr
    ) sg ON sg.cvr = f.cvr
    LEFT JOIN (
      SELECT n.cvr, string_agg(concat_ws('/', n.disco, n.vacancies, n.open_positions, n.balance_category, n.balance_period, n.unemployed,
        n.supply_period, n.job_rotation_possible), '|' ORDER BY n.disco) AS text
      FROM insights.competence_need n JOIN insights_scope s ON s.cvr = n.cvr GROUP BY n.cvr
    ) nd ON nd.cvr = f.cvr
    LEFT JOIN (${staleDays(c)}) st ON st.cvr = f.cvr`.execute(tx);
  await register().execute(tx);
  const changed = sql`(s.touched OR o.fingerprint IS DISTINCT FROM f.fingerprint)`;
  // Each number given out is recorded with the sections that changed (the change feed): the touching
  // source's sections, and INSIGHTS when the derived data differs. `o` is the row before this update.
  // A company new to the hub (its profile row was only just locked into being) is new in every section.
  const sections = sql`(CASE WHEN s.fresh THEN ${[...SECTIONS]}::text[] ELSE
    CASE WHEN s.touched THEN ${c.sections ?? []}::text[] ELSE '{}'::text[] END
    || CASE WHEN o.fingerprint IS DISTINCT FROM f.fingerprint THEN '{INSIGHTS}'::text[] ELSE '{}'::text[] END END)`;
  await sql`
    WITH updated AS (
    UPDATE insights.company_profile p SET
      name = f.name, municipality_code = f.municipality_code, area_code = f.area_code, industry_code = f.industry_code, status = f.status,
      open_vacancies = f.open_vacancies, open_positions = f.open_positions, hard_to_fill_vacancies = f.hard_to_fill_vacancies,
      participants_12m = f.participants_12m, last_enrolment_on = f.last_enrolment_on, active_programmes = f.active_programmes,
      competence_plan_missing = f.competence_plan_missing, last_contact_on = f.last_contact_on, last_contact_system = f.last_contact_system,
      last_jobcentre_contact_on = f.last_jobcentre_contact_on, last_erhvervshus_contact_on = f.last_erhvervshus_contact_on,
      last_veu_contact_on = f.last_veu_contact_on, signals = f.signals, fingerprint = f.fingerprint, stale_on = f.stale_on,
      change_seq = CASE WHEN ${changed} THEN nextval('insights.change_seq') ELSE p.change_seq END,
      changed_at = CASE WHEN ${changed} THEN now() ELSE p.changed_at END
    FROM insights_final f JOIN insights_scope s ON s.cvr = f.cvr JOIN insights.company_profile o ON o.cvr = f.cvr
    WHERE p.cvr = f.cvr AND (${changed} OR p.stale_on IS DISTINCT FROM f.stale_on)
    RETURNING p.cvr, p.change_seq, p.changed_at, ${changed} AS changed, ${sections} AS sections),
    waiting AS (${waiting('updated')})
    INSERT INTO insights.company_change (seq, cvr, changed_at, sections, waits_for, waits_max)
    SELECT u.change_seq, u.cvr, u.changed_at, u.sections, w.xids, w.xids[array_length(w.xids, 1)] FROM updated u, waiting w WHERE u.changed`.execute(
    tx,
  );
  // A large derivation (which locked the table instead of rows) writes its new companies here, once. When the caller
  // knows there are none, the search is skipped: at 1,000,000 companies it read the whole profile table (0.7-1.4 s
  // of deriving 100,000 CRM meetings' companies) to find none.
  if (!newCompanies) return;
  await sql`
    WITH inserted AS (
    INSERT INTO insights.company_profile (cvr, name, municipality_code, area_code, industry_code, status, open_vacancies, open_positions,
      hard_to_fill_vacancies, participants_12m, last_enrolment_on, active_programmes, competence_plan_missing, last_contact_on, last_contact_system,
      last_jobcentre_contact_on, last_erhvervshus_contact_on, last_veu_contact_on, signals, fingerprint, stale_on, change_seq, changed_at)
    SELECT f.cvr, f.name, f.municipality_code, f.area_code, f.industry_code, f.status, f.open_vacancies, f.open_positions,
      f.hard_to_fill_vacancies, f.participants_12m, f.last_enrolment_on, f.active_programmes, f.competence_plan_missing, f.last_contact_on,
      f.last_contact_system, f.last_jobcentre_contact_on, f.last_erhvervshus_contact_on, f.last_veu_contact_on, f.signals, f.fingerprint,
      f.stale_on, nextval('insights.change_seq'), now()
    FROM insights_final f
    WHERE NOT EXISTS (SELECT 1 FROM insights.company_profile p WHERE p.cvr = f.cvr)
    ORDER BY f.cvr
    RETURNING cvr, change_seq, changed_at),
    waiting AS (${waiting('inserted')})
    -- A company new to the hub is new in every section.
    INSERT INTO insights.company_change (seq, cvr, changed_at, sections, waits_for, waits_max)
    SELECT i.change_seq, i.cvr, i.changed_at, ${[...SECTIONS]}::text[], w.xids, w.xids[array_length(w.xids, 1)] FROM inserted i, waiting w`.execute(
    tx,
  );
}

/**
 * `stale_on`: the first day after today on which one of the company's facts changes with the date
 * alone (an ad's deadline passes, a notice, course or contact leaves its window, a planned course or
 * job order starts). The daily refresh derives those companies again. A fact inside a window of months
 * is due no earlier than tomorrow, so month-end rounding can only make a refresh early, never late.
 */
function staleDays(c: DeriveContext) {
  const s = c.cfg.signals;
  const today = sql`${c.today}::date`;
  const tomorrow = sql`(${c.today}::date + 1)`;
  const leaves = (date: string, months: number) =>
    sql`greatest((${sql.ref(date)} + ${sql.raw(`interval '${months} months'`)})::date, ${tomorrow})`;
  const growth = s.GROWTH_WITHOUT_COMPETENCE_PLAN.noEnrolmentMonths;
  const rotation = c.cfg.competenceMatch.jobRotationEnrolmentMonths;
  return sql`
    SELECT x.cvr, min(x.day) AS day FROM (
      SELECT v.cvr, ${sqlRule('vacancyLapsesOn')('v')} AS day
      FROM jobcentre.vacancy v JOIN insights_scope s ON s.cvr = v.cvr WHERE ${sqlRule('openVacancy')(c.today, 'v')}
      UNION ALL
      SELECT e.cvr, e.starts_on FROM veu.enrolment e JOIN insights_scope s ON s.cvr = e.cvr WHERE e.starts_on > ${today}
      UNION ALL
      SELECT e.cvr, ${leaves('e.starts_on', 12)} FROM veu.enrolment e JOIN insights_scope s ON s.cvr = e.cvr
      WHERE e.starts_on > ${c.monthsAgo(12)}::date AND e.starts_on <= ${today}
      UNION ALL
      SELECT e.cvr, ${leaves('e.starts_on', growth)} FROM veu.enrolment e JOIN insights_scope s ON s.cvr = e.cvr
      WHERE e.participants > 0 AND e.starts_on > ${c.monthsAgo(growth)}::date AND e.starts_on <= ${today}
      UNION ALL
      SELECT e.cvr, ${leaves('e.ends_on', rotation)} + 1 FROM veu.enrolment e JOIN insights_scope s ON s.cvr = e.cvr
      WHERE e.participants > 0 AND e.ends_on >= ${c.monthsAgo(rotation)}::date
      UNION ALL
      -- A notice's evidence names other companies' open ads, which close on their own days: look again daily.
      SELECT l.cvr, CASE WHEN l.notice_date > ${today} THEN l.notice_date ELSE ${tomorrow} END
      FROM jobcentre.layoff_notice l JOIN insights_scope s ON s.cvr = l.cvr WHERE l.notice_date > ${c.monthsAgo(s.LAYOFF_NOTICE.months)}::date
      UNION ALL
      SELECT e.cvr, CASE WHEN e.date > ${today} THEN e.date ELSE e.date + ${s.UNCOORDINATED_CONTACT.days}::int END
      FROM insights.contact_event e JOIN insights_scope s ON s.cvr = e.cvr WHERE e.date > ${c.daysAgo(s.UNCOORDINATED_CONTACT.days)}::date
      UNION ALL
      SELECT p.cvr, ${leaves('p.last_contact_on', s.NO_PUBLIC_CONTACT.months)}
      FROM insights_facts p WHERE p.last_contact_on > ${c.monthsAgo(s.NO_PUBLIC_CONTACT.months)}::date
    ) x WHERE x.day > ${today} GROUP BY x.cvr`;
}
