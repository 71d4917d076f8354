import { expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { missingScopes, parseScopeList } from './scopes.js';

it('requires credentials in production always, elsewhere only with INDGANG_AUTH=required', () => {
  expect(loadConfig({ NODE_ENV: 'production' }).authRequired).toBe(true);
  expect(loadConfig({ NODE_ENV: 'production', INDGANG_AUTH: 'optional' }).authRequired).toBe(true);
  expect(loadConfig({ NODE_ENV: 'development', INDGANG_AUTH: 'required' }).authRequired).toBe(true);
  expect(loadConfig({}).authRequired).toBe(false);
  expect(() => loadConfig({ INDGANG_AUTH: 'yes' })).toThrow('INDGANG_AUTH must be "required" or "optional"');
});

it('checks the token and retention settings at start, naming what is wrong', () => {
  expect(() => loadConfig({ INDGANG_JWKS_URL: 'https://x/jwks' })).toThrow(/INDGANG_JWT_ISSUER is not/);
  expect(() => loadConfig({ INDGANG_JWT_ISSUER: 'https://x' })).toThrow(/exactly one of INDGANG_JWKS_URL .* or INDGANG_JWT_PUBLIC_KEY/);
  expect(
    loadConfig({ INDGANG_JWT_ISSUER: 'https://x', INDGANG_JWKS_URL: 'https://x/jwks', INDGANG_JWT_AUDIENCE: 'indgang' }).tokens,
  ).toEqual({
    issuer: 'https://x',
    jwksUrl: 'https://x/jwks',
    publicKey: undefined,
    audience: 'indgang',
    organisationClaim: 'organisation',
  });
  expect(loadConfig({}).accessLogDays).toBe(365);
  expect(() => loadConfig({ INDGANG_ACCESS_LOG_DAYS: '0' })).toThrow(/INDGANG_ACCESS_LOG_DAYS/);
});

it("reads scope lists and checks requirements with Federation's any-of-all-of semantics", () => {
  expect(parseScopeList('read:registry, read:crm read:nope')).toEqual({ scopes: ['read:registry', 'read:crm'], unknown: ['read:nope'] });
  const held = new Set(['read:registry']);
  expect(missingScopes([['read:registry'], ['read:insights']], held)).toBeNull();
  expect(missingScopes([['read:registry', 'read:crm']], held)).toEqual(['read:crm']);
  expect(missingScopes([['admin'], ['read:crm', 'read:veu']], held)).toEqual(['admin']);
});
