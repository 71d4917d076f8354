import path from 'node:path';
import type { TokenSettings } from './security/authenticate.js';
import { validateSettings } from './config/settings.js';
import { DEFAULT_KEY_CACHE_MS } from './security/caller-cache.js';

/** Runtime settings, read once from the environment. */
export interface Config {
  /** Real Postgres connection string; when absent the embedded PGlite database is used. */
  databaseUrl?: string;
  /** Folder that holds the embedded database between starts. */
  dataDir: string;
  port: number;
  production: boolean;
  /** The GraphiQL sandbox is on in development, off in production unless INDGANG_SANDBOX=1. */
  sandbox: boolean;
  /** Every request must carry valid credentials (always in production; INDGANG_AUTH=required elsewhere). */
  authRequired: boolean;
  /** Bearer tokens from an OpenID Connect issuer; undefined when no issuer is configured. */
  tokens?: TokenSettings;
  /** The secret a gateway and its subgraphs share (distributed mode). */
  gatewaySecret?: string;
  /** Days the access log keeps its entries. */
  accessLogDays: number;
  /** Per-request deadline in ms (INDGANG_REQUEST_TIMEOUT_MS, default 10 000); also each connection's statement_timeout. */
  requestTimeoutMs: number;
  /** How long to wait for a database connection, in ms (INDGANG_DB_CONNECT_TIMEOUT_MS, default 10 000). */
  dbConnectTimeoutMs: number;
  /** Default cost points per minute for callers without their own rate limit (INDGANG_RATE_LIMIT, default 200 000; 0: only callers' own limits). */
  defaultRateLimit: number;
  /** Seconds a serving process trusts an API key's caller record it read (INDGANG_KEY_CACHE_SECONDS, default 5; 0: read it every request). */
  keyCacheSeconds: number;
  /** Postgres: send statements as named prepared statements (INDGANG_PREPARED_STATEMENTS, default 1; 0 for a pooler that cannot keep them). */
  preparedStatements: boolean;
  /** Browser origins allowed by CORS (INDGANG_CORS_ORIGINS, comma separated; none by default). */
  corsOrigins: string[];
  /** On SIGTERM, seconds /readyz answers 503 before the server drains (INDGANG_DRAIN_SECONDS; 5 in production, else 0). */
  drainSeconds: number;
}

function wholeNumber(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be a whole number, at least ${min}, got ${JSON.stringify(raw)}`);
  return n;
}

function tokenSettings(env: NodeJS.ProcessEnv): TokenSettings | undefined {
  const issuer = env.INDGANG_JWT_ISSUER || undefined;
  const jwksUrl = env.INDGANG_JWKS_URL || undefined;
  const publicKey = env.INDGANG_JWT_PUBLIC_KEY || undefined;
  if (!issuer) {
    if (jwksUrl || publicKey)
      throw new Error(
        'INDGANG_JWKS_URL or INDGANG_JWT_PUBLIC_KEY is set but INDGANG_JWT_ISSUER is not: set the issuer tokens must come from',
      );
    return undefined;
  }
  if (!jwksUrl === !publicKey)
    throw new Error(
      "INDGANG_JWT_ISSUER needs exactly one of INDGANG_JWKS_URL (the issuer's key set) or INDGANG_JWT_PUBLIC_KEY (a PEM public key or a path to one)",
    );
  return {
    issuer,
    jwksUrl,
    publicKey,
    audience: env.INDGANG_JWT_AUDIENCE || undefined,
    organisationClaim: env.INDGANG_JWT_ORGANISATION_CLAIM || 'organisation',
  };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Every setting checked at once, each wrong one named (src/config/settings.ts).
  const settings = validateSettings(env);
  const production = env.NODE_ENV === 'production';
  const sandboxFlag = env.INDGANG_SANDBOX;
  const auth = env.INDGANG_AUTH || undefined;
  if (auth && auth !== 'required' && auth !== 'optional')
    throw new Error(`INDGANG_AUTH must be "required" or "optional", got ${JSON.stringify(auth)}`);
  const days = Number(env.INDGANG_ACCESS_LOG_DAYS || 365);
  if (!Number.isInteger(days) || days < 1)
    throw new Error(
      `INDGANG_ACCESS_LOG_DAYS must be a whole number of days, at least 1, got ${JSON.stringify(env.INDGANG_ACCESS_LOG_DAYS)}`,
    );
  return {
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: path.resolve(env.INDGANG_DATA_DIR || '.data'),
    port: Number(env.PORT || 4000),
    production,
    sandbox: sandboxFlag === undefined ? !production : sandboxFlag === '1' || sandboxFlag === 'true',
    // Production never runs without credentials: INDGANG_AUTH=optional only matters elsewhere.
    authRequired: production || auth === 'required',
    tokens: tokenSettings(env),
    gatewaySecret: env.INDGANG_GATEWAY_SECRET || undefined,
    accessLogDays: days,
    requestTimeoutMs: wholeNumber(env, 'INDGANG_REQUEST_TIMEOUT_MS', 10_000, 1),
    dbConnectTimeoutMs: wholeNumber(env, 'INDGANG_DB_CONNECT_TIMEOUT_MS', 10_000, 1),
    defaultRateLimit: wholeNumber(env, 'INDGANG_RATE_LIMIT', 200_000, 0),
    keyCacheSeconds: settings.INDGANG_KEY_CACHE_SECONDS ?? DEFAULT_KEY_CACHE_MS / 1000,
    preparedStatements: settings.INDGANG_PREPARED_STATEMENTS !== '0',
    corsOrigins: (env.INDGANG_CORS_ORIGINS ?? '')
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    drainSeconds: settings.INDGANG_DRAIN_SECONDS ?? (production ? 5 : 0),
  };
}
