import { sql } from 'kysely';
import type { DeriveContext } from '../context.js';
import type { Cte } from './signal.js';
import { sqlRule } from '../../../../src/rules.js';

/**
 * The hard-to-fill rule, written once: a need (an insights.competence_need row, alias `need`) whose
 * labour-market balance is one thresholds.json counts as hard to fill. The profile's count of
 * hard-to-fill vacancies and both signals about them read it.
 */
export const isHardToFill = (c: DeriveContext, need = 'n') =>
  sql`${sql.ref(`${need}.balance_category`)} = ANY(${c.cfg.signals.HARD_TO_FILL_VACANCY.balanceCategories}::text[])`;

/** The scope's hard-to-fill needs. */
export const hard: Cte = {
  name: 'hard',
  query: (c) => sql`
      SELECT n.cvr, n.disco, n.area_code, n.vacancies, n.open_positions, n.first_posted_on, n.balance_category
      FROM insights.competence_need n JOIN insights_scope s ON s.cvr = n.cvr
      WHERE ${isHardToFill(c)}`,
};

/** Per company, the open ads behind its hard-to-fill needs (the evidence), newest first. */
export const hardAds: Cte = {
  name: 'hard_ads',
  query: (c) => sql`
      SELECT h.cvr, jsonb_agg(jsonb_build_object('type', 'Vacancy', 'key', v.id) ORDER BY v.posted_at DESC, v.id) AS evidence
      FROM hard h JOIN jobcentre.vacancy v ON v.cvr = h.cvr AND v.disco = h.disco AND ${sqlRule('openVacancy')(c.today, 'v')}
      GROUP BY h.cvr`,
};
