import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { enterpriseResolver } from '../../../../platform/enterprise/aliases.ts';
import { openSqlite } from '../../../../platform/store/sqlite.ts';
import { FIXTURE_12315_TOKEN, type FixtureServer } from '../../../../scripts/fixture-server.ts';
import type { ListingSource } from '../../../../subgraphs/reputation/domain/listing.ts';
import { createFetcher, type Fetcher, type FetcherOptions } from '../../../../subgraphs/reputation/fetch/fetcher.ts';
import { runIngest, type IngestDependencies, type IngestOptions } from '../../../../subgraphs/reputation/ingest/run.ts';
import { SOURCE_ADAPTERS } from '../../../../subgraphs/reputation/sources/index.ts';
import type { CrawlStateRepository } from '../../../../subgraphs/reputation/store/crawl-state.ts';
import { createSqliteCrawlStateRepository } from '../../../../subgraphs/reputation/store/crawl-state-sqlite.ts';
import type { ListingRepository } from '../../../../subgraphs/reputation/store/listings.ts';
import { createSqliteListingRepository } from '../../../../subgraphs/reputation/store/listings-sqlite.ts';

/** A fresh store and a fetcher with tiny, recorded backoffs, against a running fixture server. */
export interface Harness {
  db: DatabaseSync;
  listings: ListingRepository;
  crawlState: CrawlStateRepository;
  fetcher: Fetcher;
  sleeps: number[];
  run(
    source: ListingSource,
    options?: IngestOptions,
    extra?: Partial<IngestDependencies>,
  ): ReturnType<typeof runIngest>;
  dispose(): Promise<void>;
}

export function baseUrlFor(server: FixtureServer, source: ListingSource): string {
  return {
    blackcat: server.baseUrls.blackcat,
    '12315': server.baseUrls.samr12315,
    jutousu: server.baseUrls.jutousu,
    weiquan: server.baseUrls.weiquan,
  }[source];
}

export function createHarness(server: FixtureServer, fetcherOptions: Partial<FetcherOptions> = {}): Harness {
  const dir = mkdtempSync(join(tmpdir(), 'ingest-'));
  const db = openSqlite(join(dir, 'reputation.db'));
  const listings = createSqliteListingRepository(db);
  const crawlState = createSqliteCrawlStateRepository(db);
  const sleeps: number[] = [];
  const fetcher = createFetcher({
    userAgent: 'WeiquanBot/0.1 (+test)',
    retries: 2,
    baseDelayMs: 1,
    maxDelayMs: 4,
    retryAfterCapMs: 5_000,
    minTimeMs: 0,
    maxConcurrentPerHost: 4,
    totalTimeoutMs: 1_000,
    headersTimeoutMs: 1_000,
    random: () => 0.5,
    sleep: async (ms) => void sleeps.push(ms),
    ...fetcherOptions,
  });
  let clock = Date.UTC(2026, 0, 21);
  return {
    db,
    listings,
    crawlState,
    fetcher,
    sleeps,
    run: (source, options, extra) =>
      runIngest(
        {
          adapter: SOURCE_ADAPTERS[source],
          fetcher,
          listings,
          crawlState,
          resolver: enterpriseResolver(),
          baseUrl: baseUrlFor(server, source),
          credential: source === '12315' ? FIXTURE_12315_TOKEN : null,
          now: () => (clock += 1000),
          ...extra,
        },
        options,
      ),
    async dispose() {
      await fetcher.close();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
