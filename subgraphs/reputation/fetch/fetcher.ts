import Bottleneck from 'bottleneck';
import { createRequire } from 'node:module';
import { Pool, type Dispatcher } from 'undici';
import { backoffDelayMs } from '../../../platform/backoff.ts';
import { decodeBody } from './charset.ts';

interface RobotsRules {
  isAllowed(url: string, ua?: string): boolean | undefined;
}
// robots-parser is CommonJS exporting one function; its typings claim an ES default export.
const robotsParser = createRequire(import.meta.url)('robots-parser') as (url: string, contents: string) => RobotsRules;

/**
 * The one HTTP client every source adapter uses. Polite by construction: an identifying
 * User-Agent, robots.txt honoured, a per-host rate limit, keep-alive connections; and defensive:
 * connect/header/body timeouts, a whole-response deadline (a slow drip cannot hold a page for
 * ever), a maximum body size, and bounded retries with exponential backoff and jitter.
 */

export const FetchErrorKind = {
  Network: 'NETWORK',
  Timeout: 'TIMEOUT',
  Http: 'HTTP',
  TooLarge: 'TOO_LARGE',
} as const;
export type FetchErrorKind = (typeof FetchErrorKind)[keyof typeof FetchErrorKind];

export class FetchError extends Error {
  readonly kind: FetchErrorKind;
  readonly url: string;
  readonly status: number | null;
  readonly attempts: number;
  /** Where a 3xx answer pointed (redirects are never followed: a login page must not pass for data). */
  readonly location: string | null;
  constructor(
    kind: FetchErrorKind,
    url: string,
    message: string,
    options: { status?: number | null; attempts?: number; cause?: unknown; location?: string | null } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'FetchError';
    this.kind = kind;
    this.url = url;
    this.status = options.status ?? null;
    this.attempts = options.attempts ?? 1;
    this.location = options.location ?? null;
  }
}

export interface FetcherOptions {
  userAgent: string;
  connectTimeoutMs?: number;
  headersTimeoutMs?: number;
  /** Longest silence between two body chunks. */
  bodyTimeoutMs?: number;
  /** Longest time for one whole response, headers to last byte. */
  totalTimeoutMs?: number;
  maxBodyBytes?: number;
  /** Retries after the first attempt (network errors, timeouts, 5xx, 429). */
  retries?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /**
   * Longest Retry-After we wait for. A server asking for longer is not asked again sooner than it
   * said: the request fails now (HTTP error), and the next crawl comes back later.
   */
  retryAfterCapMs?: number;
  /**
   * Minimum gap between two requests to one host. 0 turns the per-host limiter off (our own
   * fixture server and the cases subgraph); concurrency is then bounded by the pool's connections.
   */
  minTimeMs?: number;
  maxConcurrentPerHost?: number;
  connectionsPerHost?: number;
  /** How long a host's robots.txt is trusted before it is read again (RFC 9309: at most 24 h). */
  robotsTtlMs?: number;
  /** Injectable for tests: how to wait, and the jitter source in [0, 1). */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export interface FetchRequest {
  url: string;
  method?: 'GET' | 'POST';
  body?: string;
  headers?: Record<string, string>;
  /** Validators from the previous fetch of this URL: a 304 answer means "unchanged". */
  etag?: string | null;
  lastModified?: string | null;
}

export type FetchResult =
  | {
      notModified: false;
      status: number;
      url: string;
      body: string;
      etag: string | null;
      lastModified: string | null;
      attempts: number;
      bytes: number;
    }
  | { notModified: true; status: 304; url: string; attempts: number };

export interface Fetcher {
  fetch(request: FetchRequest): Promise<FetchResult>;
  /** Whether robots.txt of the URL's host lets our User-Agent fetch it (cached per host). */
  isAllowedByRobots(url: string): Promise<boolean>;
  close(): Promise<void>;
}

const RETRYABLE_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENOTFOUND',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);
const TIMEOUT_CODES = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_ABORTED',
  'ABORT_ERR',
]);

/** Retry-After as delta-seconds or an HTTP date, in ms from `now`; null when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now: number): number | null {
  if (!value) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/** Drops a body we will not read; the abort it causes is expected, not an error to report. */
function discard(body: Dispatcher.ResponseData['body']): void {
  body.on('error', () => undefined);
  body.destroy();
}

function header(headers: Dispatcher.ResponseData['headers'], name: string): string | null {
  const value = headers[name];
  return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
}

export function createFetcher(options: FetcherOptions): Fetcher {
  const settings = {
    connectTimeoutMs: 5_000,
    headersTimeoutMs: 10_000,
    bodyTimeoutMs: 10_000,
    totalTimeoutMs: 30_000,
    maxBodyBytes: 5 * 1024 * 1024,
    retries: 3,
    baseDelayMs: 500,
    maxDelayMs: 30_000,
    retryAfterCapMs: 60_000,
    minTimeMs: 1_000,
    maxConcurrentPerHost: 2,
    connectionsPerHost: 4,
    robotsTtlMs: 24 * 3600_000,
    ...options,
  };
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = options.random ?? Math.random;
  const robotsToken = settings.userAgent.split(/[\s/]/)[0];
  const pools = new Map<string, Pool>();
  const limiters = new Map<string, Bottleneck>();
  const robots = new Map<string, { at: number; rules: Promise<RobotsRules | null> }>();

  function poolFor(origin: string): Pool {
    let pool = pools.get(origin);
    if (!pool) {
      pool = new Pool(origin, {
        connections: settings.connectionsPerHost,
        connect: { timeout: settings.connectTimeoutMs },
        headersTimeout: settings.headersTimeoutMs,
        bodyTimeout: settings.bodyTimeoutMs,
        keepAliveTimeout: 10_000,
      });
      pools.set(origin, pool);
    }
    return pool;
  }

  function limiterFor(origin: string): Bottleneck | null {
    if (settings.minTimeMs <= 0) return null;
    let limiter = limiters.get(origin);
    if (!limiter) {
      limiter = new Bottleneck({ maxConcurrent: settings.maxConcurrentPerHost, minTime: settings.minTimeMs });
      limiters.set(origin, limiter);
    }
    return limiter;
  }

  type Attempt =
    | {
        kind: 'response';
        status: number;
        body: string;
        etag: string | null;
        lastModified: string | null;
        retryAfter: string | null;
        location: string | null;
        bytes: number;
      }
    | { kind: 'error'; error: FetchError; retryable: boolean };

  async function attemptOnce(request: FetchRequest, attempt: number): Promise<Attempt> {
    const target = new URL(request.url);
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(new Error('response deadline exceeded')), settings.totalTimeoutMs);
    const headers: Record<string, string> = { 'user-agent': settings.userAgent, accept: '*/*', ...request.headers };
    if (request.etag) headers['if-none-match'] = request.etag;
    if (request.lastModified) headers['if-modified-since'] = request.lastModified;
    let response: Dispatcher.ResponseData | undefined;
    try {
      response = await poolFor(target.origin).request({
        path: `${target.pathname}${target.search}`,
        method: request.method ?? 'GET',
        headers,
        body: request.body,
        signal: deadline.signal,
      });
      const status = response.statusCode;
      const declared = Number(header(response.headers, 'content-length') ?? NaN);
      if (Number.isFinite(declared) && declared > settings.maxBodyBytes) {
        discard(response.body);
        return tooLarge(request.url, declared, attempt);
      }
      const chunks: Buffer[] = [];
      let bytes = 0;
      for await (const chunk of response.body as AsyncIterable<Buffer>) {
        bytes += chunk.length;
        if (bytes > settings.maxBodyBytes) {
          discard(response.body);
          return tooLarge(request.url, bytes, attempt);
        }
        chunks.push(chunk);
      }
      return {
        kind: 'response',
        status,
        body: decodeBody(Buffer.concat(chunks), header(response.headers, 'content-type')).text,
        etag: header(response.headers, 'etag'),
        lastModified: header(response.headers, 'last-modified'),
        retryAfter: header(response.headers, 'retry-after'),
        location: header(response.headers, 'location'),
        bytes,
      };
    } catch (error) {
      if (response) discard(response.body);
      const code = (error as { code?: string }).code ?? '';
      const timedOut = deadline.signal.aborted || TIMEOUT_CODES.has(code) || (error as Error).name === 'AbortError';
      const kind = timedOut ? FetchErrorKind.Timeout : FetchErrorKind.Network;
      const message = timedOut
        ? `timed out (${code || 'deadline'})`
        : `network error (${code || (error as Error).message})`;
      const retryable = timedOut || RETRYABLE_CODES.has(code) || code.startsWith('UND_ERR') || code === '';
      return {
        kind: 'error',
        error: new FetchError(kind, request.url, `${request.url}: ${message}`, { attempts: attempt + 1, cause: error }),
        retryable,
      };
    } finally {
      clearTimeout(timer);
    }
  }

  function tooLarge(url: string, bytes: number, attempt: number): Attempt {
    const error = new FetchError(
      FetchErrorKind.TooLarge,
      url,
      `${url}: body larger than ${settings.maxBodyBytes} bytes (${bytes})`,
      { attempts: attempt + 1 },
    );
    return { kind: 'error', error, retryable: false };
  }

  async function fetchWithRetries(request: FetchRequest): Promise<FetchResult> {
    const limiter = limiterFor(new URL(request.url).origin);
    for (let attempt = 0; ; attempt++) {
      const outcome = limiter
        ? await limiter.schedule(() => attemptOnce(request, attempt))
        : await attemptOnce(request, attempt);
      const canRetry = attempt < settings.retries;
      if (outcome.kind === 'error') {
        if (outcome.retryable && canRetry) {
          await sleep(backoffDelayMs(settings, attempt, random()));
          continue;
        }
        throw outcome.error;
      }
      const { status } = outcome;
      if (status === 304) return { notModified: true, status: 304, url: request.url, attempts: attempt + 1 };
      if (status >= 200 && status < 300) {
        return {
          notModified: false,
          status,
          url: request.url,
          body: outcome.body,
          etag: outcome.etag,
          lastModified: outcome.lastModified,
          attempts: attempt + 1,
          bytes: outcome.bytes,
        };
      }
      if ((status === 429 || status >= 500) && canRetry) {
        const retryAfter = parseRetryAfter(outcome.retryAfter, Date.now());
        if (retryAfter === null || retryAfter <= settings.retryAfterCapMs) {
          await sleep(retryAfter ?? backoffDelayMs(settings, attempt, random()));
          continue;
        }
        throw new FetchError(
          FetchErrorKind.Http,
          request.url,
          `${request.url}: HTTP ${status}, Retry-After ${Math.ceil(retryAfter / 1000)} s is longer than we wait`,
          { status, attempts: attempt + 1 },
        );
      }
      // A Location header is the remote site's text: one that does not parse is reported as sent.
      const location =
        status >= 300 && status < 400 && outcome.location
          ? (URL.parse(outcome.location, request.url)?.toString() ?? outcome.location)
          : null;
      throw new FetchError(
        FetchErrorKind.Http,
        request.url,
        `${request.url}: HTTP ${status}${location ? ` to ${location}` : ''}`,
        { status, attempts: attempt + 1, location },
      );
    }
  }

  return {
    fetch: fetchWithRetries,

    async isAllowedByRobots(url) {
      const { origin } = new URL(url);
      const cached = robots.get(origin);
      let parsed = cached && performance.now() - cached.at < settings.robotsTtlMs ? cached.rules : undefined;
      if (!parsed) {
        parsed = (async () => {
          const robotsUrl = `${origin}/robots.txt`;
          try {
            const result = await fetchWithRetries({ url: robotsUrl });
            return result.notModified ? null : robotsParser(robotsUrl, result.body);
          } catch (error) {
            // RFC 9309: an unavailable (4xx) robots.txt allows everything; a 5xx or no answer does not.
            if (error instanceof FetchError && error.status !== null && error.status >= 400 && error.status < 500)
              return null;
            throw error;
          }
        })();
        const entry = { at: performance.now(), rules: parsed };
        robots.set(origin, entry);
        parsed.catch(() => robots.get(origin) === entry && robots.delete(origin));
      }
      const rules = await parsed;
      return rules === null ? true : rules.isAllowed(url, robotsToken) !== false;
    },

    async close() {
      await Promise.all([...limiters.values()].map((limiter) => limiter.disconnect()));
      await Promise.all([...pools.values()].map((pool) => pool.close()));
      pools.clear();
      limiters.clear();
    },
  };
}
