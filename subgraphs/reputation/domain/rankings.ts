import type { ReputationStats } from './statistics.ts';
import type { ReputationWindow } from './windows.ts';

export const RankingMetric = {
  WILSON_SCORE: 'WILSON_SCORE',
  REPLY_RATE: 'REPLY_RATE',
  COMPLETION_RATE: 'COMPLETION_RATE',
  COMPLAINTS: 'COMPLAINTS',
  MEDIAN_REPLY_HOURS: 'MEDIAN_REPLY_HOURS',
  SATISFACTION: 'SATISFACTION',
} as const;
export type RankingMetric = (typeof RankingMetric)[keyof typeof RankingMetric];

/** BEST_FIRST puts the best value first whatever the metric's direction (see `HIGHER_IS_BETTER`). */
export const RankingOrder = { BEST_FIRST: 'BEST_FIRST', WORST_FIRST: 'WORST_FIRST' } as const;
export type RankingOrder = (typeof RankingOrder)[keyof typeof RankingOrder];

/** Fewer complaints and faster replies are better; every other metric is better when higher. */
export const HIGHER_IS_BETTER: Record<RankingMetric, boolean> = {
  WILSON_SCORE: true,
  REPLY_RATE: true,
  COMPLETION_RATE: true,
  COMPLAINTS: false,
  MEDIAN_REPLY_HOURS: false,
  SATISFACTION: true,
};

/**
 * One page of one ranking: the industry, rolling window, metric
 * and order, the minimum sample, and where the page starts.
 */
export interface RankingRequest {
  industry: string;
  window: ReputationWindow;
  metric: RankingMetric;
  order: RankingOrder;
  minComplaints: number;
  offset: number;
  limit: number;
}

export const DEFAULT_MIN_COMPLAINTS = 30;
export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export const TIE_RULE =
  'Standard competition ranking ("1224"): enterprises with equal values share a position and the next position skips ' +
  'as many places as were tied; within a tie, rows are listed by enterprise id so pages are stable.';

/** The metric's value, or null when the enterprise has no value for it (then it is left out of that ranking). */
export function metricValue(stats: ReputationStats, metric: RankingMetric): number | null {
  switch (metric) {
    case 'WILSON_SCORE':
      return stats.wilsonScore;
    case 'REPLY_RATE':
      return stats.replyRate;
    case 'COMPLETION_RATE':
      return stats.completionRate;
    case 'COMPLAINTS':
      return stats.complaints;
    case 'MEDIAN_REPLY_HOURS':
      return stats.medianReplyHours;
    case 'SATISFACTION':
      return stats.satisfactionMean;
  }
}

/** True when listing `order` puts larger values first. */
export function descending(metric: RankingMetric, order: RankingOrder): boolean {
  return HIGHER_IS_BETTER[metric] === (order === RankingOrder.BEST_FIRST);
}

export interface RankPosition {
  /** 1-based competition rank. */
  position: number;
  outOf: number;
  /** True when at least one other enterprise has exactly the same value. */
  tie: boolean;
}

/**
 * Competition rank of `value` among `values` (which include it) in listing order: 1 + the number
 * of strictly earlier values. A plain oracle used by tests and by small in-memory rankings.
 */
export function competitionRank(values: readonly number[], value: number, desc: boolean): RankPosition {
  let before = 0;
  let equal = 0;
  for (const v of values) {
    if (v === value) equal++;
    else if (desc ? v > value : v < value) before++;
  }
  return { position: before + 1, outOf: values.length, tie: equal > 1 };
}

/**
 * Positions for rows already in listing order, continuing from the row before the page
 * (`previous`, with its value and position) so a tie spanning a page boundary keeps its position.
 */
export function assignPositions<T>(
  rows: readonly T[],
  rankValue: (row: T) => number,
  offset: number,
  previous: { value: number; position: number } | null,
): Array<{ row: T; position: number }> {
  const out: Array<{ row: T; position: number }> = [];
  let last = previous;
  rows.forEach((row, i) => {
    const value = rankValue(row);
    const position = last !== null && last.value === value ? last.position : offset + i + 1;
    out.push({ row, position });
    last = { value, position };
  });
  return out;
}

/** Opaque page cursors: the offset of the next row, versioned so a future format can be told apart. */
export function encodeCursor(offset: number): string {
  return Buffer.from(`r1:${offset}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): number | null {
  const match = /^r1:(\d{1,9})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return match ? Number(match[1]) : null;
}

/** One enterprise on a red (best) or black (worst) list. */
export interface ListedEnterprise {
  position: number;
  tie: boolean;
  enterpriseId: string;
  name: string;
  stats: ReputationStats;
}

/**
 * The monthly red/black list: the best and the worst `size` enterprises by Wilson score among
 * those with at least the minimum sample. Ties at the cut-off are cut by enterprise id (stated in
 * the tie rule), positions are competition ranks within each list.
 */
export function redBlackLists(
  rows: ReadonlyArray<{ enterpriseId: string; name: string; stats: ReputationStats }>,
  size: number,
): { red: ListedEnterprise[]; black: ListedEnterprise[] } {
  const list = (desc: boolean): ListedEnterprise[] => {
    const sorted = [...rows].sort(
      (a, b) =>
        (desc ? b.stats.wilsonScore - a.stats.wilsonScore : a.stats.wilsonScore - b.stats.wilsonScore) ||
        (a.enterpriseId < b.enterpriseId ? -1 : a.enterpriseId > b.enterpriseId ? 1 : 0),
    );
    const values = sorted.map((r) => r.stats.wilsonScore);
    return sorted.slice(0, size).map((row) => {
      const { position, tie } = competitionRank(values, row.stats.wilsonScore, desc);
      return { position, tie, enterpriseId: row.enterpriseId, name: row.name, stats: row.stats };
    });
  };
  return { red: list(true), black: list(false) };
}
