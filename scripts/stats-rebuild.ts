/**
 * Recomputes every reputation rollup from the raw listings (`npm run stats:rebuild`), in one
 * transaction on SQLite, then prints what it built. The incremental rollups maintained during
 * ingestion must equal this result (test/subgraphs/reputation/store/rollups-*.test.ts).
 *
 *   npm run stats:rebuild            # the store of the current configuration (DATA_DIR or MONGODB_URI)
 */
import { pathToFileURL } from 'node:url';
import { loadConfig, type Config } from '../platform/config.ts';
import { connectMongo, ensureIndexes } from '../platform/store/mongo.ts';
import { openSqlite } from '../platform/store/sqlite.ts';
import { cstDate, cstDay } from '../subgraphs/reputation/domain/windows.ts';
import { REPUTATION_SQLITE, reputationDatabasePath } from '../subgraphs/reputation/store/listings-open.ts';
import { ROLLUP_INDEXES, createMongoRollups } from '../subgraphs/reputation/store/rollups-mongo.ts';
import { createSqliteRollups } from '../subgraphs/reputation/store/rollups-sqlite.ts';

export async function rebuildStatistics(
  config: Config,
  asOf = Date.now(),
): Promise<{ store: string; enterprises: number; listings: number; ms: number }> {
  const started = performance.now();
  if (config.MONGODB_URI) {
    const { client, db } = await connectMongo(config.MONGODB_URI, config.MONGODB_DB);
    try {
      await ensureIndexes(db, ROLLUP_INDEXES);
      await createMongoRollups(db).rebuild(asOf);
      return {
        store: 'mongodb',
        enterprises: await db.collection('rep_enterprises').countDocuments(),
        listings: Number(
          (
            await db
              .collection('rep_enterprises')
              .aggregate([{ $group: { _id: null, n: { $sum: '$listings' } } }])
              .next()
          )?.n ?? 0,
        ),
        ms: performance.now() - started,
      };
    } finally {
      await client.close();
    }
  }
  const db = openSqlite(reputationDatabasePath(config), REPUTATION_SQLITE);
  try {
    const hasListings = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'listings'").get();
    if (!hasListings)
      throw new Error(
        `No listings table in ${reputationDatabasePath(config)}: run the ingestion (npm run ingest) ` +
          `or start with SEED_DEMO first.`,
      );
    await createSqliteRollups(db).rebuildFromListings(asOf);
    const totals = db
      .prepare('SELECT COUNT(*) AS enterprises, COALESCE(SUM(listings), 0) AS listings FROM rep_enterprises')
      .get() as { enterprises: number; listings: number };
    return {
      store: 'sqlite',
      enterprises: Number(totals.enterprises),
      listings: Number(totals.listings),
      ms: performance.now() - started,
    };
  } finally {
    db.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    const asOf = Date.now();
    const result = await rebuildStatistics(loadConfig(), asOf);
    console.log(
      `Rebuilt reputation statistics on ${result.store} as of ${cstDate(cstDay(asOf))} (CST): ` +
        `${result.listings} listings of ${result.enterprises} enterprises counted, ` +
        `in ${(result.ms / 1000).toFixed(2)} s.`,
    );
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
