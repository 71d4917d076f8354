import { occupationByCode } from '../../src/codes/occupations.js';
import type { ContactSystem } from '../../src/generated/graphql.js';

/** How messages name each public system. */
export const SYSTEM_NAMES: Record<ContactSystem, string> = {
  JOBCENTRE: 'jobcentre',
  ERHVERVSHUS: 'business house (Erhvervshus)',
  VEU: 'education (VEU)',
};

/** Occupation titles for stored DISCO codes (the code itself when the list does not know it). */
export const occupationTitles = (codes: unknown) =>
  (Array.isArray(codes) ? codes : []).map((d) => occupationByCode(String(d))?.title ?? String(d));

/** "a", "a and b", "a, b and c". */
export const list = (items: string[]) => (items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`);

/** "1 vacancy", "2 vacancies". */
export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
