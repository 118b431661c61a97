import { request, type Dispatcher } from 'undici';
import { signWebhook } from '../webhook-signature.ts';
import { webhookOutcome } from './retry.ts';
import { describeError, type OutboxItem, type OutboxTransport } from './transport.ts';

export interface WebhookTransportOptions<Row extends OutboxItem> {
  /** WEBHOOK_SIGNING_SECRET. */
  secret: string;
  /** Per attempt: connect, headers and body together must arrive within this. */
  timeoutMs: number;
  /** The recipient kind this transport delivers; `webhook` by default. */
  kind?: Row['recipient']['kind'];
  /** The exact JSON body for a row. */
  body(row: Row): string;
  /** Extra headers for a row (event names, delivery ids). */
  headers?(row: Row): Record<string, string>;
  /** The URL a row is POSTed to; the row's recipient address by default. */
  url?(row: Row): string;
  /** An undici dispatcher (connection pool); the global one by default. */
  dispatcher?: Dispatcher;
  userAgent?: string;
  /** The clock of the `webhook-timestamp` header; the system clock by default (receivers compare with theirs). */
  now?: () => Date;
}

/**
 * Delivers outbox rows as HTTP POSTs of a JSON body, signed as Standard Webhooks sign
 * (platform/webhook-signature.ts): `webhook-id` (the row id, the same on every retry so that
 * receivers de-duplicate), `webhook-timestamp` (this attempt) and `webhook-signature` over both
 * and the exact bytes sent, so a captured delivery cannot be replayed.
 */
export function createWebhookTransport<Row extends OutboxItem>(
  options: WebhookTransportOptions<Row>,
): OutboxTransport<Row> {
  return {
    kind: options.kind ?? 'webhook',
    async deliver(row) {
      const body = options.body(row);
      try {
        const response = await request(options.url ? options.url(row) : row.recipient.address, {
          method: 'POST',
          body,
          headers: {
            'content-type': 'application/json; charset=utf-8',
            'user-agent': options.userAgent ?? 'Weiquan-Webhooks/1',
            ...signWebhook(options.secret, row.id, options.now?.() ?? new Date(), body),
            ...options.headers?.(row),
          },
          headersTimeout: options.timeoutMs,
          bodyTimeout: options.timeoutMs,
          signal: AbortSignal.timeout(options.timeoutMs),
          ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
        });
        // undici never follows redirects here: a 3xx is a failed attempt, so a receiver cannot bounce
        // our POST elsewhere. Drain so the connection returns to the pool; the receiver's words are
        // not ours to keep.
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
