import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { pino, type Logger } from 'pino';
import type { Config } from '../../../platform/config.ts';
import { enterpriseResolver } from '../../../platform/enterprise/aliases.ts';
import { startPeriodicJob } from '../../../platform/jobs.ts';
import type { LeaseStore } from '../../../platform/store/leases.ts';
import type { ListingSource } from '../domain/listing.ts';
import { createFetcher, type Fetcher } from '../fetch/fetcher.ts';
import { SOURCE_ADAPTERS, sourceBaseUrl, sourceCredential } from '../sources/index.ts';
import type { CrawlStateRepository } from '../store/crawl-state.ts';
import type { ListingRepository, OnListingChanges } from '../store/listings.ts';
import { runIngest, type IngestOptions, type IngestSummary, type PageProgress } from './run.ts';

export interface IngestionDependencies {
  config: Config;
  listings: ListingRepository;
  crawlState: CrawlStateRepository;
  /** Statistics hook (see ListingRepository.upsertBatch). */
  onChanges?: OnListingChanges;
  logger?: Logger;
  /** Defaults to a polite fetcher built from config (User-Agent, timeouts). */
  fetcher?: Fetcher;
}

export interface Ingestion {
  crawl(
    source: ListingSource,
    options?: IngestOptions & { onPage?: (progress: PageProgress) => void },
  ): Promise<IngestSummary>;
  close(): Promise<void>;
}

/** The crawler as the CLI and the scheduler use it: adapters, config base URLs, one fetcher. */
export function createIngestion(deps: IngestionDependencies): Ingestion {
  const fetcher =
    deps.fetcher ??
    createFetcher({
      userAgent: deps.config.CRAWL_USER_AGENT,
      totalTimeoutMs: deps.config.UPSTREAM_TIMEOUT_MS * 3,
      headersTimeoutMs: deps.config.UPSTREAM_TIMEOUT_MS,
    });
  return {
    crawl: (source, options = {}) =>
      runIngest(
        {
          adapter: SOURCE_ADAPTERS[source],
          fetcher,
          listings: deps.listings,
          crawlState: deps.crawlState,
          resolver: enterpriseResolver(),
          baseUrl: sourceBaseUrl(deps.config, source),
          credential: sourceCredential(deps.config, source),
          onChanges: deps.onChanges,
          onPage: options.onPage,
          logger: deps.logger,
        },
        options,
      ),
    close: async () => {
      if (!deps.fetcher) await fetcher.close();
    },
  };
}

export interface CrawlSchedulerOptions {
  /** `signal` aborts when the lease is lost: the crawl must stop before its next page. */
  crawl: (source: ListingSource, signal: AbortSignal) => Promise<IngestSummary>;
  crawlState: CrawlStateRepository;
  leases: LeaseStore;
  sources: ListingSource[];
  /** How often each source is crawled, unless `intervalsMs` gives the source its own interval. */
  intervalMs: number;
  intervalsMs?: Partial<Record<ListingSource, number>>;
  /** Who we are in the lease table; unique per process. */
  holder?: string;
  /** Longest a crawl may hold a source without renewing; renewed every third of it while crawling. */
  leaseTtlMs?: number;
  /** How often the lease is renewed while crawling (default a third of the TTL, at least 1 s). */
  renewEveryMs?: number;
  /** How often to check whether a source is due (default: a tenth of the interval, at least 1 s). */
  checkEveryMs?: number;
  now?: () => Date;
  logger?: Logger;
}

export interface CrawlScheduler {
  /** Crawls every due source once (what each timer tick does); resolves when done. */
  tick(): Promise<
    Array<{
      source: ListingSource;
      outcome: 'crawled' | 'not-due' | 'leased-elsewhere' | 'failed';
      summary?: IngestSummary;
    }>
  >;
  stop(): Promise<void>;
}

export function crawlLeaseName(source: ListingSource): string {
  return `reputation-crawl:${source}`;
}

/**
 * Crawls each source on its interval. Before crawling it takes the source's lease in the store,
 * so two instances (two machines on one MongoDB) never crawl one source at once, and it re-checks
 * the source's last attempt under the lease, so the second instance does not crawl it again.
 */
export function startCrawlScheduler(options: CrawlSchedulerOptions): CrawlScheduler {
  const holder = options.holder ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const ttl = options.leaseTtlMs ?? 15 * 60_000;
  const now = options.now ?? (() => new Date());
  let stopped = false;
  const intervalOf = (source: ListingSource) => options.intervalsMs?.[source] ?? options.intervalMs;
  const shortest = Math.min(...options.sources.map(intervalOf), options.intervalMs);

  async function crawlIfDue(source: ListingSource) {
    const name = crawlLeaseName(source);
    // A store that cannot be asked for the lease fails this source's turn, not the process.
    const acquired = await options.leases.tryAcquire(name, holder, ttl, now()).catch((error: unknown) => {
      options.logger?.error({ source, err: error }, 'could not take the crawl lease');
      return null;
    });
    if (acquired === null) return { source, outcome: 'failed' as const };
    if (!acquired) return { source, outcome: 'leased-elsewhere' as const };
    // A lease that cannot be renewed may already be another instance's: stop crawling.
    const lost = new AbortController();
    const renew = async () => {
      const kept = await options.leases.renew(name, holder, ttl, now()).catch(() => false);
      if (!kept && !lost.signal.aborted) {
        options.logger?.warn({ source, holder }, 'crawl lease lost; stopping the crawl');
        lost.abort(new Error(`lease ${name} lost`));
      }
    };
    const renewal = setInterval(() => void renew(), options.renewEveryMs ?? Math.max(1000, ttl / 3));
    renewal.unref();
    try {
      const state = await options.crawlState.get(source);
      if (state?.lastAttemptAt != null && now().getTime() - state.lastAttemptAt < intervalOf(source))
        return { source, outcome: 'not-due' as const };
      const summary = await options.crawl(source, lost.signal);
      options.logger?.info(
        { source, status: summary.status, inserted: summary.inserted, updated: summary.updated },
        'scheduled crawl done',
      );
      return { source, outcome: 'crawled' as const, summary };
    } catch (error) {
      options.logger?.error({ source, err: error }, 'scheduled crawl failed');
      return { source, outcome: 'failed' as const };
    } finally {
      clearInterval(renewal);
      await options.leases.release(name, holder).catch(() => undefined);
    }
  }

  async function tick() {
    const results = [];
    for (const source of options.sources) {
      if (stopped) break;
      results.push(await crawlIfDue(source));
    }
    return results;
  }

  const job = startPeriodicJob({
    name: 'reputation-crawl',
    schedule: { everyMs: options.checkEveryMs ?? Math.max(1000, Math.floor(shortest / 10)) },
    run: tick,
    // Without a logger (tests), failures still show in each source's outcome.
    logger: options.logger ?? pino({ level: 'silent' }),
  });

  return {
    async tick() {
      const outcome = await job.runNow();
      return outcome.ran ? outcome.value : [];
    },
    async stop() {
      stopped = true;
      await job.stop();
    },
  };
}

/** `blackcat=30,12315=720` (minutes, as CRAWL_SOURCE_INTERVALS is validated) to milliseconds per source. */
export function parseSourceIntervals(text: string | undefined): Partial<Record<ListingSource, number>> {
  const intervals: Partial<Record<ListingSource, number>> = {};
  for (const pair of (text ?? '').split(',').filter(Boolean)) {
    const [source, minutes] = pair.split('=');
    intervals[source as ListingSource] = Number(minutes) * 60_000;
  }
  return intervals;
}

/**
 * What the reputation subgraph calls at start: null unless CRAWL_ENABLED. Crawls each source on
 * its own interval (CRAWL_SOURCE_INTERVALS, else CRAWL_INTERVAL_MINUTES), one instance at a time
 * per source.
 */
export function startReputationCrawler(
  deps: IngestionDependencies & { leases: LeaseStore; sources?: ListingSource[] },
): { stop(): Promise<void> } | null {
  if (!deps.config.CRAWL_ENABLED) return null;
  const ingestion = createIngestion(deps);
  const scheduler = startCrawlScheduler({
    crawl: (source, signal) => ingestion.crawl(source, { signal }),
    crawlState: deps.crawlState,
    leases: deps.leases,
    sources: deps.sources ?? (Object.keys(SOURCE_ADAPTERS) as ListingSource[]),
    intervalMs: deps.config.CRAWL_INTERVAL_MINUTES * 60_000,
    intervalsMs: parseSourceIntervals(deps.config.CRAWL_SOURCE_INTERVALS),
    logger: deps.logger,
  });
  return {
    async stop() {
      await scheduler.stop();
      await ingestion.close();
    },
  };
}
