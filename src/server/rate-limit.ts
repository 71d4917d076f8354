import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { GraphQLError } from 'graphql';
import type { Principal } from '../security/principal.js';

/** Default cost points per minute for callers without their own limit (INDGANG_RATE_LIMIT). */
export const DEFAULT_RATE_LIMIT = 200_000;

export interface RateState {
  limit: number;
  remaining: number;
  /** Seconds until the window resets. */
  reset: number;
}

/**
 * Cost-based rate limits per caller: each caller may spend its `rateLimit` (from `indgang callers add
 * --rate-limit`) or the default in cost points per minute; an operation spends its cost (at least 1).
 * Counted in this process's memory (rate-limiter-flexible), so each server process counts on its own.
 */
export class CallerRateLimits {
  private readonly limiters = new Map<number, RateLimiterMemory>();
  constructor(private readonly defaultPoints: number = DEFAULT_RATE_LIMIT) {}

  private limiter(points: number): RateLimiterMemory {
    let l = this.limiters.get(points);
    if (!l) this.limiters.set(points, (l = new RateLimiterMemory({ points, duration: 60, keyPrefix: `cost-${points}` })));
    return l;
  }

  /** Spends `cost` for the caller; throws RATE_LIMITED (HTTP 429 with Retry-After) when it has run out. */
  async spend(principal: Principal | undefined, cost: number): Promise<RateState | undefined> {
    const points = principal?.rateLimit ?? this.defaultPoints;
    if (!points || points <= 0) return undefined;
    const key = principal?.id ?? 'anonymous';
    const spend = Math.max(1, Math.ceil(cost));
    try {
      const r = await this.limiter(points).consume(key, spend);
      return { limit: points, remaining: r.remainingPoints, reset: Math.ceil(r.msBeforeNext / 1000) };
    } catch (e) {
      if (!(e instanceof RateLimiterRes)) throw e;
      const retryAfter = Math.max(1, Math.ceil(e.msBeforeNext / 1000));
      throw new GraphQLError(
        `rate limit of ${points} cost points per minute reached (this operation costs ${spend}); retry in ${retryAfter} s`,
        {
          extensions: {
            code: 'RATE_LIMITED',
            limit: points,
            value: spend,
            retryAfter,
            http: {
              status: 429,
              headers: new Map(Object.entries(headersFor({ limit: points, remaining: 0, reset: retryAfter }, retryAfter))),
            },
          },
        },
      );
    }
  }
}

/** IETF RateLimit header fields (draft), plus Retry-After when refused. */
export function headersFor(s: RateState, retryAfter?: number): Record<string, string> {
  return {
    'ratelimit-limit': String(s.limit),
    'ratelimit-remaining': String(Math.max(0, s.remaining)),
    'ratelimit-reset': String(s.reset),
    'ratelimit-policy': `${s.limit};w=60`,
    ...(retryAfter !== undefined ? { 'retry-after': String(retryAfter) } : {}),
  };
}
