import type { FetchConfig, SyncConfig } from './config.js';

/** A failure worth trying again: a 5xx or 429 answer, a timeout, a connection refused or a body cut off. */
export class TransientError extends Error {}

/** A failure not worth trying again (a 4xx, an answer that is not what the protocol says). */
export class PermanentError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    readonly body?: string,
  ) {
    super(message);
  }
}

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Authorization from the environment only: Basic from usernameEnv/passwordEnv, Bearer from tokenEnv. */
export function authHeaders(fetch: FetchConfig, env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const f = fetch as { usernameEnv?: string; passwordEnv?: string; tokenEnv?: string };
  if (f.tokenEnv) return { authorization: `Bearer ${env[f.tokenEnv] ?? ''}` };
  if (f.usernameEnv)
    return { authorization: `Basic ${Buffer.from(`${env[f.usernameEnv] ?? ''}:${env[f.passwordEnv ?? ''] ?? ''}`).toString('base64')}` };
  return {};
}

/** URLs in messages without credentials or query secrets. */
const shown = (url: string) => {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return `${u.origin}${u.pathname}`;
  } catch {
    return url;
  }
};

async function once(url: string, init: RequestInit, timeoutMs: number): Promise<Answer> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  } catch (e) {
    const err = e as Error & { cause?: { code?: string; message?: string } };
    if (err.name === 'TimeoutError' || err.name === 'AbortError')
      throw new TransientError(`${init.method ?? 'GET'} ${shown(url)}: no answer within ${timeoutMs} ms`);
    throw new TransientError(`${init.method ?? 'GET'} ${shown(url)}: ${err.cause?.code ?? err.cause?.message ?? err.message}`);
  }
  let text: string;
  try {
    text = await res.text();
  } catch (e) {
    const err = e as Error;
    const why =
      err.name === 'TimeoutError' || err.name === 'AbortError'
        ? `no complete answer within ${timeoutMs} ms`
        : `the answer broke off (${err.message})`;
    throw new TransientError(`${init.method ?? 'GET'} ${shown(url)}: ${why}`);
  }
  if (res.status >= 500 || res.status === 429) throw new TransientError(`${init.method ?? 'GET'} ${shown(url)}: HTTP ${res.status}`);
  return { status: res.status, headers: res.headers, text };
}

/**
 * One HTTP request with the sync's retry policy: transient failures are tried again after
 * baseMs, 2·baseMs, 4·baseMs …; after the last attempt the run fails with the reason. `check`
 * may reject an answer as transient (a JSON body that ends early) to have it fetched again.
 */
export async function request(sync: SyncConfig, url: string, init: RequestInit = {}, check?: (a: Answer) => void): Promise<Answer> {
  const { attempts, baseMs, timeoutMs } = sync.retry;
  let last: Error | null = null;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const a = await once(url, init, timeoutMs);
      check?.(a);
      return a;
    } catch (e) {
      if (!(e instanceof TransientError)) throw e;
      last = e;
      if (attempt < attempts) await sleep(baseMs * 2 ** (attempt - 1));
    }
  }
  throw new Error(`${last!.message} (gave up after ${attempts} attempts)`);
}

/** Parses a JSON answer; a body that does not parse is taken as cut off (transient), a 4xx as permanent. */
export function jsonOf(a: Answer, what: string): any {
  if (a.status >= 400) throw new PermanentError(`${what}: HTTP ${a.status}${a.text ? `: ${a.text.slice(0, 200)}` : ''}`, a.status, a.text);
  try {
    return JSON.parse(a.text);
  } catch (e) {
    throw new TransientError(`${what}: the answer is not complete JSON (${(e as Error).message})`);
  }
}

/** A request whose answer must be JSON; a cut-off body is fetched again. */
export async function requestJson(sync: SyncConfig, url: string, init: RequestInit, what: string): Promise<any> {
  let doc: any;
  await request(sync, url, init, (a) => {
    doc = jsonOf(a, what);
  });
  return doc;
}
