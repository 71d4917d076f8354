import { createHash, randomBytes } from 'node:crypto';

const PREFIX = 'indgang_';
const KEY = /^indgang_[A-Za-z0-9_-]{43}$/;

/** A new API key: 32 random bytes, base64url, behind a prefix that says what it is. */
export function newApiKey(): string {
  return PREFIX + randomBytes(32).toString('base64url');
}

/** Whether a bearer credential is meant as an API key (then it must also be well formed). */
export const looksLikeApiKey = (credential: string) => credential.startsWith(PREFIX);

export const wellFormedApiKey = (credential: string) => KEY.test(credential);

/** What is stored: SHA-256 of the key. The key has 256 bits of entropy, so no salt or slow hash is needed. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** The first characters of a key, shown in lists to tell keys apart; far too short to use. */
export const keyHint = (key: string) => `${key.slice(0, PREFIX.length + 4)}…`;
