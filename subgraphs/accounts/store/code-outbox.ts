import type { OutboxStore } from '../../../platform/outbox/dispatcher.ts';
import type { CodeDeliveryRow } from '../domain/code-delivery.ts';

/**
 * The accounts slice's own outbox of verification codes (`code_outbox`, in the accounts store),
 * delivered by the platform's outbox dispatcher (platform/outbox/). Finishing a row, delivered or
 * parked, erases its sealed code and masks its address (`finishedAddress`).
 */
export interface CodeOutboxStore extends OutboxStore<CodeDeliveryRow> {
  enqueue(row: CodeDeliveryRow): Promise<void>;
  /** Every row of an account, oldest first (tests, audits). */
  rowsOf(accountId: string): Promise<CodeDeliveryRow[]>;
  /** Removes an account's rows (account deletion). */
  purgeAccount(accountId: string): Promise<void>;
}

/** What a finished row keeps of its address: its kind and a hint, never enough to reach the person. */
export function finishedAddress(address: string): string {
  const at = address.indexOf('@');
  return at > 0 ? `${address.slice(0, 1)}***${address.slice(at)}` : `${address.slice(0, 3)}****${address.slice(-4)}`;
}
