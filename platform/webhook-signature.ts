import { Webhook, WebhookVerificationError } from 'standardwebhooks';

/**
 * Webhook signatures in the Standard Webhooks scheme, so that a captured delivery cannot be
 * replayed: the HMAC-SHA256 covers the message id, the attempt's timestamp and the body
 * (`id.timestamp.body`), and receivers refuse timestamps more than five minutes away from their
 * clock and ids they have already processed. The key is the UTF-8 bytes of
 * WEBHOOK_SIGNING_SECRET (in a Standard Webhooks library: `whsec_` + its base64, or the raw format).
 */

/** The outbox row id: the same on every retry of one notification, so receivers de-duplicate by it. */
export const WEBHOOK_ID_HEADER = 'webhook-id';
/** Seconds since the epoch at which this attempt was signed. */
export const WEBHOOK_TIMESTAMP_HEADER = 'webhook-timestamp';
/** `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`; several space-separated during a key rotation. */
export const WEBHOOK_SIGNATURE_HEADER = 'webhook-signature';
/** How far a receiver accepts a timestamp from its own clock, either way (the scheme's default). */
export const WEBHOOK_TOLERANCE_SECONDS = 5 * 60;

export type WebhookSignatureHeaders = Record<
  typeof WEBHOOK_ID_HEADER | typeof WEBHOOK_TIMESTAMP_HEADER | typeof WEBHOOK_SIGNATURE_HEADER,
  string
>;

const signerFor = (secret: string) => new Webhook(Buffer.from(secret, 'utf8').toString('base64'));

/** The three headers of one delivery attempt of message `id` made at `at`. */
export function signWebhook(secret: string, id: string, at: Date, body: string): WebhookSignatureHeaders {
  const seconds = Math.floor(at.getTime() / 1000);
  return {
    [WEBHOOK_ID_HEADER]: id,
    [WEBHOOK_TIMESTAMP_HEADER]: String(seconds),
    [WEBHOOK_SIGNATURE_HEADER]: signerFor(secret).sign(id, new Date(seconds * 1000), body),
  };
}

/**
 * What a receiver does (and our tests' receivers do): null when the headers sign exactly this
 * body with `secret` and the timestamp is within five minutes of now, else why not. The library
 * compares in constant time and reads the clock itself. De-duplicating by `webhook-id` is the
 * receiver's part.
 */
export function webhookSignatureProblem(
  secret: string,
  body: string,
  headers: Record<string, string | string[] | undefined>,
): string | null {
  const header = (name: string) => {
    const value = headers[name];
    return Array.isArray(value) ? value.join(' ') : (value ?? '');
  };
  try {
    signerFor(secret).verify(body, {
      [WEBHOOK_ID_HEADER]: header(WEBHOOK_ID_HEADER),
      [WEBHOOK_TIMESTAMP_HEADER]: header(WEBHOOK_TIMESTAMP_HEADER),
      [WEBHOOK_SIGNATURE_HEADER]: header(WEBHOOK_SIGNATURE_HEADER),
    });
    return null;
  } catch (error) {
    if (error instanceof WebhookVerificationError) return error.message;
    throw error;
  }
}
