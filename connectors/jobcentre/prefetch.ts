import type { CompanyPrefetch, OperationFields } from '../../src/prefetch.js';
import { decodeCursor, pageSize } from '../../src/graphql/pagination.js';
import type { VacancyStatus } from './domain.js';
import type { VacancyTable } from './tables.js';
import { vacanciesFromJson, vacanciesJson } from './store.js';

/**
 * The vacancies loader's key without the company, from the field's arguments and the operation: the
 * resolver's and the prefetch's. `columns` names the narrow columns the operation's ads were read with
 * (null: whole rows), so a context that served another operation never hands its narrow rows to this one.
 */
export function vacancyPage(args: { first?: number | null; status?: string | null; after?: string | null }, operation: OperationFields) {
  return {
    status: (args.status ?? null) as VacancyStatus | null,
    limit: pageSize(args.first) + 1,
    after: decodeCursor(args.after, 2),
    columns: vacancyColumnsFor(operation.on('Vacancy')),
  };
}

/** The first page of arguments the resolver accepts; null otherwise (it loads those itself, or says what is wrong). */
function firstPage(args: Record<string, unknown>, operation: OperationFields) {
  try {
    const page = vacancyPage(args, operation);
    return page.after === null ? page : null;
  } catch {
    return null;
  }
}

/**
 * The columns each Vacancy field's resolver reads (beyond the page's keys: id, cvr, posted_at). An operation
 * that selects on Vacancy only fields named here gets a list's ads with only these columns; a field missing
 * here (workplace, unmatchedReason, one added later) means the whole record. A resolver that starts reading
 * another column must say so here.
 */
const VACANCY_FIELD_COLUMNS: Record<string, readonly (keyof VacancyTable)[]> = {
  __typename: [],
  id: [],
  adId: [],
  title: ['title'],
  positions: ['positions'],
  postedAt: [],
  applyBy: ['apply_by'],
  closedAt: ['closed_at'],
  status: ['closed_at', 'apply_by'],
  occupation: ['disco'],
  occupationLabel: ['occupation_label'],
  employmentType: ['employment_type'],
  workHours: ['work_hours'],
  external: ['external'],
  hiringOrg: ['hiring_org_name', 'hiring_org_cvr'],
};

const columnsOf = new WeakMap<ReadonlySet<string>, (keyof VacancyTable)[] | null>();

/**
 * The columns the operation's Vacancy fields read, or null when one of them needs the whole record; once
 * per operation (its set of fields is the same object each time), not once per company of a list.
 */
function vacancyColumnsFor(fields: ReadonlySet<string>): (keyof VacancyTable)[] | null {
  const known = columnsOf.get(fields);
  if (known !== undefined) return known;
  const columns = new Set<keyof VacancyTable>();
  let whole = false;
  for (const f of fields) {
    const c = VACANCY_FIELD_COLUMNS[f];
    if (!c) whole = true;
    else for (const x of c) columns.add(x);
  }
  const answer = whole ? null : [...columns].sort();
  columnsOf.set(fields, answer);
  return answer;
}

/** A list of companies answers each one's `recruitment { vacancies }` (first page) in its own statement. */
export const prefetch: CompanyPrefetch[] = [
  {
    paths: [['recruitment', 'vacancies']],
    plan(cvr, args, today, operation) {
      const page = firstPage(args, operation);
      if (!page) return null;
      return {
        // Narrower records in the loader are safe: nothing in the operation reads a Vacancy's other fields, and
        // the key names the columns, so another operation on the same context does not find them.
        sql: vacanciesJson(cvr, page.status, today, page.limit, page.columns),
        prime: (ctx, company, value) => ctx.loaders.jobcentre.vacancies.prime({ cvr: company, ...page }, vacanciesFromJson(value)),
      };
    },
  },
];
