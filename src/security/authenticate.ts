import { createPublicKey, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import { createRemoteJWKSet, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { Db } from '../db/database.js';
import { callerByKeyHash } from './store.js';
import { CallerCache, DEFAULT_KEY_CACHE_MS } from './caller-cache.js';
import { hashApiKey, looksLikeApiKey, wellFormedApiKey } from './keys.js';
import { LOCAL_DEVELOPER, type Principal } from './principal.js';
import { isScope, type Scope } from './scopes.js';

/** Settings for bearer tokens from an OpenID Connect issuer. */
export interface TokenSettings {
  issuer: string;
  /** Where the issuer publishes its signing keys (JWKS). */
  jwksUrl?: string;
  /** Or one public key, PEM (SPKI), or a path to a PEM file. */
  publicKey?: string;
  /** The audience tokens must be issued for, when set. */
  audience?: string;
  /** The claim that names the caller's organisations (a text or a list). */
  organisationClaim: string;
}

/** A request whose credentials do not hold: HTTP 401 with this message and nothing else. */
export class AuthError extends Error {
  constructor(
    message: string,
    /** 'missing': no credentials at all; 'invalid': credentials sent but not valid (RFC 6750's invalid_token). */
    readonly reason: 'missing' | 'invalid',
  ) {
    super(message);
  }
}

export type Authenticate = (authorization: string | undefined) => Promise<Principal>;

export interface ClientAuthOptions {
  /** The hub database, for API keys; without it only tokens are accepted. */
  db?: Db;
  /** Credentials are required (production, INDGANG_AUTH=required); otherwise none means the local developer. */
  required: boolean;
  tokens?: TokenSettings;
  /** How long a caller record read for an API key is trusted, in ms (default DEFAULT_KEY_CACHE_MS; 0: read every request). */
  keyCacheMs?: number;
}

const ASYMMETRIC = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'];

function publicKey(text: string): KeyObject {
  const pem = text.trimStart().startsWith('-----BEGIN') ? text : fs.readFileSync(text, 'utf8');
  const key = createPublicKey(pem);
  if (key.type !== 'public') throw new Error('INDGANG_JWT_PUBLIC_KEY must be a public key');
  return key;
}

/** A claim that is a text or a list of texts; `split` divides a text (the OAuth `scope` claim is space-separated). */
function claimList(value: unknown, split: boolean): string[] {
  const list = typeof value === 'string' ? (split ? value.split(/\s+/) : [value]) : Array.isArray(value) ? value : [];
  return list
    .filter((v): v is string => typeof v === 'string')
    .map((v) => v.trim())
    .filter(Boolean);
}

/** The principal a verified token stands for: `scope` (or `scp`) and the organisation claim mapped; unknown scopes dropped. */
export function tokenPrincipal(claims: JWTPayload, settings: Pick<TokenSettings, 'organisationClaim'>): Principal {
  const scopes = claimList(claims.scope ?? claims.scp, true).filter(isScope) as Scope[];
  const organisations = claimList(claims[settings.organisationClaim], false);
  return {
    id: `oidc:${claims.sub}`,
    kind: 'token',
    scopes: [...new Set(scopes)],
    organisations: [...new Set(organisations)],
    rateLimit: null,
  };
}

function tokenVerifier(settings: TokenSettings): (token: string) => Promise<Principal> {
  const key: KeyObject | JWTVerifyGetKey = settings.jwksUrl
    ? createRemoteJWKSet(new URL(settings.jwksUrl))
    : publicKey(settings.publicKey!);
  return async (token) => {
    try {
      const { payload } = await jwtVerify(token, key as any, {
        issuer: settings.issuer,
        audience: settings.audience,
        algorithms: ASYMMETRIC,
        requiredClaims: ['exp', 'sub'],
        clockTolerance: 30,
      });
      return tokenPrincipal(payload, settings);
    } catch (e) {
      throw new AuthError(tokenProblem(e as { code?: string; claim?: string; reason?: string; message: string }), 'invalid');
    }
  };
}

function tokenProblem(e: { code?: string; claim?: string; reason?: string; message: string }): string {
  switch (e.code) {
    case 'ERR_JWT_EXPIRED':
      return 'the token has expired';
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return "the token signature does not verify with the issuer's key";
    case 'ERR_JWKS_NO_MATCHING_KEY':
      return 'the token is signed with a key the issuer does not publish';
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return 'the token is signed with an algorithm that is not accepted (use an asymmetric one, e.g. RS256 or ES256)';
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      return `the token's "${e.claim}" claim is not accepted (${e.reason === 'missing' ? 'missing' : e.reason === 'check_failed' ? 'not the expected value' : e.reason})`;
    case 'ERR_JWKS_TIMEOUT':
    case 'ERR_JWKS_INVALID':
      return "the issuer's signing keys could not be fetched; try again";
    default:
      return 'the token is malformed';
  }
}

/**
 * Authenticates a client request from its Authorization header: an API key (`indgang_…`, looked up by its
 * hash) or a JWT from the configured issuer. Without credentials: the local developer, or 401 when
 * credentials are required. Credentials that are sent must be valid in every mode.
 */
export function clientAuthenticator(opts: ClientAuthOptions): Authenticate {
  const verifyToken = opts.tokens ? tokenVerifier(opts.tokens) : null;
  const callers = new CallerCache(opts.keyCacheMs ?? DEFAULT_KEY_CACHE_MS);
  return async (authorization) => {
    if (!authorization?.trim()) {
      if (opts.required) throw new AuthError('authentication required: send "Authorization: Bearer <API key or token>"', 'missing');
      return LOCAL_DEVELOPER;
    }
    const m = /^Bearer[ ]+(\S+)\s*$/i.exec(authorization.trim());
    if (!m) throw new AuthError('the Authorization header must read "Bearer <API key or token>"', 'invalid');
    const credential = m[1]!;
    if (looksLikeApiKey(credential)) {
      if (!wellFormedApiKey(credential))
        throw new AuthError('malformed API key: an indgang key is "indgang_" and 43 characters', 'invalid');
      if (!opts.db)
        throw new AuthError('API keys are not accepted here: this gateway has no hub database (start it with DATABASE_URL)', 'invalid');
      const db = opts.db;
      const hash = hashApiKey(credential);
      const caller = await callers.read(hash, () => callerByKeyHash(db, hash));
      if (!caller) throw new AuthError('unknown API key', 'invalid');
      if (caller.revokedAt) throw new AuthError(`this API key was revoked on ${caller.revokedAt.toISOString().slice(0, 10)}`, 'invalid');
      return {
        id: caller.name,
        kind: 'key',
        scopes: caller.scopes.filter(isScope),
        organisations: caller.organisations,
        rateLimit: caller.rateLimit,
      };
    }
    if (credential.split('.').length === 3) {
      if (!verifyToken) throw new AuthError('tokens are not accepted here: no token issuer is configured (INDGANG_JWT_ISSUER)', 'invalid');
      return verifyToken(credential);
    }
    throw new AuthError('malformed credentials: neither an indgang API key nor a JWT', 'invalid');
  };
}
