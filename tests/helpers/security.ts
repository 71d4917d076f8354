import { exportSPKI, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import type { Db } from '../../src/db/database.js';
import { addCaller } from '../../src/security/callers.js';
import type { Principal } from '../../src/security/principal.js';
import type { Scope } from '../../src/security/scopes.js';

/** A caller as the graph sees one after authentication (in-process tests). */
export const caller = (id: string, scopes: Scope[], organisations: string[] = []): Principal => ({
  id,
  kind: 'key',
  scopes,
  organisations,
  rateLimit: null,
});

/** Adds a caller with an API key, as `indgang callers add` does, and returns the key. */
export const apiKey = (db: Db, name: string, scopes: Scope[], organisations: string[] = []) =>
  addCaller(db, { name, scopes: scopes.join(','), organisations });

export const ISSUER = 'https://login.example.test/realms/kommuner';

/** An issuer's key pair: the public half as PEM for INDGANG_JWT_PUBLIC_KEY, the private half to sign with. */
export async function issuerKeys(): Promise<{ pem: string; privateKey: CryptoKey; publicKey: CryptoKey }> {
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  return { pem: await exportSPKI(publicKey), privateKey, publicKey };
}

/** A token as an OpenID Connect issuer would sign it; `expiresIn` may be negative (an expired token). */
export function token(
  privateKey: CryptoKey,
  claims: Record<string, unknown>,
  opts: { expiresIn?: number; issuer?: string; audience?: string; kid?: string } = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: 'ES256', ...(opts.kid ? { kid: opts.kid } : {}) })
    .setIssuer(opts.issuer ?? ISSUER)
    .setSubject(String(claims.sub ?? 'system-1'))
    .setIssuedAt(now - 120)
    .setExpirationTime(now + (opts.expiresIn ?? 300));
  if (opts.audience) jwt.setAudience(opts.audience);
  return jwt.sign(privateKey);
}
