/** The scopes a caller can hold; field-level requirements in the SDL (`@requiresScopes`) name these. */
export const SCOPES = {
  'read:registry': 'company register data (CVR): name, address, industry, employees, the company list',
  'read:jobcentre': 'recruitment: job ads, job orders, measures, layoff notices, labour-market balance',
  'read:crm': 'business promotion: advisory accounts, programmes, meetings, referrals',
  'read:veu': "adult education: courses, course instances, companies' enrolments",
  'read:contacts': 'contact timelines and coordination, and the names of consultants and advisors (reads are logged)',
  'read:insights': 'derived facts: situation, signals, competence match, change sequence, contact overlaps',
  'write:contacts': "record, correct and withdraw contacts in the shared log, for the caller's own organisations",
  'write:webhooks': 'subscribe URLs to the change feed (signed batches of changed companies) and read their deliveries',
  admin: 'callers, the access log, and introspection in production',
} as const;

export type Scope = keyof typeof SCOPES;

export const ALL_SCOPES = Object.keys(SCOPES) as Scope[];

export function isScope(s: string): s is Scope {
  return Object.hasOwn(SCOPES, s);
}

/** Splits "a,b c" into scopes; returns the names that are not scopes apart. */
export function parseScopeList(text: string | string[]): { scopes: Scope[]; unknown: string[] } {
  const parts = (Array.isArray(text) ? text : [text]).flatMap((t) => t.split(/[\s,]+/)).filter(Boolean);
  const scopes: Scope[] = [];
  const unknown: string[] = [];
  for (const p of parts) {
    if (isScope(p)) {
      if (!scopes.includes(p)) scopes.push(p);
    } else unknown.push(p);
  }
  return { scopes, unknown };
}

/**
 * Federation's `@requiresScopes(scopes: [[…]])` semantics: the outer list is OR, each inner list AND.
 * Returns null when the held scopes satisfy one alternative, else the scopes missing from the nearest one.
 */
export function missingScopes(required: readonly (readonly string[])[], held: ReadonlySet<string>): string[] | null {
  let best: string[] | null = null;
  for (const alternative of required) {
    const missing = alternative.filter((s) => !held.has(s));
    if (missing.length === 0) return null;
    if (!best || missing.length < best.length) best = missing;
  }
  return best ?? [];
}
