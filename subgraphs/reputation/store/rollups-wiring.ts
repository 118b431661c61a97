import type { DatabaseSync } from 'node:sqlite';
import type { ClientSession, Db } from 'mongodb';
import { ensureIndexes } from '../../../platform/store/mongo.ts';
import type { IngestionStore } from './listings-open.ts';
import type { OnListingChanges } from './listings.ts';
import { createMongoRollups, ROLLUP_INDEXES, type MongoRollups } from './rollups-mongo.ts';
import type { RollupReader } from './rollups.ts';
import { createMongoSnapshotStore, SNAPSHOT_INDEXES } from './snapshots-mongo.ts';
import {
  createStatisticsService,
  type StatisticsDependencies,
  type StatisticsService,
} from '../domain/statistics-service.ts';
import { createCsvExportHandler } from '../http/csv-export.ts';
import { reputationStatisticsResolvers } from '../resolvers/reputation.ts';
import { createSqliteRollups, type SqliteRollupOptions, type SqliteRollups } from './rollups-sqlite.ts';
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

/** What the slice needs from its host; `onRollFallback` concerns the SQLite rollups only. */
type SliceDependencies = Partial<Pick<StatisticsDependencies, 'lastCrawlBySource' | 'findListings' | 'now'>> &
  Pick<SqliteRollupOptions, 'onRollFallback'>;

/** The store-independent part: the service, resolvers and CSV routes over one store's rollups and snapshots. */
function assembleSlice<Rollups extends RollupReader>(
  rollups: Rollups,
  snapshots: SnapshotStore,
  onListingChanges: OnListingChanges,
  deps: SliceDependencies,
): StatisticsSlice<Rollups> {
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
    onListingChanges,
    handleHttp: createCsvExportHandler(() => service),
  };
}

export function createSqliteStatisticsSlice(db: DatabaseSync, deps: SliceDependencies = {}): StatisticsSlice {
  const rollups = createSqliteRollups(db, { onRollFallback: deps.onRollFallback });
  return assembleSlice(rollups, createSqliteSnapshotStore(db), (changes) => rollups.applyChanges(changes), deps);
}

/**
 * The same slice on MongoDB: rollups and snapshots live beside ingestion's collections, and
 * `onListingChanges` runs in the session of ingestion's write transaction.
 */
export async function createMongoStatisticsSlice(
  db: Db,
  deps: SliceDependencies = {},
): Promise<StatisticsSlice<MongoRollups>> {
  await ensureIndexes(db, { ...ROLLUP_INDEXES, ...SNAPSHOT_INDEXES });
  const rollups = createMongoRollups(db);
  return assembleSlice(
    rollups,
    createMongoSnapshotStore(db),
    (changes, session) => rollups.applyChanges(changes, session as ClientSession | undefined),
    deps,
  );
}

/** The slice on whichever store ingestion opened: SQLite (embedded default) or MongoDB. */
export async function createStatisticsSlice(
  store: Pick<IngestionStore, 'sqlite' | 'mongo'>,
  deps: SliceDependencies = {},
): Promise<StatisticsSlice<{ ensureCurrent(now: number): Promise<void> }>> {
  return store.sqlite
    ? createSqliteStatisticsSlice(store.sqlite, deps)
    : createMongoStatisticsSlice(store.mongo!, deps);
}
