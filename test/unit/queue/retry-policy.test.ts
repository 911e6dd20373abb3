import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_POLICY, RETRY_AFTER_CEILING_MS, resolvePolicy, retryDelayMs } from '../../../server/queue/retry-policy.js';

const P = DEFAULT_RETRY_POLICY;
const noJitter = () => 0;

/** Start times (ms) of attempts 1..n when every attempt fails immediately, without jitter. */
function attemptStarts(n: number): number[] {
  const starts = [0];
  for (let a = 1; a < n; a++) starts.push(starts[a - 1]! + retryDelayMs(a, P, { random: noJitter }));
  return starts;
}

describe('retry policy', () => {
  it('doubles from 5 s and stops at the 30-minute cap', () => {
    const delays = [1, 2, 3, 4, 9, 10, 11, 24].map((a) => retryDelayMs(a, P, { random: noJitter }));
    expect(delays).toEqual([5_000, 10_000, 20_000, 40_000, 1_280_000, 1_800_000, 1_800_000, 1_800_000]);
  });

  it('jitter only shortens the delay, by at most 20 %, so the cap is never exceeded', () => {
    expect(retryDelayMs(30, P, { random: () => 0.999999 })).toBeGreaterThanOrEqual(0.8 * 1_800_000);
    for (let i = 0; i < 200; i++) {
      const d = retryDelayMs(12, P);
      expect(d).toBeGreaterThanOrEqual(1_440_000);
      expect(d).toBeLessThanOrEqual(1_800_000);
    }
    // Two jobs failing together in one outage come back at different times.
    expect(retryDelayMs(5, P, { random: () => 0.1 })).not.toBe(retryDelayMs(5, P, { random: () => 0.9 }));
  });

  it('a Retry-After hint longer than the backoff wins; an absurd one is held to 6 h', () => {
    expect(retryDelayMs(1, P, { random: noJitter, retryAfterMs: 42_000 })).toBe(42_000);
    expect(retryDelayMs(5, P, { random: noJitter, retryAfterMs: 1_000 })).toBe(80_000);
    expect(retryDelayMs(1, P, { random: noJitter, retryAfterMs: 10 * 24 * 3_600_000 })).toBe(RETRY_AFTER_CEILING_MS);
  });

  it('a 30-minute warehouse outage costs 9 failed attempts; the 10th (at ~42.6 min) runs; 25 attempts span ~8.2 h', () => {
    const starts = attemptStarts(25);
    const failedDuringOutage = starts.filter((t) => t < 30 * 60_000).length;
    expect(failedDuringOutage).toBe(9);
    expect(starts[9]).toBe(2_555_000);
    expect(25 - failedDuringOutage).toBe(16); // attempts left after the outage
    expect(starts[24]! / 3_600_000).toBeCloseTo(8.21, 1);
  });

  it('per-type overrides replace only the fields they name', () => {
    const p = resolvePolicy({ maxAttempts: 3 });
    expect(p).toEqual({ ...P, maxAttempts: 3 });
    expect(retryDelayMs(1, resolvePolicy({ baseDelayMs: 1000, maxDelayMs: 1500 }), { random: noJitter })).toBe(1000);
    expect(retryDelayMs(4, resolvePolicy({ baseDelayMs: 1000, maxDelayMs: 1500 }), { random: noJitter })).toBe(1500);
  });
});
