import type { ListingChange } from '../domain/listing.ts';
import type { RankingMetric, RankingRequest, RankPosition } from '../domain/rankings.ts';
import type { ReputationStats } from '../domain/statistics.ts';
import type { DayRange, ReputationWindow } from '../domain/windows.ts';

/**
 * Statistics rollups, maintained from the listing changes ingestion reports and never from a scan
 * of raw listings at query time. Both adapters (rollups-sqlite.ts, rollups-mongo.ts) apply a batch
 * as the domain nets it (domain/change-netting.ts).
 *
 * Layout:
 * - what each enterprise's listings contribute: daily counts per (CST day, source) (complaints,
 *   replied, completed, satisfaction sum and count) and every published reply delay. SQLite packs
 *   them per (enterprise, CST year) into one row (domain/profile.ts,
 *   store/rollups-sqlite-profile-codec.ts); MongoDB keeps a document per daily bucket and per
 *   delay. The exact median is an order statistic over the sorted delays of a range, never
 *   estimated from a histogram;
 * - per-enterprise name and industry tallies (the most frequent published name and industry win);
 * - each enterprise's rolling windows as of one CST day, counts and medians: on SQLite one blob in
 *   its summary row, with rankings served from memory (domain/ranking-index.ts) and followed
 *   through a change log; on MongoDB a document per (window, enterprise), indexed per metric, so
 *   rankings are index range reads.
 */
export interface EnterpriseSummary {
  id: string;
  /** The most frequently published name (ties: the smallest string). */
  name: string;
  /** The most frequent industry among its listings, null when none says. */
  industry: string | null;
  /** Every distinct published name, sorted. */
  aliases: string[];
  listings: number;
}

export interface SourceBreakdown {
  source: string;
  stats: ReputationStats;
}

export interface EnterpriseRangeStats {
  total: ReputationStats;
  bySource: SourceBreakdown[];
}

export type { RankingRequest };

export interface RankingRow {
  enterpriseId: string;
  name: string;
  industry: string | null;
  stats: ReputationStats;
  position: number;
  /** True when another enterprise in this ranking has exactly the same value. */
  tie: boolean;
}

export interface RankingPage {
  rows: RankingRow[];
  /** Enterprises that qualify for this ranking (the `outOf` of every position). */
  total: number;
  /** The CST day the materialised windows end on. */
  asOfDay: number;
}

export interface PeriodRow {
  enterpriseId: string;
  name: string;
  stats: ReputationStats;
}

/** Read side of the rollups; the write side is adapter-specific (it joins the caller's transaction). */
export interface RollupReader {
  /** Re-materialises the rolling windows when the CST day of `now` moved on; cheap when it did not. */
  ensureCurrent(now: number): Promise<void>;
  enterprise(id: string): Promise<EnterpriseSummary | null>;
  /** Many enterprises in a constant number of store queries, in the order of `ids` (null where unknown). */
  enterprises(ids: readonly string[]): Promise<Array<EnterpriseSummary | null>>;
  searchEnterprises(text: string, limit: number): Promise<EnterpriseSummary[]>;
  enterpriseStats(enterpriseId: string, range: DayRange): Promise<EnterpriseRangeStats>;
  /**
   * Many enterprises' figures over one range in a constant number of store queries, in the order of
   * `ids` (an unknown id reads as no listings, as `enterpriseStats` does): Enterprise entities of one
   * subgraph request share it.
   */
  enterprisesStats(ids: readonly string[], range: DayRange): Promise<EnterpriseRangeStats[]>;
  rank(
    enterpriseId: string,
    window: ReputationWindow,
    metric: RankingMetric,
    minComplaints: number,
  ): Promise<RankPosition | null>;
  /** Many enterprises' ranks in a constant number of store queries, in the order of `ids` (null where unranked). */
  ranks(
    ids: readonly string[],
    window: ReputationWindow,
    metric: RankingMetric,
    minComplaints: number,
  ): Promise<Array<RankPosition | null>>;
  rankings(request: RankingRequest): Promise<RankingPage>;
  /** Per-enterprise statistics of an industry over any range (months, quarters), computed from the daily counts. */
  periodStats(industry: string, range: DayRange, minComplaints: number): Promise<PeriodRow[]>;
  /** Industry totals over a range, with the exact median over all its reply delays. */
  industryStats(industry: string, range: DayRange): Promise<ReputationStats>;
  /** Sources with at least one listing in the range. */
  sourcesIn(range: DayRange): Promise<string[]>;
}

/** Applies a write transaction's listing changes; the SQLite adapter runs synchronously inside it. */
export type ApplyListingChanges = (changes: ListingChange[]) => void;
