import { sql } from 'kysely';
import { areaByCode } from '../../../../src/codes/areas.js';
import { list, occupationTitles, plural } from '../../text.js';
import { hard, hardAds } from './hard-needs.js';
import type { Signal } from './signal.js';

/** Open vacancies in occupations whose balance counts as hard to fill. Evidence: those ads. */
export const hardToFillVacancy: Signal = {
  kind: 'HARD_TO_FILL_VACANCY',
  with: [hard, hardAds],
  rows: (c) => sql`
    SELECT h.cvr, 'HARD_TO_FILL_VACANCY', ${c.cfg.signals.HARD_TO_FILL_VACANCY.severity}, min(h.first_posted_on),
      jsonb_build_object('vacancies', sum(h.vacancies), 'positions', sum(h.open_positions), 'occupations', jsonb_agg(h.disco ORDER BY h.disco),
        'area', max(h.area_code), 'categories', jsonb_agg(DISTINCT h.balance_category)),
      max(a.evidence::text)::jsonb
    FROM hard h JOIN hard_ads a ON a.cvr = h.cvr
    GROUP BY h.cvr`,
  message: (f) => {
    const area = areaByCode(String(f.area))?.name ?? f.area;
    return `${plural(f.vacancies, 'open vacancy', 'open vacancies')} (${plural(f.positions, 'position')}) in ${list(occupationTitles(f.occupations))}, with a shortage of labour in ${area}.`;
  },
};
