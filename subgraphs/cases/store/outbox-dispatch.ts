import type { OutboxStore } from '../../../platform/outbox/dispatcher.ts';
import type { OutboxRow } from './case-repository.ts';

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

export type { ClaimRequest, FailedAttempt } from '../../../platform/outbox/dispatcher.ts';

/**
 * The dispatcher's view of the transactional outbox (`case_outbox`, written by the case
 * repository together with each state change) plus its own delivery log.
 */
export interface OutboxDispatchStore extends OutboxStore<OutboxRow> {
  /** Every attempt for one notification, in order. */
  deliveryLog(outboxId: string): Promise<DeliveryLogEntry[]>;
}
