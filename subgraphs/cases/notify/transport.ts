import type { OutboxRow, RecipientKind } from '../store/case-repository.ts';

/** The outcome of one delivery attempt, as the dispatcher needs it to decide what happens next. */
export type DeliveryResult =
  | { ok: true; detail: string }
  /** `permanent`: the receiver refused this message for good; retrying would not help. */
  | { ok: false; permanent: boolean; error: string; detail: string | null };

/** One way of delivering notifications (e-mail, webhook). */
export interface NotificationTransport {
  kind: RecipientKind;
  deliver(row: OutboxRow): Promise<DeliveryResult>;
  close?(): Promise<void>;
}

/** A short, single-line description of an error for the delivery log (never a stack). */
export function describeError(error: unknown): string {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return `${message}${cause}`.replace(/\s+/g, ' ').slice(0, 500);
}
