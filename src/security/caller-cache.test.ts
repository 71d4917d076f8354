import { afterEach, describe, expect, it, vi } from 'vitest';
import { CallerCache, callersChanged } from './caller-cache.js';
import type { CallerRecord } from './records.js';

const herning: CallerRecord = {
  name: 'herning-jc',
  keyHint: 'indgang_abcd…',
  organisations: [],
  scopes: ['read:registry'],
  rateLimit: null,
  createdAt: new Date('2026-01-01'),
  revokedAt: null,
};

describe('the caller cache', () => {
  afterEach(() => vi.useRealTimers());

  it('reads a known key once within its time, and again after it', async () => {
    vi.useFakeTimers();
    const cache = new CallerCache(5_000);
    const lookup = vi.fn(async () => herning);
    expect(await cache.read('h', lookup)).toBe(herning);
    expect(await cache.read('h', lookup)).toBe(herning);
    expect(lookup).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(5_001);
    expect(await cache.read('h', lookup)).toBe(herning);
    expect(lookup).toHaveBeenCalledTimes(2);
  });

  it('never keeps an unknown key, and keeps nothing with a time of 0', async () => {
    const unknown = vi.fn(async () => undefined);
    const cache = new CallerCache(5_000);
    await cache.read('x', unknown);
    await cache.read('x', unknown);
    expect(unknown).toHaveBeenCalledTimes(2);
    const off = new CallerCache(0);
    const lookup = vi.fn(async () => herning);
    await off.read('h', lookup);
    await off.read('h', lookup);
    expect(lookup).toHaveBeenCalledTimes(2);
  });

  it('forgets everything when callers change in this process, also a record read while they changed', async () => {
    const cache = new CallerCache(60_000);
    const lookup = vi.fn(async () => herning);
    await cache.read('h', lookup);
    callersChanged();
    await cache.read('h', lookup);
    expect(lookup).toHaveBeenCalledTimes(2);
    // A revoke that lands while a lookup is under way: what that lookup read is not kept.
    await cache.read('r', async () => (callersChanged(), herning));
    const after = vi.fn(async () => herning);
    await cache.read('r', after);
    expect(after).toHaveBeenCalledTimes(1);
  });
});
