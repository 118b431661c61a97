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
import { reputationDatabasePath } from '../subgraphs/reputation/store/listings-open.ts';
import { ROLLUP_INDEXES, createMongoRollups } from '../subgraphs/reputation/store/rollups-mongo.ts';
import { createSqliteRollups } from '../subgraphs/reputation/store/rollups-sqlite.ts';

export async function rebuildStatistics(config: Config, asOf = Date.now()): Promise<{ store: string; enterprises: number; dailyBuckets: number; ms: number }> {
  const started = performance.now();
  if (config.store === 'mongodb') {
    const { client, db } = await connectMongo(config.MONGODB_URI!, config.MONGODB_DB);
    try {
      await ensureIndexes(db, ROLLUP_INDEXES);
      await createMongoRollups(db).rebuild(asOf);
      return {
        store: 'mongodb',
        enterprises: await db.collection('rep_enterprises').countDocuments(),
        dailyBuckets: await db.collection('rep_stats_daily').countDocuments(),
        ms: performance.now() - started,
      };
    } finally {
      await client.close();
    }
  }
  const db = openSqlite(reputationDatabasePath(config));
  try {
    const hasListings = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'listings'").get();
    if (!hasListings) throw new Error(`No listings table in ${reputationDatabasePath(config)}: run the ingestion (npm run ingest) or start with SEED_DEMO first.`);
    createSqliteRollups(db).rebuild(asOf);
    const count = (table: string) => Number((db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n);
    return { store: 'sqlite', enterprises: count('rep_enterprises'), dailyBuckets: count('rep_stats_daily'), ms: performance.now() - started };
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
        `${result.enterprises} enterprises, ${result.dailyBuckets} daily buckets, in ${(result.ms / 1000).toFixed(2)} s.`,
    );
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
