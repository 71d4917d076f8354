import { GraphQLError } from 'graphql';
import type { Principal } from './principal.js';
import type { Scope } from './scopes.js';

/** For checks the SDL cannot express (an argument that reads derived data): FORBIDDEN naming the missing scopes. */
export function requireScopes(principal: Principal, scopes: Scope[], what: string): void {
  const missing = scopes.filter((s) => !principal.scopes.includes(s));
  if (missing.length === 0) return;
  throw new GraphQLError(
    `${what} needs the scope${missing.length > 1 ? 's' : ''} ${missing.join(' and ')}, which caller "${principal.id}" does not have`,
    {
      extensions: { code: 'FORBIDDEN', requiredScopes: [scopes], missingScopes: missing },
    },
  );
}
