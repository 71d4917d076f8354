import { InvalidArgumentError } from 'commander';
import type { Db } from '../db/database.js';
import { addCaller } from '../security/callers.js';
import { accessLogEntries, listCallers, revokeCaller } from '../security/store.js';

/** Where a command writes: the terminal, or a buffer sent back over the admin socket. */
export interface Output {
  out(text: string): void;
  err(text: string): void;
}

export const terminal: Output = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/** The commands on callers and the access log, as data: run here, or by a serving process over its admin socket. */
export type SecurityCommand =
  | { name: 'callers-add'; opts: { name: string; organisation: string[]; scopes: string; rateLimit?: number } }
  | { name: 'callers-list'; opts: { json?: boolean } }
  | { name: 'callers-revoke'; opts: { name: string } }
  | { name: 'access-log'; opts: { cvr?: string; caller?: string; since?: string; limit: number; json?: boolean } };

/** Runs one command on the hub database; returns the exit code. Usage errors throw InvalidArgumentError (exit code 2). */
export async function runSecurityCommand(db: Db, cmd: SecurityCommand, io: Output): Promise<number> {
  switch (cmd.name) {
    case 'callers-add': {
      const o = cmd.opts;
      const key = await addCaller(db, { name: o.name, organisations: o.organisation, scopes: o.scopes, rateLimit: o.rateLimit });
      // The key alone on standard output, so `KEY=$(indgang callers add …)` works; the rest goes to standard error.
      io.out(`${key}\n`);
      io.err(`caller ${o.name} added; the key above is shown this once: store it now\n`);
      return 0;
    }
    case 'callers-list': {
      const callers = await listCallers(db);
      if (cmd.opts.json) {
        io.out(`${JSON.stringify(callers, null, 2)}\n`);
        return 0;
      }
      if (callers.length === 0) io.out('no callers yet; add one with indgang callers add\n');
      for (const c of callers) {
        const status = c.revokedAt ? `revoked ${c.revokedAt.toISOString().slice(0, 10)}` : 'active';
        const orgs = c.organisations.map((o) => JSON.stringify(o)).join(',') || '-';
        io.out(
          `${c.name.padEnd(20)} ${status.padEnd(18)} ${c.keyHint}  scopes=${c.scopes.join(',')}  organisations=${orgs}${c.rateLimit ? `  rate-limit=${c.rateLimit}/min` : ''}  created ${c.createdAt.toISOString().slice(0, 10)}\n`,
        );
      }
      return 0;
    }
    case 'callers-revoke': {
      const r = await revokeCaller(db, cmd.opts.name);
      if (r === 'unknown') {
        io.err(`indgang: no caller named "${cmd.opts.name}" (see indgang callers list)\n`);
        return 1;
      }
      io.out(r === 'revoked' ? `caller ${cmd.opts.name} revoked\n` : `caller ${cmd.opts.name} was revoked already\n`);
      return 0;
    }
    case 'access-log': {
      const o = cmd.opts;
      const entries = await accessLogEntries(db, { cvr: o.cvr, caller: o.caller, since: o.since }, o.limit);
      if (o.json) {
        io.out(`${JSON.stringify(entries, null, 2)}\n`);
        return 0;
      }
      if (entries.length === 0) io.out('no entries\n');
      for (const e of entries) {
        const cvrs = e.cvrs.length > 10 ? `${e.cvrs.slice(0, 10).join(',')} and ${e.cvrs.length - 10} more` : e.cvrs.join(',');
        io.out(
          `${e.at.toISOString()}  ${e.caller.padEnd(20)} ${(e.operation ?? '(anonymous)').padEnd(24)} ${e.servedBy.padEnd(12)} ${e.reads.join('+').padEnd(15)} ${cvrs}\n`,
        );
      }
      return 0;
    }
  }
}

/** Runs a command and turns usage errors into exit code 2 and faults into 1, as the CLI does. */
export async function runCaptured(db: Db, cmd: SecurityCommand, io: Output): Promise<number> {
  try {
    return await runSecurityCommand(db, cmd, io);
  } catch (e) {
    io.err(`indgang: ${(e as Error).message}\n`);
    return e instanceof InvalidArgumentError ? 2 : 1;
  }
}
