import { execFile, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { inject } from 'vitest';

const exec = promisify(execFile);

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * A CLI test's process lives about a second, too short for V8's optimising WebAssembly compiler to pay
 * for itself on PGlite's engine: with the baseline compiler only, `indgang runs` takes 0.75 instead of
 * 1.28 s of CPU on the test template (measured), and the CLI tests start about fifty processes. Code
 * generation is all it changes; what the CLI does is the same, and production's long-running processes
 * keep V8's default.
 */
const nodeFlags = ['--liftoff-only'];

/**
 * Runs `indgang <args>` as a user would, in its own process, and keeps its exit code and both streams.
 * The process runs the CLI as `npm run build` compiles it (built once per run by the global setup);
 * bin/indgang.js, which runs the sources through tsx, is what tests/abandoned-runs.test.ts starts.
 */
export async function runIndgang(env: NodeJS.ProcessEnv, ...args: string[]): Promise<CliResult> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [...nodeFlags, inject('compiledCli'), ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (e: any) {
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/**
 * The URL a `serve` child process serves, from its "serving" log line on stderr (JSON lines, LOG_LEVEL info);
 * rejects with the end of its output if it exits first.
 */
export function servingUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    child.stderr!.on('data', (c) => {
      buf += c;
      for (const line of buf.split('\n')) {
        try {
          const j = JSON.parse(line);
          if (j.phase === 'serving') resolve(j.url);
        } catch {
          // not a whole JSON line yet
        }
      }
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${buf.slice(-2000)}`)));
  });
}
