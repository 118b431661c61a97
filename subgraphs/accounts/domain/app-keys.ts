/**
 * App keys: an app's credential for reading public data under its own rate limit
 * (platform/app-keys.ts says how it is presented and checked). The key itself is shown once, when
 * it is registered; the store keeps its SHA-256 only, as it does for refresh tokens.
 */
export interface AppKeyRecord {
  /** Public id (`ak_…`): what lists, logs and the gateway's limiter name it by. */
  id: string;
  /** SHA-256 (hex) of the key. */
  keyHash: string;
  /** The account that registered it. */
  accountId: string;
  /** What the app is called, as its owner gave it. */
  name: string;
  /** Its own limit in requests a minute; null for the configured default. */
  requestsPerMinute: number | null;
  createdAt: Date;
  revokedAt: Date | null;
}

export const APP_KEY_NAME_MAX = 80;
/** Live keys one account may hold: enough for an app's environments, not a way round the limits. */
export const MAX_LIVE_KEYS_PER_ACCOUNT = 10;
/** The highest limit staff may give a key: 100 requests a second. */
export const MAX_REQUESTS_PER_MINUTE = 6000;

/** What is wrong with an app's name, or null: 1 to 80 characters after trimming, no control characters. */
export function appKeyNameProblem(name: string): string | null {
  const trimmed = name.trim();
  if (trimmed.length === 0 || trimmed.length > APP_KEY_NAME_MAX) {
    return `the app's name, 1 to ${APP_KEY_NAME_MAX} characters`;
  }
  const control = [...trimmed].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);
  if (control) return "the app's name without control characters";
  return null;
}

export function isLive(key: AppKeyRecord): boolean {
  return key.revokedAt === null;
}
