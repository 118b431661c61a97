import type { DatabaseSync } from 'node:sqlite';
import { migrate, transaction } from '../../../platform/store/sqlite.ts';
import type { ListingChange, ListingRecord } from '../domain/listing.ts';
import { LISTINGS_COMPONENT, LISTINGS_MIGRATIONS } from './listings-sqlite.ts';
import { createChangeApplier } from './rollups-sqlite-changes.ts';
import { createDayRoll, type DayRollOptions } from './rollups-sqlite-day-roll.ts';
import { createRankingSync } from './rollups-sqlite-rankings.ts';
import { createRollupQueries } from './rollups-sqlite-readers.ts';
import { createRebuild, type RebuildPhaseListener } from './rollups-sqlite-rebuild.ts';
import { STATS_COMPONENT, STATS_MIGRATIONS } from './rollups-sqlite-schema.ts';
import { prepareRollupTables } from './rollups-sqlite-tables.ts';
import type { RollupReader } from './rollups.ts';

/**
 * The SQLite adapter of the statistics rollups (rollups.ts), on the subgraph's database, beside
 * the listings, so the rollups join ingestion's write transactions. Its parts, one concern each:
 * - rollups-sqlite-schema.ts: the migrations;
 * - rollups-sqlite-tables.ts: the statements every part shares, and the change log;
 * - rollups-sqlite-changes.ts: a batch of listing changes, netted by domain/change-netting.ts;
 * - rollups-sqlite-day-roll.ts: the windows rolled to a new CST day (with its worker);
 * - rollups-sqlite-rebuild.ts: everything recomputed from the listings (with its worker);
 * - rollups-sqlite-readers.ts and rollups-sqlite-rankings.ts: the reads, rankings from memory.
 */

export { STATS_COMPONENT, STATS_MIGRATIONS };
export type { RebuildPhaseListener };

export type SqliteRollupOptions = DayRollOptions;

export interface SqliteRollups extends RollupReader {
  /** Applies a write's changes. Call it INSIDE the caller's transaction (ingestion's `onChanges`). */
  applyChanges(changes: ListingChange[]): void;
  /** Same, in a transaction of its own (seeding, tests). */
  applyChangesInTransaction(changes: ListingChange[]): void;
  /**
   * Recomputes every rollup from raw listings, in one transaction: from `records` when given,
   * else from the ingestion `listings` table in the same database.
   */
  rebuild(asOf: number, records?: Iterable<ListingRecord>, onPhase?: RebuildPhaseListener): void;
  /** The rebuild from the `listings` table on worker threads (one per core, at most 8, unless told). */
  rebuildFromListings(asOf: number, options?: { workers?: number; onPhase?: RebuildPhaseListener }): Promise<void>;
  /**
   * Re-materialises every rolling window as of the CST day of `asOf`, in this thread (call it
   * inside a transaction).
   */
  refreshWindows(asOf: number): void;
  /**
   * The same day roll without blocking this thread for it: worker threads recompute the windows
   * from a snapshot, and one short transaction writes them (see rollups-sqlite-day-roll.ts).
   * `onSnapshot` runs once every worker holds its snapshot (tests write through it to race the roll).
   */
  rollWindows(asOf: number, options?: { workers?: number; onSnapshot?: () => void }): Promise<void>;
  /** The CST day the materialised windows end on, null before the first refresh. */
  asOfDay(): number | null;
}

export function createSqliteRollups(db: DatabaseSync, options: SqliteRollupOptions = {}): SqliteRollups {
  migrate(db, STATS_COMPONENT, STATS_MIGRATIONS);
  // Rebuilds read the listings through their covering index: an existing listings table is brought
  // to its current schema first, whichever store opened the database.
  const listingsTable =
    db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'listings'").get() !== undefined;
  if (listingsTable) migrate(db, LISTINGS_COMPONENT, LISTINGS_MIGRATIONS);

  const tables = prepareRollupTables(db);
  const applyChanges = createChangeApplier(tables);
  const dayRoll = createDayRoll(tables, options);
  const rebuild = createRebuild(tables);
  const rankings = createRankingSync(tables);
  const queries = createRollupQueries(tables, rankings);

  // A schema migration that replaced the rollup layout left them empty: derive them again now.
  rebuild.rebuildIfRequired(listingsTable);

  return {
    ...queries,
    async ensureCurrent(now) {
      await dayRoll.ensureDay(now);
      rankings.current();
    },
    applyChanges,
    applyChangesInTransaction: (changes) => transaction(db, () => applyChanges(changes)),
    rebuild: rebuild.rebuild,
    rebuildFromListings: rebuild.rebuildFromListings,
    refreshWindows: dayRoll.refreshWindows,
    rollWindows: dayRoll.rollWindows,
    asOfDay: tables.asOfDay,
  };
}
