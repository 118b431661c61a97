import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { request } from 'undici';
import { API_KEY_HEADER, APP_KEY_PATTERN, APP_KEY_VERIFY_PATH, type AppKeyVerification } from '../platform/app-keys.ts';

/**
 * Which app a key names, as the accounts subgraph says (platform/app-keys.ts), remembered for
 * APP_KEY_CACHE_SECONDS so that a busy app costs the accounts subgraph one question per key and
 * period, not one per request. That period bounds how long a revoked key keeps working.
 *
 * - `live`: the key is registered and not revoked;
 * - `invalid`: unknown, revoked or malformed; remembered as long as a live answer is, so a revoked
 *   key sent over and over costs no more;
 * - `unverified`: the accounts subgraph did not answer; never remembered (the next request asks
 *   again), and the caller is limited as an anonymous one meanwhile: a key adds no rights, so
 *   treating its holder as anonymous gives nothing away.
 *
 * The cache is a Map in insertion order with a bound on its size (the oldest entry goes first): it
 * needs expiry and a bound, nothing an LRU library adds would change what is answered. Entries are
 * keyed by the key's SHA-256, so the gateway's memory holds no usable key. Concurrent requests with
 * the same uncached key share one question.
 */
export type AppKeyCheck =
  | { kind: 'live'; verification: AppKeyVerification }
  | { kind: 'invalid' }
  | { kind: 'unverified' };

export type AppKeyVerifier = (key: string) => Promise<AppKeyCheck>;

const MAX_ENTRIES = 10_000;
const QUESTION_TIMEOUT_MS = 2_000;

export function createAppKeyVerifier(options: {
  /** The accounts subgraph's GraphQL URL; the route is on the same origin. */
  accountsUrl: string;
  cacheSeconds: number;
  logger: Logger;
  /** The clock of the cache (tests move it instead of waiting). */
  now?: () => number;
}): AppKeyVerifier {
  const now = options.now ?? Date.now;
  const verifyUrl = new URL(APP_KEY_VERIFY_PATH, options.accountsUrl);
  const cache = new Map<string, { expiresAt: number; check: Promise<AppKeyCheck> }>();

  async function ask(key: string): Promise<AppKeyCheck> {
    try {
      const response = await request(verifyUrl, {
        headers: { [API_KEY_HEADER]: key },
        headersTimeout: QUESTION_TIMEOUT_MS,
        bodyTimeout: QUESTION_TIMEOUT_MS,
      });
      if (response.statusCode === 200) {
        const verification = (await response.body.json()) as AppKeyVerification;
        return { kind: 'live', verification };
      }
      await response.body.dump();
      if (response.statusCode === 401) return { kind: 'invalid' };
      options.logger.warn({ status: response.statusCode }, 'app key verification failed');
    } catch (error) {
      options.logger.warn({ err: (error as Error).message }, 'app key verification unreachable');
    }
    return { kind: 'unverified' };
  }

  return async (key) => {
    if (!APP_KEY_PATTERN.test(key)) return { kind: 'invalid' };
    const id = createHash('sha256').update(key).digest('base64url');
    const cached = cache.get(id);
    if (cached && cached.expiresAt > now()) return cached.check;
    cache.delete(id);
    if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
    const check = ask(key);
    cache.set(id, { expiresAt: now() + options.cacheSeconds * 1000, check });
    const answered = await check;
    if (answered.kind === 'unverified' && cache.get(id)?.check === check) cache.delete(id);
    return answered;
  };
}
