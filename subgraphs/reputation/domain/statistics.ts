import { ListingStatus, type ListingRecord, type ListingSource } from './listing.ts';
import { DAY_MS, REPUTATION_WINDOWS, cstDay, rollingWindow, type ReputationWindow } from './windows.ts';
import { wilsonLowerBound } from './wilson.ts';

/**
 * What one listing contributes to the statistics. A listing counts on the CST day it was filed
 * (`createdAt`), whatever happened later, so a window's complaints never move when a record is
 * updated; only its replied/completed flags, reply delay and rating do.
 */
export interface ListingContribution {
  enterpriseId: string;
  source: ListingSource;
  externalId: string;
  day: number;
  replied: boolean;
  completed: boolean;
  /** repliedAt − createdAt in ms (never negative), null when the reply time is not published. */
  replyDelayMs: number | null;
  satisfaction: number | null;
}

const REPLIED_STATUSES: ReadonlySet<string> = new Set([ListingStatus.Replied, ListingStatus.Completed]);

/**
 * Replied: the business answered (status REPLIED or COMPLETED, or a reply time is published).
 * Completed: the source marks the complaint COMPLETED or publishes a completion time; a completed
 * complaint counts as replied too. CLOSED without completion is neither.
 */
export function contributionOf(
  record: Pick<
    ListingRecord,
    'enterpriseId' | 'source' | 'externalId' | 'status' | 'createdAt' | 'repliedAt' | 'completedAt' | 'satisfaction'
  >,
): ListingContribution {
  const completed = record.status === ListingStatus.Completed || record.completedAt !== null;
  const replied = completed || REPLIED_STATUSES.has(record.status) || record.repliedAt !== null;
  const replyDelayMs = record.repliedAt !== null ? Math.max(0, record.repliedAt - record.createdAt) : null;
  const satisfaction =
    record.satisfaction !== null &&
    Number.isFinite(record.satisfaction) &&
    record.satisfaction >= 1 &&
    record.satisfaction <= 5
      ? record.satisfaction
      : null;
  return {
    enterpriseId: record.enterpriseId,
    source: record.source,
    externalId: record.externalId,
    day: cstDay(record.createdAt),
    replied,
    completed,
    replyDelayMs,
    satisfaction,
  };
}

/** Additive counts: what a daily bucket holds and what windows sum. */
export interface Counts {
  complaints: number;
  replied: number;
  completed: number;
  satisfactionSum: number;
  satisfactionCount: number;
}

export function zeroCounts(): Counts {
  return { complaints: 0, replied: 0, completed: 0, satisfactionSum: 0, satisfactionCount: 0 };
}

/** The counts one contribution adds (sign = 1) or removes (sign = −1). */
export function countsOf(c: ListingContribution, sign: 1 | -1 = 1): Counts {
  return {
    complaints: sign,
    replied: c.replied ? sign : 0,
    completed: c.completed ? sign : 0,
    satisfactionSum: c.satisfaction !== null ? sign * c.satisfaction : 0,
    satisfactionCount: c.satisfaction !== null ? sign : 0,
  };
}

/** Sums the additive fields only (extra fields such as `day` are ignored). */
export function addCounts(a: Counts, b: Counts): Counts {
  return {
    complaints: a.complaints + b.complaints,
    replied: a.replied + b.replied,
    completed: a.completed + b.completed,
    satisfactionSum: a.satisfactionSum + b.satisfactionSum,
    satisfactionCount: a.satisfactionCount + b.satisfactionCount,
  };
}

/**
 * The exact median of values already sorted ascending: the middle one, or the mean of the two
 * middle ones for an even count; null for none.
 */
export function exactMedian(sorted: readonly number[]): number | null {
  if (sorted.length === 0) return null;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The 0-based positions of the one or two middle order statistics among `n` values. */
export function medianPositions(n: number): number[] {
  if (n <= 0) return [];
  return n % 2 === 1 ? [(n - 1) / 2] : [n / 2 - 1, n / 2];
}

export const HOUR_MS = 3600_000;

export interface ReputationStats {
  /** Complaints filed in the window: the sample size of every rate. */
  complaints: number;
  replied: number;
  completed: number;
  replyRate: number;
  completionRate: number;
  wilsonScore: number;
  /** Exact median of reply delays in hours; null when no reply time is known. */
  medianReplyHours: number | null;
  /** How many reply delays the median is taken over. */
  replyDelaySampleSize: number;
  satisfactionMean: number | null;
  satisfactionCount: number;
}

/** Rates from counts; every ratio is 0 (not NaN) over an empty sample. */
export function computeStats(
  counts: Counts,
  medianReplyMs: number | null,
  replyDelaySampleSize: number,
): ReputationStats {
  const n = counts.complaints;
  return {
    complaints: n,
    replied: counts.replied,
    completed: counts.completed,
    replyRate: n > 0 ? counts.replied / n : 0,
    completionRate: n > 0 ? counts.completed / n : 0,
    wilsonScore: wilsonLowerBound(counts.completed, n),
    medianReplyHours: medianReplyMs === null || replyDelaySampleSize === 0 ? null : medianReplyMs / HOUR_MS,
    replyDelaySampleSize,
    satisfactionMean: counts.satisfactionCount > 0 ? counts.satisfactionSum / counts.satisfactionCount : null,
    satisfactionCount: counts.satisfactionCount,
  };
}

/** Change against the previous window of the same length. */
export interface Trend {
  previousComplaints: number;
  complaintsDelta: number;
  /** Relative change in complaints; null when the previous window had none. */
  complaintsChangeRatio: number | null;
  replyRateDelta: number;
  completionRateDelta: number;
  wilsonScoreDelta: number;
  direction: 'IMPROVING' | 'WORSENING' | 'STABLE' | 'INSUFFICIENT_DATA';
}

/** Direction follows the Wilson score: more completions that the sample supports is better. */
export function computeTrend(current: ReputationStats, previous: ReputationStats): Trend {
  const wilsonScoreDelta = current.wilsonScore - previous.wilsonScore;
  const direction =
    previous.complaints === 0 || current.complaints === 0
      ? 'INSUFFICIENT_DATA'
      : Math.abs(wilsonScoreDelta) < 0.01
        ? 'STABLE'
        : wilsonScoreDelta > 0
          ? 'IMPROVING'
          : 'WORSENING';
  return {
    previousComplaints: previous.complaints,
    complaintsDelta: current.complaints - previous.complaints,
    complaintsChangeRatio:
      previous.complaints > 0 ? (current.complaints - previous.complaints) / previous.complaints : null,
    replyRateDelta: current.replyRate - previous.replyRate,
    completionRateDelta: current.completionRate - previous.completionRate,
    wilsonScoreDelta,
    direction,
  };
}

/** One day's counts of one enterprise (all sources summed or one source). */
export interface DayCounts extends Counts {
  day: number;
}

/**
 * An enterprise's figures for every rolling window ending on `today`, from its daily counts and
 * its reply delays of the last 365 days sorted ascending. ALL_TIME's median is passed in because
 * both adapters read it with order-statistic queries instead of fetching every delay.
 */
export function materialiseWindows(
  daily: readonly DayCounts[],
  recentDelaysSorted: ReadonlyArray<{ day: number; replyMs: number }>,
  allTime: { median: number | null; sample: number },
  today: number,
): Array<{ window: ReputationWindow; counts: Counts; stats: ReputationStats }> {
  return REPUTATION_WINDOWS.map((window) => {
    const range = rollingWindow(window, today * DAY_MS);
    let counts = zeroCounts();
    for (const row of daily) if (row.day >= range.fromDay && row.day <= range.toDay) counts = addCounts(counts, row);
    let stats: ReputationStats;
    if (window === 'ALL_TIME') {
      stats = computeStats(counts, allTime.median, allTime.sample);
    } else {
      const values: number[] = [];
      for (const d of recentDelaysSorted) if (d.day >= range.fromDay && d.day <= range.toDay) values.push(d.replyMs);
      stats = computeStats(counts, exactMedian(values), values.length);
    }
    return { window, counts, stats };
  });
}
