import { sql } from 'kysely';
import { list, plural } from '../../text.js';
import type { Signal } from './signal.js';

/** An active growth programme without an agreed competence plan, and no course enrolment for months. Evidence: the programmes. */
export const growthWithoutCompetencePlan: Signal = {
  kind: 'GROWTH_WITHOUT_COMPETENCE_PLAN',
  with: [],
  rows(c) {
    const growth = c.cfg.signals.GROWTH_WITHOUT_COMPETENCE_PLAN;
    return sql`
    SELECT g.cvr, 'GROWTH_WITHOUT_COMPETENCE_PLAN', ${growth.severity}, min(g.started_on),
      jsonb_build_object('programmes', count(*), 'kinds', jsonb_agg(DISTINCT g.kind), 'months', ${growth.noEnrolmentMonths}::int, 'lastEnrolmentOn', max(p.last_enrolment_on)),
      jsonb_agg(jsonb_build_object('type', 'GuidanceProgramme', 'key', g.source_key) ORDER BY g.started_on, g.source_key)
    FROM crm.programme g JOIN insights_facts p ON p.cvr = g.cvr
    WHERE g.kind = ANY(${growth.programmeKinds}::text[]) AND g.status = 'ACTIVE' AND g.competence_plan_agreed IS NOT TRUE
      AND (p.last_enrolment_on IS NULL OR p.last_enrolment_on <= ${c.monthsAgo(growth.noEnrolmentMonths)}::date)
    GROUP BY g.cvr`;
  },
  message: (f) =>
    `${plural(f.programmes, 'active growth programme')} (${list((f.kinds as string[]).map((k) => k.toLowerCase().replace(/_/g, ' ')))}) without an agreed competence-development plan, and no course enrolments in ${f.months} months${f.lastEnrolmentOn ? ` (last ${f.lastEnrolmentOn})` : ''}.`,
};
