import { backoffDelayMs, type BackoffPolicy } from '../backoff.ts';

/**
 * When an outbox row is tried again after a failed delivery, and when it is given up on (parked,
 * the dead letter). Pure: the clock and the jitter are passed in, so decisions are tested exactly.
 */
export interface RetryPolicy extends BackoffPolicy {
  /** After this many failed attempts the row is parked (dead letter) and no longer retried. */
  maxAttempts: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { baseDelayMs: 30_000, maxDelayMs: 60 * 60_000, maxAttempts: 12 };

/** Far in the future: a parked row is never due again, but stays visible with its last error. */
export const PARKED_UNTIL = '9999-12-31T00:00:00.000Z';

/** What the dispatcher does with a row after a failed attempt: try again later, or park it. */
export type FailureDecision =
  | { kind: 'retry'; nextAttemptAt: string }
  | { kind: 'park'; nextAttemptAt: typeof PARKED_UNTIL };

export function decideAfterFailure(
  policy: RetryPolicy,
  attemptsSoFar: number,
  permanent: boolean,
  now: Date,
  random: number,
): FailureDecision {
  const attempts = attemptsSoFar + 1;
  if (permanent || attempts >= policy.maxAttempts) return { kind: 'park', nextAttemptAt: PARKED_UNTIL };
  return {
    kind: 'retry',
    // `attempts` counts failures so far, so the first failure waits the first retry's delay.
    nextAttemptAt: new Date(now.getTime() + backoffDelayMs(policy, attempts - 1, random)).toISOString(),
  };
}

/**
 * Whether a webhook answer is final. 2xx: delivered. 4xx other than 408 (timeout) and 429
 * (rate limit): the receiver refuses this message and will keep refusing; retrying only
 * hammers it. Everything else (5xx, network errors) may pass on a later try.
 */
export function webhookOutcome(status: number): 'delivered' | 'retry' | 'refused' {
  if (status >= 200 && status < 300) return 'delivered';
  if (status >= 400 && status < 500 && status !== 408 && status !== 429) return 'refused';
  return 'retry';
}
