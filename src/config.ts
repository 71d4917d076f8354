import path from 'node:path';

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
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const production = env.NODE_ENV === 'production';
  const sandboxFlag = env.INDGANG_SANDBOX;
  return {
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: path.resolve(env.INDGANG_DATA_DIR || '.data'),
    port: Number(env.PORT || 4000),
    production,
    sandbox: sandboxFlag === undefined ? !production : sandboxFlag === '1' || sandboxFlag === 'true',
  };
}
