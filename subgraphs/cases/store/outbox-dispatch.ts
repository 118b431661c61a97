import type { OutboxRow, RecipientKind } from './case-repository.ts';

/** One line of the delivery log: every attempt at every notification, kept for staff and audits. */
export interface DeliveryLogEntry {
  outboxId: string;
  /** 1 for the first attempt. */
  attempt: number;
  at: string;
  outcome: DeliveryOutcome;
  /** What the receiver answered, e.g. `HTTP 500` or `250 OK: queued`. */
  detail: string | null;
  error: string | null;
}

export const DeliveryOutcome = {
  Delivered: 'delivered',
  /** Failed; tried again later. */
  Failed: 'failed',
  /** Failed for good (refused, or out of attempts); no longer retried. */
  Parked: 'parked',
} as const;
export type DeliveryOutcome = (typeof DeliveryOutcome)[keyof typeof DeliveryOutcome];

export interface ClaimRequest {
  now: Date;
  /**
   * Claimed rows are hidden from other dispatchers until then (a per-row lease). A dispatcher
   * that dies after sending but before marking leaves the row to reappear at `claimUntil`:
   * it is sent again with the same id, never lost.
   */
  claimUntil: Date;
  limit: number;
  /** Only rows this dispatcher has a transport for; others stay pending. */
  kinds: readonly RecipientKind[];
}

export interface FailedAttempt {
  now: Date;
  error: string;
  detail: string | null;
  /** When to try again, or PARKED_UNTIL. */
  nextAttemptAt: string;
  parked: boolean;
}

/**
 * The dispatcher's view of the transactional outbox (`case_outbox`, written by the case
 * repository together with each state change) plus its own delivery log.
 */
export interface OutboxDispatchStore {
  /** Atomically claims up to `limit` undelivered rows due by `now`, oldest due first. */
  claimDue(request: ClaimRequest): Promise<OutboxRow[]>;
  /** Marks a row delivered and logs the attempt, together. Only ever after a successful send. */
  markDelivered(id: string, now: Date, detail: string | null): Promise<void>;
  /** Records a failed attempt and when to try again, together. */
  markFailed(id: string, failure: FailedAttempt): Promise<void>;
  /** Every attempt for one notification, in order. */
  deliveryLog(outboxId: string): Promise<DeliveryLogEntry[]>;
}
