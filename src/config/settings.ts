import { z } from 'zod';

// As src/codes/areas.ts's AREA_SCHEMES (not imported: that module reads the setting when loaded).
const AREA_SCHEMES = ['RAR2015', 'RBR2025'] as const;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const wholeNumber = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  z
    .string()
    .regex(/^\d+$/, `must be a whole number, at least ${min}`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, `must be a whole number from ${min} to ${max}`);
const oneOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z.string().refine((v) => (values as readonly string[]).includes(v), `must be ${values.map((v) => `"${v}"`).join(' or ')}`);
const flag = oneOf(['1', '0', 'true', 'false'] as const);
const url = (protocols: string[]) =>
  z.string().refine(
    (v) => {
      try {
        return protocols.includes(new URL(v).protocol);
      } catch {
        return false;
      }
    },
    `must be a URL (${protocols.join(' or ')})`,
  );

/**
 * Every environment setting indgang reads, with what it accepts. An empty value counts as unset. The
 * README's Operations section lists them; `.env.example` shows them.
 */
export const settingsSchema = z.object({
  NODE_ENV: z.string().optional(),
  PORT: wholeNumber(0, 65535).optional(),
  DATABASE_URL: url(['postgres:', 'postgresql:']).optional(),
  INDGANG_DATA_DIR: z.string().optional(),
  INDGANG_SANDBOX: flag.optional(),
  INDGANG_AUTH: oneOf(['required', 'optional'] as const).optional(),
  INDGANG_ACCESS_LOG_DAYS: wholeNumber(1).optional(),
  INDGANG_JWT_ISSUER: z.string().optional(),
  INDGANG_JWKS_URL: url(['https:', 'http:']).optional(),
  INDGANG_JWT_PUBLIC_KEY: z.string().optional(),
  INDGANG_JWT_AUDIENCE: z.string().optional(),
  INDGANG_JWT_ORGANISATION_CLAIM: z.string().optional(),
  INDGANG_GATEWAY_SECRET: z.string().min(32, 'must be at least 32 characters (e.g. openssl rand -base64 48)').optional(),
  INDGANG_DRAIN_SECONDS: wholeNumber(0, 300).optional(),
  INDGANG_REQUEST_TIMEOUT_MS: wholeNumber(1).optional(),
  INDGANG_DB_CONNECT_TIMEOUT_MS: wholeNumber(1).optional(),
  INDGANG_RATE_LIMIT: wholeNumber(0).optional(),
  INDGANG_KEY_CACHE_SECONDS: wholeNumber(0, 300).optional(),
  INDGANG_PREPARED_STATEMENTS: oneOf(['0', '1'] as const).optional(),
  INDGANG_CORS_ORIGINS: z.string().optional(),
  INDGANG_SYNC_CONFIG: z.string().optional(),
  INDGANG_WORKER: oneOf(['0', '1'] as const).optional(),
  INDGANG_WEBHOOK_INTERVAL_MS: wholeNumber(1).optional(),
  INDGANG_MAX_LINE_MB: wholeNumber(1, 1024).optional(),
  INDGANG_TODAY: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a day, yyyy-mm-dd')
    .optional(),
  INDGANG_AREA_SCHEME: oneOf(AREA_SCHEMES).optional(),
  INDGANG_INSIGHTS_CONFIG: z.string().optional(),
  INDGANG_DERIVE_LARGE_SCOPE: wholeNumber(1).optional(),
  LOG_LEVEL: oneOf(LOG_LEVELS).optional(),
  OTEL_EXPORTER_OTLP_ENDPOINT: url(['https:', 'http:']).optional(),
  OTEL_SERVICE_NAME: z.string().optional(),
});

export type Settings = z.infer<typeof settingsSchema>;

export class SettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.length === 1 ? problems[0] : `${problems.length} settings are wrong:\n  ${problems.join('\n  ')}`);
  }
}

/** Checks every setting at once; a SettingsError names each wrong one with the value it got. */
export function validateSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const given = Object.fromEntries(Object.keys(settingsSchema.shape).flatMap((k) => (env[k] ? [[k, env[k]]] : [])));
  const result = settingsSchema.safeParse(given);
  if (result.success) return result.data;
  const seen = new Set<string>();
  const problems = result.error.issues
    .filter((i) => !seen.has(String(i.path[0])) && seen.add(String(i.path[0])))
    .map((i) => {
      const name = String(i.path[0]);
      const shown =
        name.includes('SECRET') || name === 'DATABASE_URL' || name === 'INDGANG_JWT_PUBLIC_KEY'
          ? '(value hidden)'
          : `got ${JSON.stringify(given[name])}`;
      return `${name} ${i.message}, ${shown}`;
    });
  throw new SettingsError(problems);
}
