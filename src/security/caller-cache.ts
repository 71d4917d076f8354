import type { CallerRecord } from './records.js';

/** Default for how long a serving process trusts a caller record it read (INDGANG_KEY_CACHE_SECONDS). */
export const DEFAULT_KEY_CACHE_MS = 5_000;

// Bumped by every change to callers made in this process: caches drop what they hold at once.
let generation = 0;

/** Says that callers changed (a key added or revoked), so no process-local cache answers from before. */
export function callersChanged(): void {
  generation++;
}

/**
 * Caller records by key hash for a few seconds, so a client's requests do not each send a statement to
 * authenticate. A key revoked in this process is refused at once; one revoked by another process (the CLI
 * against the same Postgres, another replica) within `ttlMs`. Only known keys are kept, so unknown ones
 * cannot fill it.
 */
export class CallerCache {
  readonly #entries = new Map<string, { caller: CallerRecord; until: number }>();
  #generation = generation;

  constructor(
    private readonly ttlMs: number,
    private readonly max = 10_000,
  ) {}

  get(keyHash: string): CallerRecord | undefined {
    if (this.#generation !== generation) {
      this.#entries.clear();
      this.#generation = generation;
    }
    const e = this.#entries.get(keyHash);
    if (e && e.until > Date.now()) return e.caller;
    if (e) this.#entries.delete(keyHash);
    return undefined;
  }

  /** Reads through the cache; a record read while callers changed in this process is not kept. */
  async read(keyHash: string, lookup: () => Promise<CallerRecord | undefined>): Promise<CallerRecord | undefined> {
    const cached = this.get(keyHash);
    if (cached) return cached;
    const before = generation;
    const caller = await lookup();
    if (caller && this.ttlMs > 0 && before === generation) {
      if (this.#entries.size >= this.max) this.#entries.clear();
      this.#entries.set(keyHash, { caller, until: Date.now() + this.ttlMs });
    }
    return caller;
  }
}
