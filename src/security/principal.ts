import { ALL_SCOPES, type Scope } from './scopes.js';

/** Who is asking: every request has one, from an API key, a token, the gateway, or (in development) the local developer. */
export interface Principal {
  /** The caller's name: an API key's name, "oidc:<sub>" for a token, "local-developer" in development. */
  id: string;
  kind: 'developer' | 'key' | 'token';
  scopes: Scope[];
  /** Organisations the caller acts for (writes are bound to them); '*' for the local developer, who may act for any. */
  organisations: string[] | '*';
  /** Cost points per minute (the limits issue enforces it); null for the default. */
  rateLimit: number | null;
}

/** The default principal in development and tests when no credentials are sent: every scope, any organisation. */
export const LOCAL_DEVELOPER: Principal = {
  id: 'local-developer',
  kind: 'developer',
  scopes: [...ALL_SCOPES],
  organisations: '*',
  rateLimit: null,
};

/** The caller's own spelling of an organisation it acts for, or null when it does not act for it (case and spacing aside). */
export function actsFor(p: Principal, organisation: string): string | null {
  const given = organisation.trim();
  if (p.organisations === '*') return given;
  const key = given.toLowerCase().replace(/\s+/g, ' ');
  return p.organisations.find((o) => o.toLowerCase().replace(/\s+/g, ' ') === key) ?? null;
}
