import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { Kysely } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import { globSync } from 'tinyglobby';
import type { TestProject } from 'vitest/node';
import { openDatabase, pgliteExtensions } from '../../src/db/database.js';
import { migrateAll } from '../../src/db/migrate.js';
import { allMigrations } from '../../src/connectors.js';
import { dropWhenIdle, waitForNoSessions } from './pg-admin.js';
import { compiledCli } from '../../scripts/compiled.mjs';

// Migrating is the slow part of a fresh database (PGlite's initdb and dozens of DDL statements per file,
// 30 s and more on a busy machine). The suite migrates once per run into a template keyed on the
// migrations' content; every test file then copies it (tests/helpers/db.ts).

declare module 'vitest' {
  export interface ProvidedContext {
    /** A tarball of a migrated PGlite data directory. */
    pgliteTemplate: string;
    /** A migrated Postgres database to copy with CREATE DATABASE ... TEMPLATE (only with TEST_DATABASE_URL). */
    postgresTemplate: string;
    /** The CLI compiled as `npm run build` compiles it (its main.js), for tests that run indgang as a process. */
    compiledCli: string;
  }
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cacheDir = path.join(root, 'node_modules/.cache/indgang-tests');
/** Templates nobody has used for this long belong to old branches and are removed. */
const staleAfterMs = 24 * 3600_000;

/** Changes whenever a migration file, the list of migrations, or the engine changes: a stale template is never reused. */
function migrationsHash(): string {
  const h = createHash('sha256');
  const files = globSync(['src/**/migrations/**/*.ts', 'connectors/**/migrations/**/*.ts'], { cwd: root }).sort();
  for (const f of files)
    h.update(f)
      .update('\0')
      .update(fs.readFileSync(path.join(root, f)))
      .update('\0');
  for (const { schema, migrations } of allMigrations) h.update(`${schema}:${Object.keys(migrations).join(',')}\n`);
  h.update(JSON.parse(fs.readFileSync(path.join(root, 'node_modules/@electric-sql/pglite/package.json'), 'utf8')).version);
  // How the template is made (the PGlite one without template databases, with small shared buffers and a trimmed log).
  h.update('template-layout 4');
  return h.digest('hex').slice(0, 16);
}

export default async function setup(project: TestProject): Promise<void> {
  const hash = migrationsHash();
  project.provide('pgliteTemplate', await pgliteTemplate(hash));
  project.provide('postgresTemplate', process.env.TEST_DATABASE_URL ? await postgresTemplate(process.env.TEST_DATABASE_URL, hash) : '');
  // The CLI compiled once per version of the code by the production build's compiler (scripts/compiled.mjs): each
  // CLI test starts dozens of processes, and through tsx each would spend about 0.8 s more CPU compiling and resolving modules.
  project.provide('compiledCli', await compiledCli({ compiler: 'tsc' }));
}

/** Migrates an in-memory PGlite once and keeps its data directory as a tarball; concurrent runs write it atomically. */
async function pgliteTemplate(hash: string): Promise<string> {
  const file = path.join(cacheDir, `pglite-${hash}.tar`);
  fs.mkdirSync(cacheDir, { recursive: true });
  if (fs.existsSync(file)) {
    const now = new Date();
    fs.utimesSync(file, now, now);
  } else {
    const pglite = await PGlite.create({ extensions: pgliteExtensions });
    const db = new Kysely<any>({ dialect: new PGliteDialect(pglite) });
    await migrateAll(db, allMigrations);
    // Tests use one database; without template0 and template1 a copy has a third fewer files to unpack into
    // the engine's file system (measured: 576 instead of 860 ms of CPU per copy, and a run makes over a hundred).
    await pglite.exec(`UPDATE pg_database SET datistemplate = false WHERE datname IN ('template0', 'template1')`);
    await pglite.exec('DROP DATABASE template0');
    await pglite.exec('DROP DATABASE template1');
    // Every copy sets up its shared buffers when it starts, 128 MB by default: the largest single cost of
    // an open (measured: 365 ms of CPU per copy, 250 ms with 16 MB), and a run opens over a hundred copies
    // plus one per CLI process. The template holds about 10 MB; a test that outgrows 16 MB of buffers only
    // reads more from the in-memory file system. It takes effect in the copies (postgresql.auto.conf is
    // read at start), not in this instance. Production's embedded databases keep the default.
    await pglite.exec(`ALTER SYSTEM SET shared_buffers = '16MB'`);
    // Written out to the data files, so every copy starts without replaying the log. The switch puts the
    // checkpoint at the start of a new log segment, so the template can leave out the older segments and
    // the new one's unwritten tail (trimLog).
    await pglite.exec('SELECT pg_switch_wal()');
    await pglite.exec('CHECKPOINT');
    await trimLog(pglite);
    const tar = Buffer.from(await (await pglite.dumpDataDir('none')).arrayBuffer());
    await db.destroy();
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
    fs.writeFileSync(tmp, tar);
    fs.renameSync(tmp, file);
  }
  for (const f of fs.readdirSync(cacheDir)) {
    const p = path.join(cacheDir, f);
    // cli-*: compiled CLIs this folder held before scripts/compiled.mjs kept them in its own.
    if (p !== file && (f.startsWith('pglite-') || f.startsWith('cli-')) && Date.now() - fs.statSync(p).mtimeMs > staleAfterMs)
      fs.rmSync(p, { recursive: true, force: true });
  }
  return file;
}

/**
 * Leaves in pg_wal only the written pages of the segment the last checkpoint is in: a copy reads the log
 * from that checkpoint on, takes the end of the file for the end of the log, and extends the file as it
 * writes. Every segment is 16 MB, so this takes the template from 27 to 10.5 MB, bytes each copy reads,
 * unpacks and collects again (measured: about 20 ms of CPU less per copy).
 */
async function trimLog(pglite: PGlite): Promise<void> {
  const {
    rows: [{ dir, segment, page }],
  } = await pglite.query<{ dir: string; segment: string; page: number }>(
    `SELECT current_setting('data_directory') || '/pg_wal' AS dir, redo_wal_file AS segment,
      current_setting('wal_block_size')::int AS page FROM pg_control_checkpoint()`,
  );
  const { FS } = pglite.Module;
  for (const f of FS.readdir(dir)) {
    if (!/^[0-9A-F]{24}$/.test(f)) continue;
    const file = `${dir}/${f}`;
    if (f !== segment) {
      FS.unlink(file);
      continue;
    }
    const data = FS.readFile(file);
    let end = data.length;
    while (end > 0 && data[end - 1] === 0) end--;
    // Every written page starts with a non-zero header, so rounding up keeps each of them whole.
    FS.truncate(file, Math.ceil(end / page) * page);
  }
}

/**
 * A migrated template database on the server, built under an advisory lock so parallel runs (other
 * checkouts share the server) build it once, and renamed into place only when complete. It refuses
 * connections, so CREATE DATABASE ... TEMPLATE never finds it busy.
 */
async function postgresTemplate(adminUrl: string, hash: string): Promise<string> {
  const name = `indgang_template_${hash}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query('SELECT pg_advisory_lock(hashtext($1))', [name]);
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) {
      const building = `${name}_building`;
      await dropWhenIdle(admin, building);
      await admin.query(`CREATE DATABASE ${building}`);
      const url = new URL(adminUrl);
      url.pathname = `/${building}`;
      const h = await openDatabase({ databaseUrl: url.toString(), poolSize: 1 });
      try {
        await migrateAll(h.db, allMigrations);
      } finally {
        await h.close();
      }
      await waitForNoSessions(admin, building);
      await admin.query(`ALTER DATABASE ${building} RENAME TO ${name}`);
      await admin.query(`ALTER DATABASE ${name} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false`);
    }
    // The comment records the last use, so templates of migrations no run uses any more can go.
    await admin.query(`COMMENT ON DATABASE ${name} IS '${new Date().toISOString()}'`);
    const others = await admin.query<{ datname: string; used: string | null }>(
      `SELECT datname, shobj_description(oid, 'pg_database') AS used FROM pg_database WHERE datname LIKE 'indgang\\_template\\_%' AND datname <> $1`,
      [name],
    );
    for (const t of others.rows) {
      const used = Date.parse(t.used ?? '');
      if (Number.isNaN(used) || Date.now() - used < staleAfterMs) continue;
      await admin.query(`ALTER DATABASE ${t.datname} WITH IS_TEMPLATE false`);
      await admin.query(`DROP DATABASE IF EXISTS ${t.datname}`);
    }
  } finally {
    await admin.query('SELECT pg_advisory_unlock(hashtext($1))', [name]).catch(() => {});
    await admin.end();
  }
  return name;
}
