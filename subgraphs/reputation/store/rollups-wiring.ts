import type { DatabaseSync } from 'node:sqlite';
import type { ClientSession, Db } from 'mongodb';
import { ensureIndexes } from '../../../platform/store/mongo.ts';
import type { OnListingChanges } from './listings.ts';
import { createMongoRollups, ROLLUP_INDEXES, type MongoRollups } from './rollups-mongo.ts';
import { createMongoSnapshotStore, SNAPSHOT_INDEXES } from './snapshots-mongo.ts';
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
export interface StatisticsSlice<Rollups = SqliteRollups> {
  rollups: Rollups;
  snapshots: SnapshotStore;
  service: StatisticsService;
  resolvers: typeof reputationStatisticsResolvers;
  /** Pass as `upsertBatch(records, onListingChanges)`: updates the rollups inside the write transaction. */
  onListingChanges: OnListingChanges;
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

/**
 * The same slice on MongoDB: rollups and snapshots live beside ingestion's collections, and
 * `onListingChanges` runs in the session of ingestion's write transaction.
 */
export async function createMongoStatisticsSlice(
  db: Db,
  deps: Partial<Pick<StatisticsDependencies, 'lastCrawlBySource' | 'findListings' | 'now'>> = {},
): Promise<StatisticsSlice<MongoRollups>> {
  await ensureIndexes(db, { ...ROLLUP_INDEXES, ...SNAPSHOT_INDEXES });
  const rollups = createMongoRollups(db);
  const snapshots = createMongoSnapshotStore(db);
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
    onListingChanges: (changes, session) => rollups.applyChanges(changes, session as ClientSession | undefined),
    handleHttp: createCsvExportHandler(() => service),
  };
}
