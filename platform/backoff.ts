/**
 * Exponential backoff with "equal jitter": half of the doubled, capped delay is fixed and half is
 * random, so the retries of many callers after one outage spread out instead of arriving together,
 * and none comes back sooner than half the delay. One formula for every retry in the project: the
 * listing fetcher waits it out in process, the notification outbox stores it as the next attempt.
 */
export interface BackoffPolicy {
  /** The delay before the first retry (the full value; the jitter takes up to half of it off). */
  baseDelayMs: number;
  /** No delay grows beyond this. */
  maxDelayMs: number;
}

/**
 * The delay before retry number `retry` (0 for the first retry, after the first failure), in
 * whole milliseconds; `random` is in [0, 1), e.g. `Math.random()`, injected so tests pin it.
 */
export function backoffDelayMs(policy: BackoffPolicy, retry: number, random: number): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry));
  return Math.round(exponential / 2 + (exponential / 2) * random);
}
