import type { DatabaseSync } from 'node:sqlite';
import type { ClientSession, Db } from 'mongodb';
import { ensureIndexes } from '../../../platform/store/mongo.ts';
import type { IngestionStore } from './listings-open.ts';
import type { OnListingChanges } from './listings.ts';
import { createMongoRollups, type MongoRollups, ROLLUP_INDEXES } from './rollups-mongo.ts';
import { createSqliteRollups, type SqliteRollupOptions, type SqliteRollups } from './rollups-sqlite.ts';
import type { RollupReader } from './rollups.ts';
import { createMongoSnapshotStore, SNAPSHOT_INDEXES } from './snapshots-mongo.ts';
import { createSqliteSnapshotStore } from './snapshots-sqlite.ts';
import type { SnapshotStore } from './snapshots.ts';

/**
 * The statistics store on whichever store ingestion opened: the rollups, the red/black snapshots,
 * and the hook that keeps the rollups in step with ingestion's writes. What is built over it (the
 * statistics service, the CSV routes, the resolvers) is wired by the subgraph (subgraph.ts).
 */
export interface RollupStore<Rollups extends RollupReader = RollupReader> {
  rollups: Rollups;
  snapshots: SnapshotStore;
  /** Pass as `upsertBatch(records, onListingChanges)`: updates the rollups inside the write transaction. */
  onListingChanges: OnListingChanges;
}

/** `onRollFallback` concerns the SQLite rollups only (their day roll on worker threads). */
export type RollupStoreOptions = Pick<SqliteRollupOptions, 'onRollFallback'>;

/** On the subgraph's SQLite database, the one the listings live in, so rollups join ingestion's transactions. */
export function openSqliteRollupStore(db: DatabaseSync, options: RollupStoreOptions = {}): RollupStore<SqliteRollups> {
  const rollups = createSqliteRollups(db, { onRollFallback: options.onRollFallback });
  return {
    rollups,
    snapshots: createSqliteSnapshotStore(db),
    onListingChanges: (changes) => rollups.applyChanges(changes),
  };
}

/**
 * The same on MongoDB: rollups and snapshots live beside ingestion's collections, and
 * `onListingChanges` runs in the session of ingestion's write transaction.
 */
export async function openMongoRollupStore(db: Db): Promise<RollupStore<MongoRollups>> {
  await ensureIndexes(db, { ...ROLLUP_INDEXES, ...SNAPSHOT_INDEXES });
  const rollups = createMongoRollups(db);
  return {
    rollups,
    snapshots: createMongoSnapshotStore(db),
    onListingChanges: (changes, session) => rollups.applyChanges(changes, session as ClientSession | undefined),
  };
}

/** On whichever store ingestion opened: SQLite (embedded default) or MongoDB. */
export async function openRollupStore(
  store: Pick<IngestionStore, 'sqlite' | 'mongo'>,
  options: RollupStoreOptions = {},
): Promise<RollupStore> {
  if (store.sqlite) return openSqliteRollupStore(store.sqlite, options);
  if (store.mongo) return openMongoRollupStore(store.mongo);
  throw new Error('openRollupStore: the ingestion store holds neither a SQLite database nor a MongoDB database.');
}
