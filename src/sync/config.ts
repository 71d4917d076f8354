import fs from 'node:fs';
import { Cron } from 'croner';
import { z } from 'zod';

/** Retries of transient HTTP failures (5xx, timeouts, a body cut off), with exponential backoff. */
const Retry = z
  .object({
    attempts: z.number().int().min(1).max(20).default(4),
    baseMs: z.number().int().min(0).max(600_000).default(500),
    timeoutMs: z.number().int().min(1).max(3_600_000).default(60_000),
  })
  .strict();

const Credentials = {
  usernameEnv: z.string().min(1).optional(),
  passwordEnv: z.string().min(1).optional(),
  tokenEnv: z.string().min(1).optional(),
};

const httpUrl = z.string().refine((u) => /^https?:\/\/[^/]/i.test(u), 'must be an http(s) URL');

const EsScroll = z
  .object({
    kind: z.literal('es-scroll'),
    url: httpUrl,
    cursorField: z.string().min(1),
    pageSize: z.number().int().min(1).max(10_000).default(1000),
    scroll: z
      .string()
      .regex(/^\d+[smh]$/, 'a keep-alive such as "1m"')
      .default('1m'),
    ...Credentials,
  })
  .strict();

const OData = z
  .object({
    kind: z.literal('odata'),
    url: httpUrl,
    cursorField: z.string().regex(/^[A-Za-z_][A-Za-z0-9_/]*$/, 'an OData property name, e.g. "modifiedon"'),
    ...Credentials,
  })
  .strict();

const PagedJson = z
  .object({
    kind: z.literal('paged-json'),
    url: httpUrl,
    /** Query parameter of the page number (page style) or of the offset (offset style). */
    pageParam: z.string().min(1).default('page'),
    style: z.enum(['page', 'offset']).default('page'),
    firstPage: z.number().int().min(0).default(1),
    sizeParam: z.string().min(1).optional(),
    pageSize: z.number().int().min(1).max(10_000).default(100),
    /** Where the records are in an answer (dot path), e.g. "holdCardDtos"; an answer that is an array is the records. */
    itemsPath: z.string().min(1).optional(),
    /** One query per course number (the course search): the parameter and the numbers; each number becomes the records' course. */
    courseParam: z.string().min(1).optional(),
    courses: z.array(z.string().regex(/^\d{4,6}$/, 'AMU course numbers, 4 to 6 digits')).optional(),
    ...Credentials,
  })
  .strict();

const Http = z.object({ kind: z.literal('http'), url: httpUrl, ...Credentials }).strict();
const File = z.object({ kind: z.literal('file'), glob: z.string().min(1) }).strict();

const Fetch = z.discriminatedUnion('kind', [EsScroll, OData, PagedJson, Http, File]);

export type FetchConfig = z.infer<typeof Fetch>;

function syncSchema(sources: readonly string[] | null) {
  return z
    .object({
      name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and "-"'),
      source: z.string().refine((s) => sources === null || sources.includes(s), {
        error: (iss) => `unknown source ${JSON.stringify(iss.input)}; one of ${(sources ?? []).join(', ')}`,
      }),
      schedule: z
        .string()
        .refine((s) => {
          try {
            new Cron(s, { paused: true });
            return true;
          } catch {
            return false;
          }
        }, 'not a cron expression (five fields, e.g. "0 3 * * *")')
        .optional(),
      /** Hours after the last successful sync after which the source counts as stale. */
      staleAfterHours: z.number().positive().default(48),
      retry: Retry.default({ attempts: 4, baseMs: 500, timeoutMs: 60_000 }),
      fetch: Fetch,
    })
    .strict();
}

export type SyncConfig = z.infer<ReturnType<typeof syncSchema>>;

export type ConfigResult = { ok: true; syncs: SyncConfig[] } | { ok: false; errors: string[] };

const CRED_KEYS = ['usernameEnv', 'passwordEnv', 'tokenEnv'] as const;

/**
 * Checks a sync configuration: every wrong field is named with its sync (`sync cvr: fetch.url: …`),
 * including credentials missing from the environment. Never throws. `sources` null skips the source
 * check (the graph's freshness, which cannot import the connectors; the server checks at start).
 */
export function parseSyncConfig(value: unknown, sources: readonly string[] | null, env: NodeJS.ProcessEnv = process.env): ConfigResult {
  const top = z
    .object({ syncs: z.array(z.unknown()) })
    .strict()
    .safeParse(value);
  if (!top.success) return { ok: false, errors: top.error.issues.map((i) => `${i.path.join('.') || 'config'}: ${i.message}`) };
  const errors: string[] = [];
  const syncs: SyncConfig[] = [];
  const names = new Set<string>();
  const schema = syncSchema(sources);
  top.data.syncs.forEach((raw, i) => {
    const label = `sync ${typeof (raw as any)?.name === 'string' ? (raw as any).name : `#${i + 1}`}`;
    const r = schema.safeParse(raw);
    // Credentials missing from the environment are named even when other fields are wrong too.
    const rawFetch = (raw as { fetch?: Record<string, unknown> } | null)?.fetch ?? {};
    for (const k of CRED_KEYS) {
      const v = rawFetch[k];
      if (typeof v === 'string' && v && !env[v]) errors.push(`${label}: fetch.${k}: environment variable ${v} is not set`);
    }
    if (!r.success) {
      for (const issue of r.error.issues) errors.push(`${label}: ${issue.path.join('.') || '(sync)'}: ${issue.message}`);
      return;
    }
    const s = r.data;
    if (names.has(s.name)) errors.push(`${label}: name: used by another sync`);
    names.add(s.name);
    if ((s.fetch as any).usernameEnv && !(s.fetch as any).passwordEnv) errors.push(`${label}: fetch.passwordEnv: give it with usernameEnv`);
    if (s.fetch.kind === 'paged-json' && (s.fetch.courses ? !s.fetch.courseParam : !!s.fetch.courseParam))
      errors.push(`${label}: fetch.courses: give both courseParam and courses`);
    if (s.fetch.kind === 'paged-json' && s.fetch.courses && s.source !== 'amu-instances')
      errors.push(`${label}: fetch.courses: only the course search (source amu-instances) takes course numbers`);
    syncs.push(s);
  });
  return errors.length ? { ok: false, errors } : { ok: true, syncs };
}

export function syncConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.INDGANG_SYNC_CONFIG ?? 'sync.config.json';
}

/** Reads and checks the configuration file; a missing default file is an empty configuration. */
export function loadSyncConfig(sources: readonly string[] | null, env: NodeJS.ProcessEnv = process.env): ConfigResult & { path: string } {
  const path = syncConfigPath(env);
  if (!fs.existsSync(path)) {
    if (env.INDGANG_SYNC_CONFIG) return { ok: false, errors: [`${path}: no such file (INDGANG_SYNC_CONFIG)`], path };
    return { ok: true, syncs: [], path };
  }
  let value: unknown;
  try {
    value = JSON.parse(fs.readFileSync(path, 'utf8'));
  } catch (e) {
    return { ok: false, errors: [`${path}: not JSON: ${(e as Error).message}`], path };
  }
  return { ...parseSyncConfig(value, sources, env), path };
}

/** The next time a schedule fires after `from`, or null without one. */
export function nextRun(schedule: string | undefined, from = new Date()): Date | null {
  if (!schedule) return null;
  return new Cron(schedule, { paused: true }).nextRun(from) ?? null;
}
