/** Field parsers shared by the VEU adapters: each returns the value or a reason it is unusable. */

export type Parsed<T> = { ok: T } | { problem: string };

const isoDate = (y: number, m: number, d: number): string | null => {
  const dt = new Date(Date.UTC(y, m - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d ? dt.toISOString().slice(0, 10) : null;
};

/** yyyy-mm-dd, an ISO date-time (its calendar date as written), or dd-mm-yyyy / dd.mm.yyyy. */
export function parseDate(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const v = value.trim();
  let m = /^(\d{4})-(\d{2})-(\d{2})(T.*)?$/.exec(v);
  if (m) return isoDate(+m[1]!, +m[2]!, +m[3]!);
  m = /^(\d{1,2})[.-](\d{1,2})[.-](\d{4})$/.exec(v);
  if (m) return isoDate(+m[3]!, +m[2]!, +m[1]!);
  return null;
}

/** Integers as numbers or digit strings. */
export function parseInteger(value: unknown): number | null {
  if (typeof value === 'number') return Number.isInteger(value) ? value : null;
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return Number(value.trim());
  return null;
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

/** Yes/no as booleans, ja/nej, true/false, 1/0, x/blank. */
export function parseFlag(value: unknown): boolean | null {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value === 1 ? true : value === 0 ? false : null;
  if (typeof value !== 'string') return value == null ? false : null;
  const v = value.trim().toLowerCase();
  if (['ja', 'j', 'true', '1', 'x', 'yes', 'y'].includes(v)) return true;
  if (['nej', 'n', 'false', '0', '', 'no'].includes(v)) return false;
  return null;
}

/** Trimmed text, numbers as text, or null. */
export const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' ? String(v) : null);
