import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../../platform/config.ts';
import type { RequestContext } from '../../platform/context.ts';
import type { SubgraphDefinition } from '../../platform/server/subgraph-server.ts';
import { openSqlite, pingSqlite } from '../../platform/store/sqlite.ts';
import { startReputationCrawler } from './ingest/scheduler.ts';
import { resolvers } from './resolvers.ts';
import { createSourcesService } from './resolvers/sources.ts';
import { createSqliteLeaseStore } from '../../platform/store/leases.ts';
import { createSqliteCrawlStateRepository } from './store/crawl-state-sqlite.ts';
import { createSqliteListingRepository } from './store/listings-sqlite.ts';
import { createSqliteStatisticsSlice } from './store/rollups-wiring.ts';
import { seedDemoReputation } from './store/rollups-seed.ts';
import { INDUSTRIES } from '../../platform/vocabulary.ts';

export async function createReputationSubgraph(deps: { config: Config; logger: Logger }): Promise<SubgraphDefinition<RequestContext>> {
  const db = openSqlite(join(deps.config.DATA_DIR, 'reputation.db'));
  const listings = createSqliteListingRepository(db);
  const crawlStates = createSqliteCrawlStateRepository(db);
  const statistics = createSqliteStatisticsSlice(db, {
    findListings: (query, page) => listings.find(query, page),
    lastCrawlBySource: async () => new Map((await crawlStates.list()).map((state) => [state.source, state.lastSuccessAt])),
  });
  if (deps.config.SEED_DEMO) await seedDemoReputation(db);
  const listingSources = createSourcesService({ listings, crawlState: crawlStates });
  // Off unless CRAWL_ENABLED; one instance per source at a time through the store's leases.
  const crawler = startReputationCrawler({
    config: deps.config,
    listings,
    crawlState: crawlStates,
    leases: createSqliteLeaseStore(db),
    onChanges: statistics.onListingChanges,
    logger: deps.logger,
  });
  // Month-end red/black snapshots: idempotent, so an hourly check publishes each closed month once.
  const publishClosedMonth = () =>
    statistics.service.snapshotClosedMonth(INDUSTRIES).catch((error: unknown) => deps.logger.warn({ err: error }, 'red/black snapshot failed'));
  let publishing: Promise<unknown> = deps.config.SCHEDULER_ENABLED ? publishClosedMonth() : Promise.resolve();
  const monthEnd = deps.config.SCHEDULER_ENABLED ? setInterval(() => (publishing = publishClosedMonth()), 3600_000) : null;
  monthEnd?.unref();
  return {
    name: 'reputation',
    resolvers,
    createContext: (base) => ({ ...base, statistics: statistics.service, listingSources }),
    handleHttp: statistics.handleHttp,
    checkReady: async () => pingSqlite(db),
    close: async () => {
      if (monthEnd) clearInterval(monthEnd);
      await publishing;
      await crawler?.stop();
      db.close();
    },
  };
}
