import { cvrProblem } from '../codes/cvr.js';

/** Field parsers shared by every source: each returns the value, or null (blank) / a reason it is unusable. */

/** Trimmed text, numbers as text, or null when blank. */
export const text = (v: unknown): string | null =>
  typeof v === 'string' ? (v.trim() === '' ? null : v.trim()) : typeof v === 'number' ? String(v) : null;

const calendarDate = (y: number, m: number, d: number): string | null => {
  const dt = new Date(Date.UTC(y, m - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d ? dt.toISOString().slice(0, 10) : null;
};

export const DATE_FORMS = 'yyyy-mm-dd, an ISO date-time (its calendar date as written), or dd-mm-yyyy / dd.mm.yyyy / dd/mm/yyyy';

/** A calendar date in any of DATE_FORMS, as yyyy-mm-dd; null when it is none of them or no real day. */
export function parseDate(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const v = value.trim();
  let m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(v);
  if (m) return calendarDate(+m[1]!, +m[2]!, +m[3]!);
  m = /^(\d{1,2})[-./](\d{1,2})[-./](\d{4})$/.exec(v);
  if (m) return calendarDate(+m[3]!, +m[2]!, +m[1]!);
  return null;
}

/** Why a field's value is not a date, naming the field and the forms accepted. */
export const notADate = (name: string, value: unknown) => `${name} ${JSON.stringify(value)} is not a date (${DATE_FORMS})`;

/** An optional date field: null when blank, the date, or a reject reason naming the field. */
export function optionalDate(value: unknown, name: string): { date: string | null } | { problem: string } {
  if (text(value) === null) return { date: null };
  const date = parseDate(value);
  return date ? { date } : { problem: notADate(name, value) };
}

/** Integers as numbers or digit strings (spaces and "." thousands separators allowed in text). */
export function parseInteger(value: unknown): number | null {
  if (typeof value === 'number') return Number.isInteger(value) ? value : null;
  if (typeof value !== 'string') return null;
  const v = value.trim().replace(/[\s.](?=\d{3}\b)/g, '');
  return /^-?\d+$/.test(v) ? Number(v) : null;
}

/** Decimal numbers, also in Danish notation ("12.500,50" or "0,5"). */
export function parseDecimal(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string') return null;
  let v = value.trim().replace(/\s/g, '');
  if (v === '') return null;
  if (v.includes(',')) v = v.replace(/\./g, '').replace(',', '.');
  return /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : null;
}

/** A whole number ≥ 0; a reason naming the field when it is missing or not one. */
export function count(value: unknown, name: string): { n: number } | { problem: string } {
  if (text(value) === null) return { problem: `${name} is missing` };
  const n = parseInteger(value);
  if (n === null) return { problem: `${name} ${JSON.stringify(value)} is not a whole number` };
  if (n < 0) return { problem: `${name} ${n} is negative` };
  return { n };
}

const YES = ['ja', 'j', 'true', '1', 'x', 'yes', 'y', 'aftalt'];
const NO = ['nej', 'n', 'false', '0', 'no', 'ikke aftalt'];

/** Yes/no: booleans, ja/nej, true/false, 1/0, x; null when blank, undefined when it is none of these. */
export function parseFlag(value: unknown): boolean | null | undefined {
  if (typeof value === 'boolean') return value;
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return value === 1 ? true : value === 0 ? false : undefined;
  if (typeof value !== 'string') return undefined;
  const v = value.trim().toLowerCase();
  if (v === '') return null;
  return YES.includes(v) ? true : NO.includes(v) ? false : undefined;
}

/** A CVR number from a JSON number or text: the 8 digits, or the reason it is not one (naming the field). */
export function parseCvr(value: unknown, name: string): { cvr: string } | { problem: string } {
  const t = typeof value === 'number' ? String(value).padStart(8, '0') : text(value);
  if (t === null) return { problem: `${name} is missing` };
  const problem = cvrProblem(t);
  return problem ? { problem: `${name} ${t}: ${problem}` } : { cvr: t };
}
