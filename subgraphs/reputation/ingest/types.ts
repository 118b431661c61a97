import type { Logger } from 'pino';
import type { EnterpriseResolver } from '../../../platform/enterprise/identity.ts';
import type { Fetcher } from '../fetch/fetcher.ts';
import type { SourceAdapter } from '../sources/types.ts';
import type { CrawlStateRepository, CrawlStatus } from '../store/crawl-state.ts';
import type { ListingRepository, OnListingChanges } from '../store/listings.ts';

/** What one crawl of one source (run.ts) is given, told, and reports. */
export interface IngestDependencies {
  adapter: SourceAdapter;
  fetcher: Fetcher;
  listings: ListingRepository;
  crawlState: CrawlStateRepository;
  resolver: EnterpriseResolver;
  baseUrl: string;
  /** A credential a person obtained for the source (the 12315 token), passed to the adapter. */
  credential?: string | null;
  /** Statistics hook, run inside each page's write transaction (see ListingRepository.upsertBatch). */
  onChanges?: OnListingChanges;
  onPage?: (progress: PageProgress) => void;
  now?: () => number;
  logger?: Logger;
}

export interface IngestOptions {
  /** Re-read back to this instant (epoch ms) instead of the checkpoint. */
  since?: number | null;
  maxPages?: number;
  /** Detail pages fetched at once (the fetcher's per-host limit still applies). */
  detailConcurrency?: number;
  /** Runs in a row with the source unreachable before DEGRADED becomes DOWN. */
  downAfterFailures?: number;
  /** Send stored ETag / Last-Modified (default true); false re-reads every page. */
  conditional?: boolean;
  /** Write once this many records (and quarantined items) wait, whole pages only (default 250; 1 = every page). */
  writeBatchRecords?: number;
  /** List pages failing in a row before the crawl stops instead of trying the next one (default 3). */
  maxConsecutiveFailedPages?: number;
  /**
   * Aborted when this run no longer owns its source (the scheduler lost the lease): the crawl
   * stops before its next page and leaves the crawl state to the new holder.
   */
  signal?: AbortSignal;
}

export interface PageProgress {
  page: number;
  fetched: number;
  inserted: number;
  updated: number;
  quarantined: number;
}

export interface IngestSummary {
  source: string;
  status: CrawlStatus;
  pages: number;
  failedPages: number;
  fetched: number;
  inserted: number;
  updated: number;
  unchanged: number;
  quarantined: number;
  errors: string[];
  durationMs: number;
  stopReason: string;
  evidence: Record<string, unknown> | null;
  /** Distinct published names tied to an enterprise by their normalised name only (first 1,000). */
  lowConfidenceNames: string[];
  /** True when more such names were seen than are listed. */
  lowConfidenceTruncated: boolean;
}
