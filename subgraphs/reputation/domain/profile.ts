import { LISTING_SOURCE_CODES, type ListingSource } from './listing.ts';
import {
  addCounts,
  countsOf,
  medianPositions,
  zeroCounts,
  type Counts,
  type ListingContribution,
} from './statistics.ts';
import { DAY_MS, REPUTATION_WINDOWS, yearDays, rollingWindow, type ReputationWindow } from './windows.ts';

/**
 * An enterprise's statistics profile: what its listings contribute, grouped by CST calendar
 * year. Each year holds daily counts per source and the year's reply delays sorted
 * ascending, so any range (rolling window, month, year, all time) is a sum of buckets plus an
 * order statistic over a few sorted runs, and an update rewrites one year, not one row per listing.
 */
export interface SourceDayCounts extends Counts {
  day: number;
  /** Position in LISTING_SOURCE_CODES. */
  source: number;
}

/** Reply delays sorted by (replyMs, day, source), as parallel columns: large enterprises stay compact. */
export interface DelayColumns {
  replyMs: Float64Array;
  day: Int32Array;
  source: Uint8Array;
}

export interface YearProfile {
  /** As `yearOfDay` numbers it. */
  year: number;
  /** Sorted by (day, source); a bucket exists only while it counts at least one complaint. */
  buckets: SourceDayCounts[];
  delays: DelayColumns;
}

export function sourceCode(source: ListingSource): number {
  const code = LISTING_SOURCE_CODES.indexOf(source);
  if (code < 0) throw new Error(`unknown listing source ${JSON.stringify(source)}: add it to LISTING_SOURCE_CODES`);
  return code;
}

export function sourceName(code: number): ListingSource {
  return LISTING_SOURCE_CODES[code];
}

const emptyDelays = (): DelayColumns => ({
  replyMs: new Float64Array(0),
  day: new Int32Array(0),
  source: new Uint8Array(0),
});

function compareDelay(aMs: number, aDay: number, aSource: number, bMs: number, bDay: number, bSource: number): number {
  return aMs - bMs || aDay - bDay || aSource - bSource;
}

/**
 * A year after some contributions left it and others arrived (a status change is one of each).
 * Returns null when nothing is left. Building a year from scratch is the same call with no
 * `existing` and nothing removed, so a rebuild and an incremental update produce identical years.
 */
export function applyToYear(
  year: number,
  existing: YearProfile | null,
  removed: readonly ListingContribution[],
  added: readonly ListingContribution[],
): YearProfile | null {
  const buckets = new Map<number, SourceDayCounts>();
  for (const b of existing?.buckets ?? []) buckets.set(b.day * 16 + b.source, { ...b });
  const adjust = (c: ListingContribution, sign: 1 | -1) => {
    const code = sourceCode(c.source);
    const key = c.day * 16 + code;
    let bucket = buckets.get(key);
    if (!bucket) {
      bucket = { day: c.day, source: code, ...zeroCounts() };
      buckets.set(key, bucket);
    }
    bucket.complaints += sign;
    if (c.replied) bucket.replied += sign;
    if (c.completed) bucket.completed += sign;
    if (c.satisfaction !== null) {
      bucket.satisfactionSum += sign * c.satisfaction;
      bucket.satisfactionCount += sign;
    }
  };
  for (const c of removed) adjust(c, -1);
  for (const c of added) adjust(c, 1);
  const kept = [...buckets.values()]
    .filter((b) => b.complaints > 0)
    .sort((a, b) => a.day - b.day || a.source - b.source);

  const delays = mergeDelays(existing?.delays ?? emptyDelays(), removed, added);
  if (kept.length === 0 && delays.replyMs.length === 0) return null;
  return { year, buckets: kept, delays };
}

/** Removes one matching (delay, day, source) per removed contribution and merges the added ones in order. */
function mergeDelays(
  existing: DelayColumns,
  removed: readonly ListingContribution[],
  added: readonly ListingContribution[],
): DelayColumns {
  const gone = new Uint8Array(existing.replyMs.length);
  let goneCount = 0;
  for (const c of removed) {
    if (c.replyDelayMs === null) continue;
    const code = sourceCode(c.source);
    for (
      let i = lowerBound(existing.replyMs, c.replyDelayMs, 0, existing.replyMs.length);
      i < existing.replyMs.length && existing.replyMs[i] === c.replyDelayMs;
      i++
    ) {
      if (!gone[i] && existing.day[i] === c.day && existing.source[i] === code) {
        gone[i] = 1;
        goneCount++;
        break;
      }
    }
  }
  const incoming = added
    .filter((c) => c.replyDelayMs !== null)
    .map((c) => ({ ms: c.replyDelayMs as number, day: c.day, source: sourceCode(c.source) }))
    .sort((a, b) => compareDelay(a.ms, a.day, a.source, b.ms, b.day, b.source));
  if (goneCount === 0 && incoming.length === 0) return existing;
  const n = existing.replyMs.length - goneCount + incoming.length;
  const out: DelayColumns = { replyMs: new Float64Array(n), day: new Int32Array(n), source: new Uint8Array(n) };
  let i = 0;
  let j = 0;
  for (let k = 0; k < n; k++) {
    while (i < existing.replyMs.length && gone[i]) i++;
    const takeExisting =
      i < existing.replyMs.length &&
      (j >= incoming.length ||
        compareDelay(
          existing.replyMs[i],
          existing.day[i],
          existing.source[i],
          incoming[j].ms,
          incoming[j].day,
          incoming[j].source,
        ) <= 0);
    if (takeExisting) {
      out.replyMs[k] = existing.replyMs[i];
      out.day[k] = existing.day[i];
      out.source[k] = existing.source[i];
      i++;
    } else {
      out.replyMs[k] = incoming[j].ms;
      out.day[k] = incoming[j].day;
      out.source[k] = incoming[j].source;
      j++;
    }
  }
  return out;
}

/** The first index in [from, to) where `before` stops holding (it holds on a prefix of the range): a binary search. */
function partitionPoint(from: number, to: number, before: (i: number) => boolean): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (before(mid)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index in [from, to) whose value is ≥ `value` (values sorted ascending). */
const lowerBound = (values: Float64Array, value: number, from: number, to: number): number =>
  partitionPoint(from, to, (i) => values[i] < value);

/** First index in [from, to) whose value is > `value`. */
const upperBound = (values: Float64Array, value: number, from: number, to: number): number =>
  partitionPoint(from, to, (i) => values[i] <= value);

/**
 * The k-th smallest value (0-based) of the union of sorted runs, without merging them: each round
 * takes the middle of the run with the most candidates left as pivot and discards at least half of
 * that run, so the cost is O(runs · log² n) however large the enterprise.
 */
export function kthSmallest(runs: readonly Float64Array[], k: number): number {
  const lo = runs.map(() => 0);
  const hi = runs.map((run) => run.length);
  const below = new Array<number>(runs.length);
  const upTo = new Array<number>(runs.length);
  let rank = k;
  for (;;) {
    let widest = -1;
    let width = 0;
    for (let i = 0; i < runs.length; i++) {
      if (hi[i] - lo[i] > width) {
        width = hi[i] - lo[i];
        widest = i;
      }
    }
    if (widest < 0) throw new RangeError(`rank ${k} is outside the ${runs.reduce((n, r) => n + r.length, 0)} values`);
    const pivot = runs[widest][(lo[widest] + hi[widest]) >>> 1];
    let less = 0;
    let lessOrEqual = 0;
    for (let i = 0; i < runs.length; i++) {
      below[i] = lowerBound(runs[i], pivot, lo[i], hi[i]);
      upTo[i] = upperBound(runs[i], pivot, below[i], hi[i]);
      less += below[i] - lo[i];
      lessOrEqual += upTo[i] - lo[i];
    }
    if (rank < less) {
      for (let i = 0; i < runs.length; i++) hi[i] = below[i];
    } else if (rank < lessOrEqual) {
      return pivot;
    } else {
      rank -= lessOrEqual;
      for (let i = 0; i < runs.length; i++) lo[i] = upTo[i];
    }
  }
}

/** The exact median (mean of the two middle values for an even count) of sorted runs. */
export function medianOfRuns(runs: readonly Float64Array[]): { median: number | null; sample: number } {
  const sample = runs.reduce((n, run) => n + run.length, 0);
  const positions = medianPositions(sample);
  if (positions.length === 0) return { median: null, sample };
  const values = positions.map((p) => kthSmallest(runs, p));
  return { median: values.reduce((a, b) => a + b, 0) / values.length, sample };
}

export interface RangeFigures {
  counts: Counts;
  /** Exact median reply delay in ms, null without any. */
  median: number | null;
  sample: number;
}

/** Counts and the median reply delay over an inclusive range of CST days, for all sources or one. */
export function figuresInRange(
  profile: readonly YearProfile[],
  range: { fromDay: number; toDay: number },
  source?: number,
): RangeFigures {
  const counts = zeroCounts();
  const runs: Float64Array[] = [];
  for (const year of profile) {
    const days = yearDays(year.year);
    if (days.toDay < range.fromDay || days.fromDay > range.toDay) continue;
    const buckets = year.buckets;
    // Buckets are sorted by day: start at the range's first day instead of walking the whole year.
    const first = partitionPoint(0, buckets.length, (i) => buckets[i].day < range.fromDay);
    for (let i = first; i < buckets.length && buckets[i].day <= range.toDay; i++) {
      const b = buckets[i];
      if (source !== undefined && b.source !== source) continue;
      counts.complaints += b.complaints;
      counts.replied += b.replied;
      counts.completed += b.completed;
      counts.satisfactionSum += b.satisfactionSum;
      counts.satisfactionCount += b.satisfactionCount;
    }
    const d = year.delays;
    if (d.replyMs.length === 0) continue;
    if (source === undefined && days.fromDay >= range.fromDay && days.toDay <= range.toDay) {
      runs.push(d.replyMs);
      continue;
    }
    const kept: number[] = [];
    for (let i = 0; i < d.replyMs.length; i++) {
      if (d.day[i] >= range.fromDay && d.day[i] <= range.toDay && (source === undefined || d.source[i] === source))
        kept.push(d.replyMs[i]);
    }
    if (kept.length) runs.push(Float64Array.from(kept));
  }
  return { counts, ...medianOfRuns(runs) };
}

function addBucket(tally: Counts, b: SourceDayCounts): void {
  tally.complaints += b.complaints;
  tally.replied += b.replied;
  tally.completed += b.completed;
  tally.satisfactionSum += b.satisfactionSum;
  tally.satisfactionCount += b.satisfactionCount;
}

/**
 * The range's figures in total and for each source with at least one complaint in it (in
 * source-name order), from one pass over the range's buckets and one over each partly covered
 * year's delays: the same figures as `figuresInRange` for all sources and then each, which read
 * every delay of a partly covered year once per source (an enterprise's `reputation` asked for
 * both: 38 % of the reputation subgraph's busy time at bench:gateway's default scale, issue 17).
 */
export function figuresBySource(
  profile: readonly YearProfile[],
  range: { fromDay: number; toDay: number },
): { total: RangeFigures; bySource: Array<{ source: number; figures: RangeFigures }> } {
  const total = zeroCounts();
  const totalRuns: Float64Array[] = [];
  const counts = new Map<number, Counts>();
  const runs = new Map<number, Float64Array[]>();
  for (const year of profile) {
    const days = yearDays(year.year);
    if (days.toDay < range.fromDay || days.fromDay > range.toDay) continue;
    const buckets = year.buckets;
    const first = partitionPoint(0, buckets.length, (i) => buckets[i].day < range.fromDay);
    for (let i = first; i < buckets.length && buckets[i].day <= range.toDay; i++) {
      const b = buckets[i];
      let own = counts.get(b.source);
      if (!own) {
        own = zeroCounts();
        counts.set(b.source, own);
      }
      addBucket(total, b);
      addBucket(own, b);
    }
    const d = year.delays;
    if (d.replyMs.length === 0) continue;
    const whole = days.fromDay >= range.fromDay && days.toDay <= range.toDay;
    const kept: number[] = [];
    const keptBySource = new Map<number, number[]>();
    for (let i = 0; i < d.replyMs.length; i++) {
      if (!whole && (d.day[i] < range.fromDay || d.day[i] > range.toDay)) continue;
      if (!whole) kept.push(d.replyMs[i]);
      const own = keptBySource.get(d.source[i]);
      if (own) own.push(d.replyMs[i]);
      else keptBySource.set(d.source[i], [d.replyMs[i]]);
    }
    // The delays are sorted, so what is kept of them, in total or for one source, is a sorted run.
    if (whole) totalRuns.push(d.replyMs);
    else if (kept.length) totalRuns.push(Float64Array.from(kept));
    for (const [source, values] of keptBySource) {
      const own = runs.get(source);
      if (own) own.push(Float64Array.from(values));
      else runs.set(source, [Float64Array.from(values)]);
    }
  }
  const bySource = [...counts.keys()]
    .filter((source) => (counts.get(source)?.complaints ?? 0) > 0)
    .sort((a, b) => (sourceName(a) < sourceName(b) ? -1 : sourceName(a) > sourceName(b) ? 1 : 0))
    .map((source) => ({
      source,
      figures: { counts: counts.get(source) ?? zeroCounts(), ...medianOfRuns(runs.get(source) ?? []) },
    }));
  return { total: { counts: total, ...medianOfRuns(totalRuns) }, bySource };
}

/** Sources (by code) with at least one complaint in the range, in source-name order. */
export function sourcesInRange(profile: readonly YearProfile[], range: { fromDay: number; toDay: number }): number[] {
  const codes = new Set<number>();
  for (const year of profile)
    for (const b of year.buckets) if (b.day >= range.fromDay && b.day <= range.toDay) codes.add(b.source);
  return [...codes].sort((a, b) => (sourceName(a) < sourceName(b) ? -1 : sourceName(a) > sourceName(b) ? 1 : 0));
}

/** An enterprise's figures for every rolling window ending on CST day `today`, in REPUTATION_WINDOWS order. */
export function profileWindows(profile: readonly YearProfile[], today: number): RangeFigures[] {
  return REPUTATION_WINDOWS.map((window) => figuresInRange(profile, rollingWindow(window, today * DAY_MS)));
}

/**
 * The rolling windows ending on CST day `today` whose reply delays a change moves: those holding
 * the day of a delay that left without an equal one (same day, same delay) arriving, or arrived
 * without one leaving. A reply becoming a completion keeps its delay and moves no median.
 */
export function windowsWithMovedDelays(
  removed: readonly ListingContribution[],
  added: readonly ListingContribution[],
  today: number,
): ReputationWindow[] {
  const net = new Map<string, { day: number; n: number }>();
  const count = (c: ListingContribution, sign: 1 | -1) => {
    if (c.replyDelayMs === null) return;
    const key = `${c.day}:${c.replyDelayMs}`;
    const entry = net.get(key) ?? { day: c.day, n: 0 };
    entry.n += sign;
    net.set(key, entry);
  };
  for (const c of removed) count(c, -1);
  for (const c of added) count(c, 1);
  const days = [...net.values()].filter((entry) => entry.n !== 0).map((entry) => entry.day);
  return REPUTATION_WINDOWS.filter((window) => {
    const range = rollingWindow(window, today * DAY_MS);
    return days.some((day) => day >= range.fromDay && day <= range.toDay);
  });
}

/**
 * An enterprise's rolling windows (REPUTATION_WINDOWS order) after contributions left and
 * arrived, from the windows before: each window's counts move by the contributions filed inside
 * it, and its median stays unless its delays moved (windowsWithMovedDelays). Those windows are
 * recomputed from `profileAfter`, the whole profile after the change, which is needed only then:
 * a batch of new complaints reads one year of each enterprise instead of all of them.
 * Counts are sums of integers (and of ratings), so this equals profileWindows of the profile after.
 */
export function shiftWindows(
  before: readonly RangeFigures[],
  removed: readonly ListingContribution[],
  added: readonly ListingContribution[],
  today: number,
  profileAfter: readonly YearProfile[] | null,
): RangeFigures[] {
  const recompute = new Set(windowsWithMovedDelays(removed, added, today));
  return REPUTATION_WINDOWS.map((window, i) => {
    const range = rollingWindow(window, today * DAY_MS);
    if (recompute.has(window)) {
      if (!profileAfter) throw new Error(`the ${window} median moved: shiftWindows needs the profile after the change`);
      return figuresInRange(profileAfter, range);
    }
    let counts = before[i].counts;
    for (const [list, sign] of [
      [removed, -1],
      [added, 1],
    ] as const) {
      for (const c of list)
        if (c.day >= range.fromDay && c.day <= range.toDay) counts = addCounts(counts, countsOf(c, sign));
    }
    return { counts, median: before[i].median, sample: before[i].sample };
  });
}
