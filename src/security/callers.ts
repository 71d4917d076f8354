import { InvalidArgumentError } from 'commander';
import type { Db } from '../db/database.js';
import { logger } from '../logger.js';
import { insertCaller, pruneAccessLog } from './store.js';
import { hashApiKey, keyHint, newApiKey } from './keys.js';
import { parseScopeList, SCOPES } from './scopes.js';

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export interface NewCaller {
  name: string;
  organisations: string[];
  scopes: string;
  rateLimit?: number;
}

/**
 * Adds a caller with a new API key and returns the key: the only time it exists outside the caller's
 * hands (only its hash is stored). Bad names and unknown scopes are usage errors (exit code 2).
 */
export async function addCaller(db: Db, c: NewCaller): Promise<string> {
  if (!NAME.test(c.name))
    throw new InvalidArgumentError(
      `caller name "${c.name}" must be 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit`,
    );
  const { scopes, unknown } = parseScopeList(c.scopes);
  if (unknown.length)
    throw new InvalidArgumentError(
      `unknown scope${unknown.length > 1 ? 's' : ''} ${unknown.map((s) => `"${s}"`).join(', ')}; known: ${Object.keys(SCOPES).join(', ')}`,
    );
  if (scopes.length === 0) throw new InvalidArgumentError(`give at least one scope; known: ${Object.keys(SCOPES).join(', ')}`);
  const organisations = [...new Set(c.organisations.map((o) => o.trim().replace(/\s+/g, ' ')).filter(Boolean))];
  if (c.rateLimit !== undefined && !(Number.isInteger(c.rateLimit) && c.rateLimit > 0))
    throw new InvalidArgumentError('--rate-limit is a whole number of points per minute, at least 1');
  const key = newApiKey();
  const added = await insertCaller(db, {
    name: c.name,
    keyHash: hashApiKey(key),
    keyHint: keyHint(key),
    organisations,
    scopes,
    rateLimit: c.rateLimit ?? null,
  });
  if (!added)
    throw new Error(
      `a caller named "${c.name}" exists already (names are never reused, so the access log stays unambiguous); choose another name`,
    );
  return key;
}

const HOUR = 3_600_000;

/** Prunes access-log entries older than the retention at start and every hour while a server runs. */
export function keepAccessLogPruned(db: Db, days: number): () => void {
  const prune = async () => {
    try {
      const n = await pruneAccessLog(db, days);
      if (n > 0) logger.info({ entries: n, days }, 'access log pruned');
    } catch (e) {
      logger.error({ err: e }, 'access log prune failed; it is tried again within the hour');
    }
  };
  void prune();
  const timer = setInterval(prune, HOUR);
  timer.unref();
  return () => clearInterval(timer);
}
