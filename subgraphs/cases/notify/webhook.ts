import { request, type Dispatcher } from 'undici';
import { DELIVERY_HEADER, EVENT_HEADER, webhookBody, webhookOutcome } from '../domain/notifications.ts';
import { describeError, type NotificationTransport } from './transport.ts';
import { signWebhook } from '../../../platform/webhook-signature.ts';

export interface WebhookTransportOptions {
  /** WEBHOOK_SIGNING_SECRET. */
  secret: string;
  /** Per attempt: connect, headers and body together must arrive within this. */
  timeoutMs: number;
  /** An undici dispatcher (connection pool); the global one by default. */
  dispatcher?: Dispatcher;
  userAgent?: string;
  /** The clock of the `webhook-timestamp` header; the system clock by default (receivers compare with theirs). */
  now?: () => Date;
}

/**
 * Delivers a notification as an HTTP POST of a JSON body, signed as Standard Webhooks sign
 * (platform/webhook-signature.ts): `webhook-id` (the outbox id, also in `x-weiquan-delivery`, the same on
 * every retry so that receivers de-duplicate), `webhook-timestamp` (this attempt) and
 * `webhook-signature` over both and the exact bytes sent, so a captured delivery cannot be replayed.
 */
export function createWebhookTransport(options: WebhookTransportOptions): NotificationTransport {
  return {
    kind: 'webhook',
    async deliver(row) {
      const body = webhookBody(row);
      try {
        const response = await request(row.recipient.address, {
          method: 'POST',
          body,
          headers: {
            'content-type': 'application/json; charset=utf-8',
            'user-agent': options.userAgent ?? 'Weiquan-Webhooks/1',
            ...signWebhook(options.secret, row.id, options.now?.() ?? new Date(), body),
            [DELIVERY_HEADER]: row.id,
            [EVENT_HEADER]: row.event,
          },
          headersTimeout: options.timeoutMs,
          bodyTimeout: options.timeoutMs,
          signal: AbortSignal.timeout(options.timeoutMs),
          ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
        });
        // undici never follows redirects here: a 3xx is a failed attempt, so a receiver cannot bounce
        // our POST elsewhere.
        // Drain so the connection returns to the pool; the receiver's words are not ours to keep.
        await response.body.dump({ limit: 64 * 1024 }).catch(() => undefined);
        const detail = `HTTP ${response.statusCode}`;
        const outcome = webhookOutcome(response.statusCode);
        if (outcome === 'delivered') return { ok: true, detail };
        return { ok: false, permanent: outcome === 'refused', error: `The receiver answered ${detail}.`, detail };
      } catch (error) {
        return { ok: false, permanent: false, error: describeError(error), detail: null };
      }
    },
  };
}
