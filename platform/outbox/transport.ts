/**
 * What every durable outbox (the case notifications, the accounts' verification codes) has in
 * common: a row names its recipient and counts its attempts; a transport delivers one row and
 * says whether a failure is worth retrying. Each slice keeps its own rows in its own store.
 */
export interface OutboxItem {
  /** Unique, and the same on every retry, so receivers de-duplicate by it. */
  id: string;
  recipient: { kind: string; address: string };
  /** Failed attempts so far. */
  attempts: number;
}

/** The outcome of one delivery attempt, as the dispatcher needs it to decide what happens next. */
export type DeliveryResult =
  | { ok: true; detail: string }
  /** `permanent`: the receiver refused this message for good; retrying would not help. */
  | { ok: false; permanent: boolean; error: string; detail: string | null };

/** One way of delivering rows of one recipient kind (e-mail, webhook, SMS, …). */
export interface OutboxTransport<Row extends OutboxItem> {
  kind: Row['recipient']['kind'];
  deliver(row: Row): Promise<DeliveryResult>;
  close?(): Promise<void>;
}

/** A short, single-line description of an error for the delivery log (never a stack). */
export function describeError(error: unknown): string {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return `${message}${cause}`.replace(/\s+/g, ' ').slice(0, 500);
}
