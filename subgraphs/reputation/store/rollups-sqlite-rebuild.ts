import { transaction } from '../../../platform/store/sqlite.ts';
import { inTransaction } from '../../../platform/store/transaction.ts';
import { runWorkers, workerCount } from '../../../platform/workers.ts';
import { LISTING_SOURCE_CODES, type ListingRecord } from '../domain/listing.ts';
import { cstDay } from '../domain/windows.ts';
import {
  type EnterpriseListings,
  enterpriseRanges,
  groupListingsByEnterprise,
  readListingsByEnterprise,
} from './listings-sqlite-by-enterprise.ts';
import { encodeCounts } from './rollups-sqlite-enterprise-counts.ts';
import { type EnterpriseRollup, enterpriseRollup } from './rollups-sqlite-enterprise-rollup.ts';
import type { RebuildRangeMessage, RebuildRangeRequest } from './rollups-sqlite-rebuild-worker.ts';
import type { RollupTables } from './rollups-sqlite-tables.ts';

/**
 * The rebuild of the SQLite rollups: every rollup recomputed from the raw listings, in one
 * transaction, with the same domain functions as the incremental path, in this thread or with the
 * reading and computing on worker threads (rollups-sqlite-rebuild-worker.ts).
 */

/**
 * Past a handful of reading threads, the one thread that writes every row becomes the limit (the
 * day roll's threads are capped the same).
 */
export const MAX_REBUILD_WORKERS = 8;

/** Told how long each rebuild phase took (the benchmark reports where the cost goes). */
export type RebuildPhaseListener = (phase: string, ms: number) => void;

export interface Rebuild {
  /**
   * Recomputes every rollup from raw listings, in one transaction: from `records` when given,
   * else from the ingestion `listings` table in the same database.
   */
  rebuild(asOf: number, records?: Iterable<ListingRecord>, onPhase?: RebuildPhaseListener): void;
  /** The rebuild from the `listings` table on worker threads (see the function). */
  rebuildFromListings(asOf: number, options?: { workers?: number; onPhase?: RebuildPhaseListener }): Promise<void>;
  /** After a migration that emptied the rollups (`rebuild_required`), derives them again from the listings. */
  rebuildIfRequired(listingsTable: boolean): void;
}

export function createRebuild(t: RollupTables): Rebuild {
  const { db } = t;

  /** Empties every rollup table (inside the caller's transaction) and marks the change for readers. */
  function clearRollups(today: number): void {
    t.local.version++;
    for (const table of ['rep_stats_years', 'rep_stats_source_daily', 'rep_enterprise_aliases', 'rep_enterprises']) {
      db.exec(`DELETE FROM ${table}`);
    }
    t.writeAsOfDay(today);
    t.logChange.run(null);
  }

  function writeRollup(r: EnterpriseRollup): void {
    for (const [year, blob] of r.years) t.insertYear.run(r.enterpriseId, year, blob);
    for (const [name] of r.names) t.insertAlias.run(r.enterpriseId, name);
    t.upsertEnterprise.run(
      r.enterpriseId,
      r.name,
      r.industry,
      r.listings,
      encodeCounts(r.names),
      encodeCounts(r.industries),
      r.windows,
    );
  }

  function writeSourceDays(sourceDays: Iterable<[number, number]>): void {
    for (const [key, n] of sourceDays) t.upsertSourceDay.run(LISTING_SOURCE_CODES[key % 16], Math.floor(key / 16), n);
  }

  /**
   * Rebuilds every rollup from the listings, enterprise by enterprise in id order (streamed from
   * the listings' covering index, or grouped from given records): each enterprise's years,
   * tallies, summary and windows are computed with the same domain functions as the incremental
   * path and written in key order.
   */
  function rebuildFrom(enterprises: Iterable<EnterpriseListings>, today: number, onPhase: RebuildPhaseListener): void {
    let mark = performance.now();
    clearRollups(today);
    onPhase('clear previous rollups', performance.now() - mark);
    mark = performance.now();
    const sourceDays = new Map<number, number>();
    let listings = 0;
    for (const enterprise of enterprises) {
      listings += enterprise.contributions.length;
      writeRollup(enterpriseRollup(enterprise, today, sourceDays));
    }
    writeSourceDays(sourceDays);
    onPhase(
      `read ${listings.toLocaleString('en')} listings grouped by enterprise; ` +
        'per enterprise: years, tallies, summary and windows, written in key order',
      performance.now() - mark,
    );
  }

  function rebuild(asOf: number, records?: Iterable<ListingRecord>, onPhase: RebuildPhaseListener = () => {}): void {
    transaction(db, () =>
      rebuildFrom(records ? groupListingsByEnterprise(records) : readListingsByEnterprise(db), cstDay(asOf), onPhase),
    );
  }

  /**
   * The same rebuild from the listings table with the reading and computing spread over worker
   * threads (one per core, at most MAX_REBUILD_WORKERS, unless told), one range of enterprises each
   * holding about as many listings; this thread only writes, in one transaction, as results
   * arrive. Nothing else may use this connection until it settles.
   */
  async function rebuildFromListings(
    asOf: number,
    options: { workers?: number; onPhase?: RebuildPhaseListener } = {},
  ): Promise<void> {
    const onPhase = options.onPhase ?? (() => {});
    const workers = workerCount(options.workers, MAX_REBUILD_WORKERS);
    const path = db.location();
    if (workers === 1 || path === null) {
      rebuild(asOf, undefined, onPhase);
      return;
    }
    const today = cstDay(asOf);
    let mark = performance.now();
    await inTransaction(db, async () => {
      clearRollups(today);
      onPhase('clear previous rollups', performance.now() - mark);
      mark = performance.now();
      const ranges = enterpriseRanges(db, workers);
      onPhase(`split the enterprises into ${ranges.length} ranges of about equal listings`, performance.now() - mark);
      mark = performance.now();
      let slowest = 0;
      const sourceDays = new Map<number, number>();
      const requests = ranges.map((range): RebuildRangeRequest => ({ path, range, today }));
      await runWorkers<RebuildRangeMessage>(
        new URL('./rollups-sqlite-rebuild-worker.ts', import.meta.url),
        requests,
        (message) => {
          if (message.kind === 'rollups') {
            for (const rollup of message.rollups) writeRollup(rollup);
            return false;
          }
          slowest = Math.max(slowest, message.ms);
          for (const [key, n] of message.sourceDays) sourceDays.set(key, (sourceDays.get(key) ?? 0) + n);
          return true;
        },
      );
      writeSourceDays(sourceDays);
      onPhase(
        `read and compute (${ranges.length} worker threads; slowest ${(slowest / 1000).toFixed(1)} s) and write`,
        performance.now() - mark,
      );
      mark = performance.now();
    });
    onPhase('commit', performance.now() - mark);
  }

  function rebuildIfRequired(listingsTable: boolean): void {
    if (!db.prepare("SELECT 1 FROM rep_stats_state WHERE key = 'rebuild_required'").get()) return;
    const hasListings = listingsTable && db.prepare('SELECT 1 FROM listings LIMIT 1').get();
    transaction(db, () => {
      if (hasListings) rebuildFrom(readListingsByEnterprise(db), cstDay(Date.now()), () => {});
      db.exec("DELETE FROM rep_stats_state WHERE key = 'rebuild_required'");
    });
  }

  return { rebuild, rebuildFromListings, rebuildIfRequired };
}
