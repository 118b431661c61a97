import type { Dispatcher } from 'undici';
import { createWebhookTransport as createOutboxWebhookTransport } from '../../../platform/outbox/webhook.ts';
import { DELIVERY_HEADER, EVENT_HEADER, webhookBody } from '../domain/notifications.ts';
import type { OutboxRow } from '../store/case-repository.ts';
import type { NotificationTransport } from './transport.ts';

export interface WebhookTransportOptions {
  /** WEBHOOK_SIGNING_SECRET. */
  secret: string;
  /** Per attempt: connect, headers and body together must arrive within this. */
  timeoutMs: number;
  /** An undici dispatcher (connection pool); the global one by default. */
  dispatcher?: Dispatcher;
  userAgent?: string;
  /** The clock of the `webhook-timestamp` header; the system clock by default. */
  now?: () => Date;
}

/**
 * Delivers a case notification as a signed JSON POST (platform/outbox/webhook.ts) to the row's
 * address, with the outbox id in `x-weiquan-delivery` and the event in `x-weiquan-event`.
 */
export function createWebhookTransport(options: WebhookTransportOptions): NotificationTransport {
  return createOutboxWebhookTransport<OutboxRow>({
    ...options,
    body: webhookBody,
    headers: (row) => ({ [DELIVERY_HEADER]: row.id, [EVENT_HEADER]: row.event }),
  });
}
