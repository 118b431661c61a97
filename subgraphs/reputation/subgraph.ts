import type { Logger } from 'pino';
import type { Config } from '../../platform/config.ts';
import type { RequestContext } from '../../platform/context.ts';
import type { SubgraphDefinition } from '../../platform/server/subgraph-server.ts';
import { pingMongo } from '../../platform/store/mongo.ts';
import { pingSqlite } from '../../platform/store/sqlite.ts';
import { INDUSTRIES } from '../../platform/vocabulary.ts';
import {
  createStatisticsService,
  type StatisticsDependencies,
  type StatisticsService,
} from './domain/statistics-service.ts';
import { createCsvExportHandler } from './http/csv-export.ts';
import { startReputationCrawler } from './ingest/scheduler.ts';
import { startReputationJobs } from './jobs.ts';
import { resolvers } from './resolvers.ts';
import { createReputationLoaders } from './resolvers/loaders.ts';
import { createEnterpriseLoader } from './resolvers/reputation.ts';
import { createSourcesService } from './resolvers/sources.ts';
import { openImportProvenance } from './store/import-provenance-open.ts';
import { openSqliteDataVersion } from './store/data-version-sqlite.ts';
import { openIngestionStore, reputationDatabasePath } from './store/listings-open.ts';
import { seedDemoListings } from './store/rollups-seed.ts';
import { openRollupStore, type RollupStore } from './store/rollups-open.ts';
import type { RollupReader } from './store/rollups.ts';

/** The statistics of the slice: its store, the service over it, and the CSV export routes. */
export interface Statistics<Rollups extends RollupReader = RollupReader> extends RollupStore<Rollups> {
  service: StatisticsService;
  handleHttp: ReturnType<typeof createCsvExportHandler>;
}

/** Builds the statistics service and the CSV routes over a rollup store (tests and scripts use it too). */
export function createStatistics<Rollups extends RollupReader>(
  store: RollupStore<Rollups>,
  deps: Partial<Pick<StatisticsDependencies, 'lastCrawlBySource' | 'findListings' | 'now'>> = {},
): Statistics<Rollups> {
  const service = createStatisticsService({
    rollups: store.rollups,
    snapshots: store.snapshots,
    lastCrawlBySource: deps.lastCrawlBySource ?? (async () => new Map()),
    findListings: deps.findListings,
    now: deps.now ?? Date.now,
  });
  return { ...store, service, handleHttp: createCsvExportHandler(() => service) };
}

export async function createReputationSubgraph(deps: {
  config: Config;
  logger: Logger;
  /** Wraps the rollup reader the statistics read through (the N+1 guard counts its queries with it). */
  instrumentRollups?: (rollups: RollupReader) => RollupReader;
}): Promise<SubgraphDefinition<RequestContext>> {
  // SQLite under DATA_DIR by default, MongoDB when MONGODB_URI is set; statistics share the store
  // (and the write transaction) of the listings they roll up.
  const store = await openIngestionStore(deps.config);
  const { listings, crawlState: crawlStates } = store;
  const statisticsDeps = {
    findListings: (query: Parameters<typeof listings.find>[0], page: Parameters<typeof listings.find>[1]) =>
      listings.find(query, page),
    lastCrawlBySource: async () =>
      new Map((await crawlStates.list()).map((state) => [state.source, state.lastSuccessAt])),
  };
  const rollupStore = await openRollupStore(store, {
    onRollFallback: (error: unknown) =>
      deps.logger.warn({ err: error }, 'day roll on worker threads failed; rolled in this thread instead'),
  });
  const statistics = createStatistics(
    deps.instrumentRollups ? { ...rollupStore, rollups: deps.instrumentRollups(rollupStore.rollups) } : rollupStore,
    statisticsDeps,
  );
  if (deps.config.SEED_DEMO) await seedDemoListings(listings, statistics.onListingChanges, statistics.rollups);
  // The rolling windows move at midnight CST; re-materialise them at start and just after each
  // midnight (jobs.ts), so no request has to pay for it (requests still check, in case a tick was missed).
  const rollWindows = () => statistics.rollups.ensureCurrent(Date.now());
  await rollWindows().catch((error: unknown) => deps.logger.warn({ err: error }, 'window refresh failed'));
  const listingSources = createSourcesService({ listings, crawlState: crawlStates });
  const listingImports = openImportProvenance(store);
  // Off unless CRAWL_ENABLED; one instance per source at a time through the store's leases.
  const crawler = startReputationCrawler({
    config: deps.config,
    listings,
    crawlState: crawlStates,
    leases: store.leases,
    onChanges: statistics.onListingChanges,
    logger: deps.logger,
  });
  // Month-end red/black snapshots (when SCHEDULER_ENABLED): idempotent, so a retried tick publishes each month once.
  const jobs = startReputationJobs({
    logger: deps.logger,
    rollWindows,
    ...(deps.config.SCHEDULER_ENABLED
      ? { publishClosedMonth: () => statistics.service.snapshotClosedMonth(INDUSTRIES) }
      : {}),
  });
  // MongoDB gives no cheap "anything changed?": there the gateway does not cache reputation's answers.
  const dataVersion = store.sqlite ? openSqliteDataVersion(reputationDatabasePath(deps.config)) : null;
  return {
    name: 'reputation',
    dataVersion: () => dataVersion?.current() ?? null,
    resolvers,
    createContext: (base) => ({
      ...base,
      statistics: statistics.service,
      enterpriseLoader: createEnterpriseLoader(statistics.service),
      reputationLoaders: createReputationLoaders(statistics.service),
      listingSources,
      listingImports,
    }),
    handleHttp: statistics.handleHttp,
    checkReady: async () => {
      if (store.sqlite) return pingSqlite(store.sqlite);
      if (store.mongo) return pingMongo(store.mongo);
      throw new Error('reputation store: expected a SQLite or a MongoDB handle, got neither');
    },
    close: async () => {
      await jobs.stop();
      await crawler?.stop();
      dataVersion?.close();
      await store.close();
    },
  };
}
