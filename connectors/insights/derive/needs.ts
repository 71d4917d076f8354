import { sql } from 'kysely';
import type { Db } from '../../../src/db/database.js';
import type { CompanyChange } from '../../../src/changes.js';
import type { DeriveContext } from './context.js';
import { runOf, type TableInput } from './inputs.js';
import { sqlRule } from '../../../src/rules.js';

/** Companies with open ads in the unit groups of the occupations a run changed in a balance or supply table. */
const recruitingIn = (table: string) => (c: DeriveContext, change: CompanyChange) => sql`
  SELECT v.cvr FROM jobcentre.vacancy v
  WHERE v.cvr IS NOT NULL AND v.disco IS NOT NULL AND ${sqlRule('openVacancy')(c.today, 'v')}
    AND left(v.disco, 4) IN (SELECT left(disco, 4) FROM ${sql.table(table)} WHERE run_id = ${runOf(change)})`;

/** The needs read the balance and supply of the company's occupations (and the hard-to-fill signals read the needs). */
export const needsInputs: TableInput[] = [
  { table: 'jobcentre.balance', companies: recruitingIn('jobcentre.balance') },
  { table: 'jobcentre.supply', companies: recruitingIn('jobcentre.supply') },
];

/**
 * One need per company and occupation it has open vacancies in: the latest labour-market balance and
 * unemployed supply for that occupation in the company's area (the occupation's own code, else its
 * unit group; as Occupation.balance, the latest half-year of that occupation, not of the area), and whether job rotation is possible: the company has staff on courses and the area
 * has unemployed people in the occupation.
 */
export async function deriveNeeds(tx: Db, c: DeriveContext): Promise<void> {
  await sql`DELETE FROM insights.competence_need n USING insights_scope s WHERE n.cvr = s.cvr`.execute(tx);
  await sql`
    INSERT INTO insights.competence_need (cvr, disco, area_code, municipality_code, vacancies, open_positions, first_posted_on,
      balance_category, balance_period, unemployed, supply_period, job_rotation_possible)
    SELECT o.cvr, o.disco, p.area_code, p.municipality_code, o.vacancies, o.positions, o.first_posted,
      b.category, b.period, su.count, su.period,
      coalesce(su.count, 0) > 0 AND EXISTS (
        SELECT 1 FROM veu.enrolment e
        WHERE e.cvr = o.cvr AND e.participants > 0 AND e.ends_on >= ${c.monthsAgo(c.cfg.competenceMatch.jobRotationEnrolmentMonths)}::date)
    FROM (
      SELECT v.cvr, v.disco, count(*)::int AS vacancies, sum(coalesce(v.positions, 1))::int AS positions, min(v.posted_at) AS first_posted
      FROM jobcentre.vacancy v JOIN insights_scope s ON s.cvr = v.cvr
      WHERE v.disco IS NOT NULL AND ${sqlRule('openVacancy')(c.today, 'v')}
      GROUP BY v.cvr, v.disco
    ) o
    JOIN insights_facts p ON p.cvr = o.cvr
    LEFT JOIN LATERAL (
      SELECT x.category, x.period FROM jobcentre.balance x
      WHERE x.area = p.area_code AND x.disco IN (o.disco, left(o.disco, 4))
      ORDER BY x.disco = o.disco DESC, x.period DESC LIMIT 1
    ) b ON true
    LEFT JOIN LATERAL (
      SELECT x.count, x.period FROM jobcentre.supply x
      WHERE x.area = p.area_code AND x.disco IN (o.disco, left(o.disco, 4))
      ORDER BY x.disco = o.disco DESC, x.period DESC LIMIT 1
    ) su ON true`.execute(tx);
}
