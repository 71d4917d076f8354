/**
 * Start-up, as a developer meets it (`npm start`: the compiled copy of the sources, development mode, embedded database):
 *   start.firstAnswerSeconds   an empty INDGANG_DATA_DIR and an empty build cache (a fresh clone): compiling the
 *                              sources, migrations, the demo load, then the first answered GraphQL query
 *   start.laterAnswerSeconds   the same folder again: the first answered query of a later start
 *   start.helpSeconds          `indgang --help` (bin/indgang.js), the median of three; start.helpCpuSeconds its CPU time
 * A real fresh clone also runs `npm ci`; that is the network's time, not indgang's, and is left out.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { BenchContext, BenchSuite } from '../context.js';
import { freePort, root, run } from '../lib.js';

const QUERY = JSON.stringify({ query: '{ companies(first: 1) { edges { node { cvr name } } } }' });

/** Seconds from spawning `serve` until a query returns a company; the server is stopped afterwards. */
async function secondsToFirstAnswer(ctx: BenchContext, dataDir: string, buildCache: string, timeoutSeconds = 600): Promise<number> {
  const port = await freePort();
  const started = process.hrtime.bigint();
  // As `npm start` on a developer's machine: development mode, no credentials needed, the embedded database.
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    INDGANG_DATA_DIR: dataDir,
    INDGANG_BUILD_CACHE: buildCache,
    DATABASE_URL: '',
    PORT: String(port),
    NODE_ENV: 'development',
    INDGANG_WORKER: '0',
    LOG_LEVEL: 'warn',
  };
  delete env.INDGANG_AUTH;
  const child = spawn(process.execPath, ['scripts/start.mjs', 'serve'], {
    cwd: root,
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  try {
    for (;;) {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (seconds > timeoutSeconds) throw new Error(`serve gave no answer within ${timeoutSeconds} s: ${stderr}`);
      if (child.exitCode !== null) throw new Error(`serve exited with ${child.exitCode}: ${stderr}`);
      try {
        const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: QUERY,
        });
        const body = (await res.json()) as { data?: { companies?: { edges: unknown[] } } };
        if (res.ok && body.data?.companies?.edges.length) return Number(process.hrtime.bigint() - started) / 1e9;
        throw new Error(`serve answered ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
      } catch (e) {
        if ((e as Error).message.startsWith('serve answered')) throw e;
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    child.kill('SIGTERM');
    // The next start needs the embedded database's lock released.
    await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}

/** `indgang --help`: wall seconds and CPU seconds (user + system, steadier on a shared machine), medians of three. */
async function helpSeconds(): Promise<{ wall: number; cpu: number }> {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t = process.hrtime.bigint();
    // bash's `time` reports the child's CPU time; TIMEFORMAT prints user and system seconds.
    const { stderr } = await run(
      'bash',
      ['-c', `TIMEFORMAT='%U %S'; time ${JSON.stringify(process.execPath)} bin/indgang.js --help > /dev/null`],
      { cwd: root },
    );
    wall.push(Number(process.hrtime.bigint() - t) / 1e9);
    const [user, system] = stderr.trim().split('\n').at(-1)!.split(' ').map(Number);
    cpu.push(user! + system!);
  }
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[1]!;
  return { wall: median(wall), cpu: median(cpu) };
}

export const suite: BenchSuite = {
  name: 'start',
  async run(ctx) {
    const dataDir = path.join(ctx.tmp, 'start-data');
    // A build cache of its own, so the first start compiles as a fresh clone's does.
    const buildCache = path.join(ctx.tmp, 'start-build');
    const first = await secondsToFirstAnswer(ctx, dataDir, buildCache);
    ctx.log(`first start (empty build cache and data folder: compile, demo load) answered after ${first.toFixed(1)} s`);
    const later = await secondsToFirstAnswer(ctx, dataDir, buildCache);
    ctx.log(`later start answered after ${later.toFixed(1)} s`);
    const help = await helpSeconds();
    ctx.log(`indgang --help: ${help.wall.toFixed(2)} s (${help.cpu.toFixed(2)} s of CPU)`);
    return {
      'start.firstAnswerSeconds': first,
      'start.laterAnswerSeconds': later,
      'start.helpSeconds': help.wall,
      'start.helpCpuSeconds': help.cpu,
    };
  },
};
