import type { ListingSource } from '../domain/listing.ts';

/**
 * What the pipeline remembers about each source between runs: where it got to, the validators
 * for conditional requests, and the health it reports through the `sources` query.
 */
export const CrawlStatus = {
  /** Never crawled yet. */
  Pending: 'PENDING',
  Ok: 'OK',
  /** Data is partial or suspect: a structure change, failed pages, or unreachable after retries. */
  Degraded: 'DEGRADED',
  /** The source asked for a login; we stop and never bypass it. */
  LoginRequired: 'LOGIN_REQUIRED',
  BlockedByRobots: 'BLOCKED_BY_ROBOTS',
  /** Unreachable for several runs in a row. */
  Down: 'DOWN',
} as const;
export type CrawlStatus = (typeof CrawlStatus)[keyof typeof CrawlStatus];

export interface HttpValidators {
  etag: string | null;
  lastModified: string | null;
  /**
   * What the page held when these validators were issued, so that a 304 can be walked past
   * without its body: its newest progress instant, and the page that followed it.
   */
  newest?: number | null;
  next?: { url: string; page: number } | null;
}

export interface CrawlState {
  source: ListingSource;
  status: CrawlStatus;
  /** Source-specific resume point (JSON text), e.g. the newest createdAt seen. */
  checkpoint: string | null;
  /** ETag / Last-Modified per URL fetched in the last good run. */
  validators: Record<string, HttpValidators>;
  lastAttemptAt: number | null;
  /** End of the last run that finished with status OK. */
  lastSuccessAt: number | null;
  lastError: string | null;
  lastErrorAt: number | null;
  /** Why the status is what it is (URL, code, sample), as JSON text; null when OK. */
  evidence: string | null;
  consecutiveFailures: number;
}

export function initialCrawlState(source: ListingSource): CrawlState {
  return {
    source,
    status: CrawlStatus.Pending,
    checkpoint: null,
    validators: {},
    lastAttemptAt: null,
    lastSuccessAt: null,
    lastError: null,
    lastErrorAt: null,
    evidence: null,
    consecutiveFailures: 0,
  };
}

export interface CrawlStateRepository {
  get(source: ListingSource): Promise<CrawlState | null>;
  save(state: CrawlState, now?: number): Promise<void>;
  list(): Promise<CrawlState[]>;
}

/** Tolerates states written by older code: missing fields take their initial values. */
export function reviveCrawlState(source: ListingSource, stored: Partial<CrawlState>): CrawlState {
  return { ...initialCrawlState(source), ...stored, source };
}
