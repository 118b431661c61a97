/**
 * What the gateway and the accounts slice agree on about app keys (API keys), so neither imports
 * the other:
 * - an app presents its key in the `x-api-key` header, on requests to the gateway;
 * - the gateway asks the accounts subgraph whether a key is live with `GET /app-keys/verify`,
 *   the key in the same header, and caches the answer for APP_KEY_CACHE_SECONDS
 *   (gateway/app-key-verifier.ts); a revoked key is refused within that time;
 * - the answer is 200 with `AppKeyVerification`, or 401 for a key that is unknown or revoked.
 *
 * A key adds no rights: it reaches no subgraph (the gateway does not forward the header), so the
 * subgraphs see an app as an anonymous caller, which reads the directory, the rankings and the
 * published cases and nothing personal. What a key buys is its own rate limit.
 */
export const API_KEY_HEADER = 'x-api-key';
export const APP_KEY_VERIFY_PATH = '/app-keys/verify';

export interface AppKeyVerification {
  /** The key's public id (`ak_…`), never the key itself. */
  id: string;
  /** The key's own limit in requests a minute; null: RATE_LIMIT_APP_KEY_PER_MINUTE. */
  requestsPerMinute: number | null;
}

/** The shape of a key: `wqk_` and 43 base64url characters (256 random bits). */
export const APP_KEY_PATTERN = /^wqk_[A-Za-z0-9_-]{43}$/;
