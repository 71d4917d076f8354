/**
 * The hub's calendar. Every rule that depends on the date ("open", "last 12 months", "due") asks
 * `today()`, so INDGANG_TODAY can pin the day for a demo recording or a test.
 */
export function today(): string {
  return process.env.INDGANG_TODAY ?? new Date().toISOString().slice(0, 10);
}

const DAY = 86_400_000;

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
}

/** The same day `months` months later (or earlier), clamped to the month's end as Postgres does. */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const first = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(d, last));
  return first.toISOString().slice(0, 10);
}
