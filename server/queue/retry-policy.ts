// Retry policy: when a failed attempt runs again, and when a job has spent its attempts.
//
//   delay(n) = min(maxDelay, baseDelay · 2^(n−1)) · (1 − jitter · random())      n = attempts made so far
//   delay    = max(delay, min(retryAfterMs, RETRY_AFTER_CEILING_MS))              server hint (429 / 503)
//
// Defaults: base 5 s, cap 30 min, 25 attempts, jitter 20 % (downwards only, so the cap is a true cap and
// jobs that failed together in one outage do not come back in one burst).
// Nominal delays (random = 0): 5 s, 10, 20, 40, 80, 160 s, 5.3 min, 10.7, 21.3, then 30 min each.
// What a 30-minute GreaterWMS outage costs: attempts start at 0, 5, 15, 35, 75, 155, 315, 635, 1275 s —
// 9 failed attempts — and the 10th, at ~42 min (34–42 with jitter), succeeds: 16 attempts remain, and
// the job runs at most one cap (30 min) after the warehouse is back. Spending all 25 attempts takes
// ~8.2 h (2555 s + 15 × 30 min), so a warehouse server that is off overnight is survived; beyond that a
// person must look, which is what the dead-letter alert is for.
export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** 0..1: the fraction of the delay that random jitter may take away. */
  jitter: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 25,
  baseDelayMs: 5_000,
  maxDelayMs: 30 * 60_000,
  jitter: 0.2,
};

/** A Retry-After longer than this is treated as this (a misconfigured server must not park jobs for days). */
export const RETRY_AFTER_CEILING_MS = 6 * 60 * 60_000;

export function resolvePolicy(overrides: Partial<RetryPolicy> | undefined, base: RetryPolicy = DEFAULT_RETRY_POLICY): RetryPolicy {
  return { ...base, ...(overrides ?? {}) };
}

/** Milliseconds to wait before the next attempt after `attempts` attempts have failed (attempts ≥ 1). */
export function retryDelayMs(
  attempts: number,
  policy: RetryPolicy,
  opts: { random?: () => number; retryAfterMs?: number } = {},
): number {
  const random = opts.random ?? Math.random;
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, Math.min(attempts - 1, 40)));
  let delay = Math.round(exp * (1 - policy.jitter * random()));
  if (opts.retryAfterMs !== undefined && opts.retryAfterMs > 0) {
    delay = Math.max(delay, Math.min(opts.retryAfterMs, RETRY_AFTER_CEILING_MS));
  }
  return delay;
}
