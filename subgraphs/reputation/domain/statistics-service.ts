import type { ListingRecord } from './listing.ts';
import { buildMethodology, cstTimestamp, type Methodology } from './methodology.ts';
import {
  DEFAULT_MIN_COMPLAINTS,
  TIE_RULE,
  redBlackLists,
  type ListedEnterprise,
  type RankingMetric,
  type RankingOrder,
  type RankingRequest,
  type RankPosition,
} from './rankings.ts';
import { computeTrend, type ReputationStats, type Trend } from './statistics.ts';
import {
  cstDay,
  cstMonth,
  describeRange,
  monthRange,
  previousRange,
  rollingWindow,
  type DayRange,
  type RangeDescription,
  type ReputationWindow,
} from './windows.ts';
import type { RankingRow, RollupReader, SourceBreakdown } from '../store/rollups.ts';
import type { RedBlackSnapshot, SnapshotStore } from '../store/snapshots.ts';

/**
 * The statistics use cases behind the resolvers and the CSV export. Everything it reads comes
 * through injected stores; the clock is injected too, so every figure is reproducible in tests.
 */
export interface StatisticsDependencies {
  rollups: RollupReader;
  snapshots: SnapshotStore;
  /** Last successful crawl per source (epoch ms), from the ingestion crawl state. */
  lastCrawlBySource(): Promise<ReadonlyMap<string, number | null>>;
  /** Listings of an enterprise filed in [createdFrom, createdTo), newest first (ingestion's repository). */
  findListings?(
    query: { enterpriseId: string; createdFrom: number; createdTo: number },
    page: { first: number; after?: string | null },
  ): Promise<{
    records: ListingRecord[];
    endCursor: string | null;
    hasNextPage: boolean;
  }>;
  now(): number;
}

export interface EnterpriseReputation extends ReputationStats {
  window: ReputationWindow | null;
  /** The range the figures cover; `trends` compares them with the one before it. */
  range: DayRange;
  period: RangeDescription;
  rank: (RankPosition & { metric: RankingMetric; minComplaints: number; tieRule: string }) | null;
  bySource: SourceBreakdown[];
  computedAt: string;
  previousPeriod: RangeDescription | null;
}

export interface RankingsResult {
  rows: RankingRow[];
  total: number;
  offset: number;
  methodology: Methodology;
}

export interface RedBlackList {
  industry: string;
  month: string;
  size: number;
  /** True when the month is over in CST, so the list can no longer change except by data corrections. */
  closed: boolean;
  methodology: Methodology;
  red: ListedEnterprise[];
  black: ListedEnterprise[];
}

const DAY_MS = 86_400_000;

export function createStatisticsService(deps: StatisticsDependencies) {
  async function methodologyFor(
    metric: RankingMetric,
    order: RankingOrder,
    range: DayRange,
    minComplaints: number,
  ): Promise<Methodology> {
    return buildMethodology({
      metric,
      order,
      range,
      minComplaints,
      sources: await deps.rollups.sourcesIn(range),
      lastCrawlBySource: await deps.lastCrawlBySource(),
      computedAt: deps.now(),
    });
  }

  /**
   * Many enterprises' reputation over one range in a constant number of store reads (the figures of
   * the range, the day check, the ranks), whatever the number of ids. The trend, which needs the
   * figures of the range before, is `trends`: computed only when asked for, since those figures
   * cost as much again (issue 17: most readers ask for the figures alone).
   */
  async function periodReputations(
    ids: readonly string[],
    range: DayRange,
    window: ReputationWindow | null,
  ): Promise<EnterpriseReputation[]> {
    const now = deps.now();
    const current = await deps.rollups.enterprisesStats(ids, range);
    const previous = previousRange(range);
    let ranks: Array<RankPosition | null> = ids.map(() => null);
    if (window) {
      await deps.rollups.ensureCurrent(now);
      ranks = await deps.rollups.ranks(ids, window, 'WILSON_SCORE', DEFAULT_MIN_COMPLAINTS);
    }
    return ids.map((_id, i) => {
      const position = ranks[i];
      return {
        ...current[i].total,
        window,
        range,
        period: describeRange(range),
        previousPeriod: previous ? describeRange(previous) : null,
        rank: position
          ? { ...position, metric: 'WILSON_SCORE', minComplaints: DEFAULT_MIN_COMPLAINTS, tieRule: TIE_RULE }
          : null,
        bySource: current[i].bySource,
        computedAt: cstTimestamp(now),
      };
    });
  }

  async function periodReputation(
    enterpriseId: string,
    range: DayRange,
    window: ReputationWindow | null,
  ): Promise<EnterpriseReputation> {
    return (await periodReputations([enterpriseId], range, window))[0];
  }

  return {
    periodReputation,

    periodReputations,

    /**
     * Each enterprise's trend: its figures over `range` (`current`, as `periodReputations` gave
     * them) against those of the range before (null for all time), in one read for all of them.
     */
    async trends(
      ids: readonly string[],
      range: DayRange,
      current: readonly ReputationStats[],
    ): Promise<Array<Trend | null>> {
      const previous = previousRange(range);
      if (!previous) return ids.map(() => null);
      const before = await deps.rollups.enterprisesStats(ids, previous);
      return ids.map((_id, i) => computeTrend(current[i], before[i].total));
    },

    reputation(enterpriseId: string, window: ReputationWindow): Promise<EnterpriseReputation> {
      return periodReputation(enterpriseId, rollingWindow(window, deps.now()), window);
    },

    reputations(ids: readonly string[], window: ReputationWindow): Promise<EnterpriseReputation[]> {
      return periodReputations(ids, rollingWindow(window, deps.now()), window);
    },

    async rank(enterpriseId: string, window: ReputationWindow, metric: RankingMetric, minComplaints: number) {
      await deps.rollups.ensureCurrent(deps.now());
      return deps.rollups.rank(enterpriseId, window, metric, minComplaints);
    },

    async ranks(ids: readonly string[], window: ReputationWindow, metric: RankingMetric, minComplaints: number) {
      await deps.rollups.ensureCurrent(deps.now());
      return deps.rollups.ranks(ids, window, metric, minComplaints);
    },

    async rankings(input: RankingRequest): Promise<RankingsResult> {
      const now = deps.now();
      await deps.rollups.ensureCurrent(now);
      const page = await deps.rollups.rankings(input);
      const range = rollingWindow(input.window, page.asOfDay * DAY_MS);
      return {
        rows: page.rows,
        total: page.total,
        offset: input.offset,
        methodology: await methodologyFor(input.metric, input.order, range, input.minComplaints),
      };
    },

    async industryReputation(industry: string, window: ReputationWindow) {
      const range = rollingWindow(window, deps.now());
      return {
        industry,
        window,
        period: describeRange(range),
        stats: await deps.rollups.industryStats(industry, range),
        computedAt: cstTimestamp(deps.now()),
      };
    },

    /** The list as the data stands now; `publishRedBlackSnapshot` freezes it. */
    async redBlackList(industry: string, month: string, size: number, minComplaints: number): Promise<RedBlackList> {
      const range = monthRange(month);
      if (!range) throw new Error(`Not a month: ${month}`);
      const rows = await deps.rollups.periodStats(industry, range, minComplaints);
      return {
        industry,
        month,
        size,
        closed: cstDay(deps.now()) > range.toDay,
        methodology: await methodologyFor('WILSON_SCORE', 'BEST_FIRST', range, minComplaints),
        ...redBlackLists(rows, size),
      };
    },

    async publishRedBlackSnapshot(
      industry: string,
      month: string,
      size: number,
      minComplaints: number,
      createdBy: string,
    ): Promise<RedBlackSnapshot> {
      const list = await this.redBlackList(industry, month, size, minComplaints);
      return deps.snapshots.publish({
        industry,
        month,
        size,
        methodology: list.methodology,
        red: list.red,
        black: list.black,
        createdAt: deps.now(),
        createdBy,
      });
    },

    /**
     * Month-end job: publishes version 1 of the previous CST month's list for every industry that
     * has none yet. Idempotent, so a scheduler may call it as often as it likes.
     */
    async snapshotClosedMonth(
      industries: readonly string[],
      size = 10,
      minComplaints = DEFAULT_MIN_COMPLAINTS,
    ): Promise<RedBlackSnapshot[]> {
      const now = deps.now();
      const thisMonth = monthRange(cstMonth(now));
      if (!thisMonth) throw new Error(`snapshotClosedMonth: expected a month range for ${cstMonth(now)}, got none`);
      const previousMonth = cstMonth(thisMonth.fromDay * DAY_MS - DAY_MS);
      const published: RedBlackSnapshot[] = [];
      for (const industry of industries) {
        if ((await deps.snapshots.list({ industry, month: previousMonth })).length > 0) continue;
        published.push(await this.publishRedBlackSnapshot(industry, previousMonth, size, minComplaints, 'system'));
      }
      return published;
    },

    /** The listings that count for an enterprise in a window (provenance), newest first. */
    async provenance(enterpriseId: string, window: ReputationWindow, page: { first: number; after?: string | null }) {
      const range = rollingWindow(window, deps.now());
      if (!deps.findListings) return { records: [], endCursor: null, hasNextPage: false, period: describeRange(range) };
      const createdFrom = range.fromDay * DAY_MS - 8 * 3600_000;
      const createdTo = (range.toDay + 1) * DAY_MS - 8 * 3600_000;
      return {
        ...(await deps.findListings({ enterpriseId, createdFrom, createdTo }, page)),
        period: describeRange(range),
      };
    },

    snapshot: (id: string, version?: number) => deps.snapshots.get(id, version),
    snapshots: (filter: { industry?: string; month?: string }) => deps.snapshots.list(filter),
    enterprise: (id: string) => deps.rollups.enterprise(id),
    enterprises: (ids: readonly string[]) => deps.rollups.enterprises(ids),
    searchEnterprises: (text: string, limit: number) => deps.rollups.searchEnterprises(text, limit),
  };
}

export type StatisticsService = ReturnType<typeof createStatisticsService>;
