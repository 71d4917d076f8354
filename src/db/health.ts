import { sql } from 'kysely';
import type pg from 'pg';
import { logger } from '../logger.js';
import type { Db } from './database.js';

/**
 * Postgres going away must not take the server with it: an idle pooled connection that the server
 * closes emits `error` on the pool, and an EventEmitter without a listener throws that error out of the
 * process. The listener logs it; the pool drops the broken client and opens a fresh one on the next
 * query, so the server recovers by itself once Postgres is back.
 */
export function watchPool(pool: pg.Pool, target: string): void {
  pool.on('error', (e) => {
    logger.warn(
      { err: { message: e.message, code: (e as { code?: string }).code }, target },
      'database connection lost (idle pooled connection); it reconnects on the next query',
    );
  });
}

/** SQLSTATE classes and socket errors that mean "the database is not there", not "the query is wrong". */
const UNAVAILABLE_SQLSTATE = new Set([
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, shutting down)
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '08007', // connection_exception class
  '53300', // too_many_connections
]);
const UNAVAILABLE_ERRNO = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'EAI_AGAIN']);
const UNAVAILABLE_MESSAGE = [
  /Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /Client has encountered a connection error/i,
  /connect ECONNREFUSED/i,
  /the database system is (starting up|shutting down)/i,
];

/** Whether an error (or any error it wraps) says the database cannot be reached right now. */
export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  let e: unknown = error;
  while (e && typeof e === 'object' && !seen.has(e)) {
    seen.add(e);
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && (UNAVAILABLE_SQLSTATE.has(code) || UNAVAILABLE_ERRNO.has(code))) return true;
    if (typeof message === 'string' && UNAVAILABLE_MESSAGE.some((r) => r.test(message))) return true;
    if (e instanceof AggregateError && e.errors.some((x) => isDatabaseUnavailable(x))) return true;
    e = (e as { originalError?: unknown; cause?: unknown }).originalError ?? (e as { cause?: unknown }).cause;
  }
  return false;
}

export interface Readiness {
  ready: boolean;
  /** Why the server is not ready; absent when it is. */
  reason?: string;
}

/**
 * Whether the database answers `SELECT 1` within `timeoutMs`. It never throws and never waits longer,
 * so /readyz answers promptly (503 with the reason) even while connections hang.
 */
export async function checkDatabase(db: Db, timeoutMs = 2000): Promise<Readiness> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Readiness>((resolve) => {
    timer = setTimeout(() => resolve({ ready: false, reason: `database did not answer within ${timeoutMs} ms` }), timeoutMs);
    timer.unref();
  });
  const probe = sql`SELECT 1`
    .execute(db)
    .then((): Readiness => ({ ready: true }))
    .catch((e: unknown): Readiness => ({
      ready: false,
      reason: isDatabaseUnavailable(e) ? 'database unavailable' : 'database check failed',
    }));
  try {
    return await Promise.race([probe, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Postgres refused a value's form (SQLSTATE class 22, data exception: invalid text representation,
 * datetime format, numeric range, invalid byte sequence …): input that passed the GraphQL types but is
 * not a value of the column it is compared with.
 */
export function isBadValueForDatabase(error: unknown): boolean {
  let e: unknown = error;
  for (let i = 0; i < 5 && e && typeof e === 'object'; i++) {
    const { code } = e as { code?: unknown };
    if (typeof code === 'string' && /^22[0-9A-Z]{3}$/.test(code)) return true;
    e = (e as { originalError?: unknown; cause?: unknown }).originalError ?? (e as { cause?: unknown }).cause;
  }
  return false;
}
