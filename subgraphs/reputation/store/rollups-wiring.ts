import type { DatabaseSync } from 'node:sqlite';
import { createStatisticsService, type StatisticsDependencies, type StatisticsService } from '../domain/statistics-service.ts';
import { createCsvExportHandler } from '../http/csv-export.ts';
import { reputationStatisticsResolvers } from '../resolvers/reputation.ts';
import { createSqliteRollups, type SqliteRollups } from './rollups-sqlite.ts';
import { createSqliteSnapshotStore } from './snapshots-sqlite.ts';
import type { SnapshotStore } from './snapshots.ts';

/**
 * Everything the statistics slice adds to the reputation subgraph, built over the subgraph's
 * SQLite database (the same one the listings live in, so rollups join ingestion's transactions).
 */
export interface StatisticsSlice {
  rollups: SqliteRollups;
  snapshots: SnapshotStore;
  service: StatisticsService;
  resolvers: typeof reputationStatisticsResolvers;
  /** Pass as `upsertBatch(records, onListingChanges)`: updates the rollups inside the write transaction. */
  onListingChanges: SqliteRollups['applyChanges'];
  handleHttp: ReturnType<typeof createCsvExportHandler>;
}

export function createSqliteStatisticsSlice(
  db: DatabaseSync,
  deps: Partial<Pick<StatisticsDependencies, 'lastCrawlBySource' | 'findListings' | 'now'>> = {},
): StatisticsSlice {
  const rollups = createSqliteRollups(db);
  const snapshots = createSqliteSnapshotStore(db);
  const service = createStatisticsService({
    rollups,
    snapshots,
    lastCrawlBySource: deps.lastCrawlBySource ?? (async () => new Map()),
    findListings: deps.findListings,
    now: deps.now ?? Date.now,
  });
  return {
    rollups,
    snapshots,
    service,
    resolvers: reputationStatisticsResolvers,
    onListingChanges: (changes) => rollups.applyChanges(changes),
    handleHttp: createCsvExportHandler(() => service),
  };
}
