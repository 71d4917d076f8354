import type { CompanyPrefetch } from '../../src/prefetch.js';
import { decodeCursor, pageSize } from '../../src/graphql/pagination.js';
import type { VacancyStatus } from './domain.js';
import { vacanciesFromJson, vacanciesJson } from './store.js';

/** The vacancies loader's key without the company, from the field's arguments: the resolver's and the prefetch's. */
export function vacancyPage(args: { first?: number | null; status?: string | null; after?: string | null }) {
  return {
    status: (args.status ?? null) as VacancyStatus | null,
    limit: pageSize(args.first) + 1,
    after: decodeCursor(args.after, 2),
  };
}

/** The first page of arguments the resolver accepts; null otherwise (it loads those itself, or says what is wrong). */
function firstPage(args: Record<string, unknown>) {
  try {
    const page = vacancyPage(args);
    return page.after === null ? page : null;
  } catch {
    return null;
  }
}

/** A list of companies answers each one's `recruitment { vacancies }` (first page) in its own statement. */
export const prefetch: CompanyPrefetch[] = [
  {
    path: ['recruitment', 'vacancies'],
    plan(cvr, args, today) {
      const page = firstPage(args);
      if (!page) return null;
      return {
        sql: vacanciesJson(cvr, page.status, today, page.limit),
        prime: (ctx, company, value) => ctx.loaders.jobcentre.vacancies.prime({ cvr: company, ...page }, vacanciesFromJson(value)),
      };
    },
  },
];
