import { join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import type { Db } from 'mongodb';
import type { Config } from '../../../platform/config.ts';
import {
  createMongoLeaseStore,
  createSqliteLeaseStore,
  leaseIndexes,
  type LeaseStore,
} from '../../../platform/store/leases.ts';
import { connectMongo, ensureIndexes } from '../../../platform/store/mongo.ts';
import { openSqlite } from '../../../platform/store/sqlite.ts';
import type { CrawlStateRepository } from './crawl-state.ts';
import { createMongoCrawlStateRepository, CRAWL_STATE_INDEXES } from './crawl-state-mongo.ts';
import { createSqliteCrawlStateRepository } from './crawl-state-sqlite.ts';
import type { ListingRepository } from './listings.ts';
import { createMongoListingRepository, LISTINGS_INDEXES } from './listings-mongo.ts';
import { createSqliteListingRepository } from './listings-sqlite.ts';

/** The reputation SQLite file (shared with statistics). */
export function reputationDatabasePath(config: Pick<Config, 'DATA_DIR'>): string {
  return join(config.DATA_DIR, 'reputation.db');
}

export interface IngestionStore {
  listings: ListingRepository;
  crawlState: CrawlStateRepository;
  leases: LeaseStore;
  /** The SQLite database when the store is SQLite (statistics build their rollups on it). */
  sqlite: DatabaseSync | null;
  /** The MongoDB database when the store is MongoDB (statistics keep their rollups there). */
  mongo: Db | null;
  close(): Promise<void>;
}

/**
 * Opens the ingestion repositories on the configured store, for the command-line tools (the
 * subgraph builds the same repositories on the connection it already holds).
 */
export async function openIngestionStore(config: Config): Promise<IngestionStore> {
  if (config.store === 'mongodb') {
    // config.ts sets the store to MongoDB only when the URI is given.
    if (!config.MONGODB_URI) throw new Error('MONGODB_URI: required when the store is MongoDB, and not set.');
    const { client, db } = await connectMongo(config.MONGODB_URI, config.MONGODB_DB);
    await ensureIndexes(db, { ...LISTINGS_INDEXES, ...CRAWL_STATE_INDEXES, ...leaseIndexes });
    return {
      listings: createMongoListingRepository(client, db),
      crawlState: createMongoCrawlStateRepository(db),
      leases: createMongoLeaseStore(db),
      sqlite: null,
      mongo: db,
      close: () => client.close(),
    };
  }
  const db = openSqlite(reputationDatabasePath(config), REPUTATION_SQLITE);
  return {
    listings: createSqliteListingRepository(db),
    crawlState: createSqliteCrawlStateRepository(db),
    leases: createSqliteLeaseStore(db),
    sqlite: db,
    mongo: null,
    close: async () => db.close(),
  };
}

/**
 * The reputation database serves statistics updates from B-trees that outgrow SQLite's 2 MiB
 * default cache at a few hundred thousand listings (at 1M listings a 256 MiB cache cut a
 * 1,000-record update from 332 to 225 ms): 128 MiB per connection. A batch of 1,000 listing
 * changes writes ~2,000 pages, so checkpointing every 1,000 pages (the default) copies each
 * batch back at once; every 10,000 pages (≤ 40 MiB of WAL) pages that successive batches rewrite
 * are copied once.
 */
export const REPUTATION_SQLITE = { cacheMiB: 128, walAutocheckpointPages: 10_000 } as const;
