import { createHash } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import { AuthError } from './authenticate.js';
import type { Principal } from './principal.js';
import { isScope, type Scope } from './scopes.js';

/** The header a gateway sends each subgraph request with: who the client is, signed. */
export const PRINCIPAL_HEADER = 'indgang-principal';

const ISSUER = 'indgang-gateway';
const AUDIENCE = 'indgang-subgraph';
/** Long enough for a slow subgraph request, short enough that a copied header is soon worthless. */
const LIFETIME_SECONDS = 60;

/** The shared secret between a gateway and its subgraphs (INDGANG_GATEWAY_SECRET), at least 32 characters. */
export function gatewayKey(secret: string | undefined): Uint8Array {
  if (!secret || secret.length < 32) {
    throw new Error(
      'distributed mode needs INDGANG_GATEWAY_SECRET, the same random text of at least 32 characters for the gateway and every subgraph (e.g. openssl rand -base64 48)',
    );
  }
  return new TextEncoder().encode(secret);
}

/**
 * Given raw bytes, jose imports the key again for every token; the gateway signs and each subgraph
 * verifies on every subgraph request, so each secret is imported once.
 */
const imported = new WeakMap<Uint8Array, Promise<CryptoKey>>();
function hmacKey(key: Uint8Array): Promise<CryptoKey> {
  let k = imported.get(key);
  if (!k)
    imported.set(
      key,
      (k = crypto.subtle.importKey('raw', new Uint8Array(key), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify'])),
    );
  return k;
}

/** Binds an assertion to one subgraph request: the query text and its variables. */
function requestHash(query: string | undefined, variables: unknown): string {
  return createHash('sha256')
    .update(query ?? '')
    .update('\n')
    .update(JSON.stringify(variables ?? {}))
    .digest('base64url');
}

export interface Forwarded {
  principal: Principal;
  operationName: string | null;
  requestId: string;
}

/** What the gateway sends with one subgraph request: a short-lived HS256 JWT of the principal, bound to the request. */
export async function signPrincipal(key: Uint8Array, f: Forwarded, request: { query?: string; variables?: unknown }): Promise<string> {
  const p = f.principal;
  return new SignJWT({
    kind: p.kind,
    scp: p.scopes,
    org: p.organisations,
    rl: p.rateLimit,
    op: f.operationName,
    rid: f.requestId,
    req: requestHash(request.query, request.variables),
  })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject(p.id)
    .setIssuedAt()
    .setExpirationTime(`${LIFETIME_SECONDS}s`)
    .sign(await hmacKey(key));
}

/** Checks a subgraph request's assertion; anything else than a valid one for this very request is a 401. */
export async function verifyPrincipal(
  key: Uint8Array,
  header: string | undefined,
  request: { query?: string; variables?: unknown },
): Promise<Forwarded> {
  if (!header) throw new AuthError(`this subgraph answers only its gateway: the request has no ${PRINCIPAL_HEADER} header`, 'missing');
  let claims;
  try {
    ({ payload: claims } = await jwtVerify(header, await hmacKey(key), {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['HS256'],
      requiredClaims: ['exp', 'sub'],
      clockTolerance: 5,
    }));
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new AuthError(
      code === 'ERR_JWT_EXPIRED' ? 'the gateway assertion has expired' : 'the gateway assertion does not verify',
      'invalid',
    );
  }
  if (claims.req !== requestHash(request.query, request.variables))
    throw new AuthError('the gateway assertion was made for another request', 'invalid');
  const kind = claims.kind === 'key' || claims.kind === 'token' || claims.kind === 'developer' ? claims.kind : 'token';
  const org = claims.org === '*' ? '*' : Array.isArray(claims.org) ? claims.org.map(String) : [];
  return {
    principal: {
      id: String(claims.sub),
      kind,
      scopes: (Array.isArray(claims.scp) ? claims.scp.map(String).filter(isScope) : []) as Scope[],
      organisations: org,
      rateLimit: typeof claims.rl === 'number' ? claims.rl : null,
    },
    operationName: typeof claims.op === 'string' ? claims.op : null,
    requestId: typeof claims.rid === 'string' ? claims.rid : 'unknown',
  };
}
