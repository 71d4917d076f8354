import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { Db } from '../db/database.js';
import { logger } from '../logger.js';
import { runCaptured, type SecurityCommand } from './security-commands.js';

/** Unix sockets take paths up to about 100 bytes. */
const MAX_PATH = 100;

export const adminSocketPath = (dataDir: string) => path.join(dataDir, 'admin.sock');

/**
 * The embedded database has one writer, the serving process. So that `indgang callers …` and
 * `indgang access-log` work while it serves, it answers those commands on a Unix socket in its data
 * folder, readable only by the folder's owner (who can read the database files anyway). Returns a stop function.
 */
export async function serveAdminSocket(db: Db, dataDir: string): Promise<() => Promise<void>> {
  const file = adminSocketPath(dataDir);
  if (Buffer.byteLength(file) > MAX_PATH) {
    logger.warn({ file }, 'data folder path too long for the admin socket: stop the server to run callers and access-log commands');
    return async () => {};
  }
  // This process holds the data folder's lock, so a socket file left there is stale.
  fs.rmSync(file, { force: true });
  const server = net.createServer((socket) => {
    let input = '';
    socket.setEncoding('utf8');
    socket.on('data', async (chunk) => {
      input += chunk;
      if (!input.includes('\n')) return;
      let stdout = '';
      let stderr = '';
      let code: number;
      try {
        const cmd = JSON.parse(input.slice(0, input.indexOf('\n'))) as SecurityCommand;
        code = await runCaptured(db, cmd, { out: (t) => (stdout += t), err: (t) => (stderr += t) });
        logger.info({ command: cmd.name, code }, 'admin command over the socket');
      } catch (e) {
        stderr = `indgang: ${(e as Error).message}\n`;
        code = 1;
      }
      socket.end(`${JSON.stringify({ code, stdout, stderr })}\n`);
    });
    socket.on('error', () => {});
  });
  const umask = process.umask(0o177);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(file, resolve);
    });
  } finally {
    process.umask(umask);
  }
  fs.chmodSync(file, 0o600);
  return () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      fs.rmSync(file, { force: true });
    });
}

/** Sends a command to the serving process of a data folder; its answer as a command's exit code and output. */
export function sendAdminCommand(dataDir: string, cmd: SecurityCommand): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(adminSocketPath(dataDir));
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(`${JSON.stringify(cmd)}\n`));
    socket.on('data', (chunk) => (answer += chunk));
    socket.on('end', () => {
      try {
        resolve(JSON.parse(answer));
      } catch {
        reject(new Error('the serving process gave no answer on its admin socket'));
      }
    });
    socket.on('error', (e) => reject(new Error(`cannot reach the serving process on ${adminSocketPath(dataDir)}: ${e.message}`)));
  });
}
