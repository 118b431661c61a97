import fc from 'fast-check';
import type { ListingRecord } from '../../../../subgraphs/reputation/domain/listing.ts';
import {
  addCounts,
  computeStats,
  computeTrend,
  contributionOf,
  countsOf,
  exactMedian,
  medianPositions,
  zeroCounts,
} from '../../../../subgraphs/reputation/domain/statistics.ts';

const HOUR = 3600_000;
const base: ListingRecord = {
  source: 'blackcat',
  externalId: '1',
  url: null,
  enterpriseName: '某公司',
  enterpriseId: 'ent1_x',
  enterpriseBasis: 'NAME',
  industry: 'ECOMMERCE',
  title: null,
  issue: null,
  demand: null,
  amount: null,
  status: 'PENDING',
  rawStatus: '3',
  createdAt: Date.parse('2026-11-01T02:00:00Z'),
  repliedAt: null,
  completedAt: null,
  satisfaction: null,
  rawHash: 'h',
};

const listingArb = fc
  .record({
    status: fc.constantFrom('PENDING', 'IN_PROGRESS', 'REPLIED', 'COMPLETED', 'CLOSED', 'UNKNOWN' as const),
    delayHours: fc.option(fc.integer({ min: -5, max: 500 }), { nil: null }),
    completed: fc.boolean(),
    satisfaction: fc.option(fc.integer({ min: 0, max: 6 }), { nil: null }),
  })
  .map(
    ({ status, delayHours, completed, satisfaction }): ListingRecord => ({
      ...base,
      status: status as ListingRecord['status'],
      repliedAt: delayHours === null ? null : base.createdAt + delayHours * HOUR,
      completedAt: completed ? base.createdAt + 600 * HOUR : null,
      satisfaction,
    }),
  );

/** The oracle: sort a copy numerically and take the middle. */
function sortMedian(values: number[]): number | null {
  const sorted = [...values].sort((a, b) => a - b);
  if (!sorted.length) return null;
  const m = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
}

describe('reputation statistics', () => {
  test('rates are in [0, 1], Wilson ≤ completion rate, the median equals a sorted median, for any listings', () => {
    fc.assert(
      fc.property(fc.array(listingArb, { maxLength: 60 }), (records) => {
        const contributions = records.map(contributionOf);
        const counts = contributions.reduce((acc, c) => addCounts(acc, countsOf(c)), zeroCounts());
        const delays = contributions.flatMap((c) => (c.replyDelayMs === null ? [] : [c.replyDelayMs]));
        const sorted = [...delays].sort((a, b) => a - b);
        const stats = computeStats(counts, exactMedian(sorted), sorted.length);
        const oracleMedian = sortMedian(delays);
        expect(stats.replyRate).toBeGreaterThanOrEqual(0);
        expect(stats.replyRate).toBeLessThanOrEqual(1);
        expect(stats.completionRate).toBeGreaterThanOrEqual(0);
        expect(stats.completionRate).toBeLessThanOrEqual(1);
        expect(stats.completed).toBeLessThanOrEqual(stats.replied);
        expect(stats.wilsonScore).toBeLessThanOrEqual(stats.completionRate);
        expect(stats.medianReplyHours).toBe(oracleMedian === null ? null : oracleMedian / HOUR);
        expect(Object.values(stats).some((v) => typeof v === 'number' && Number.isNaN(v))).toBe(false);
        if (stats.satisfactionMean !== null) {
          expect(stats.satisfactionMean).toBeGreaterThanOrEqual(1);
          expect(stats.satisfactionMean).toBeLessThanOrEqual(5);
        }
      }),
    );
  });

  test('the median of numbers is numeric, not lexicographic (9 < 10 < 100)', () => {
    expect(exactMedian([9, 10, 100])).toBe(10);
    expect(exactMedian([1, 2, 3, 4])).toBe(2.5);
    expect(exactMedian([])).toBeNull();
    expect(medianPositions(5)).toEqual([2]);
    expect(medianPositions(4)).toEqual([1, 2]);
  });

  test('a completed listing counts as replied; a closed one counts as neither', () => {
    expect(contributionOf({ ...base, status: 'COMPLETED' })).toMatchObject({ replied: true, completed: true });
    expect(contributionOf({ ...base, status: 'CLOSED' })).toMatchObject({ replied: false, completed: false });
    expect(contributionOf({ ...base, status: 'IN_PROGRESS', repliedAt: base.createdAt + HOUR })).toMatchObject({
      replied: true,
      replyDelayMs: HOUR,
    });
  });

  test('a reply time before the filing time counts as a zero delay, and out-of-range ratings are ignored', () => {
    expect(contributionOf({ ...base, repliedAt: base.createdAt - HOUR }).replyDelayMs).toBe(0);
    expect(contributionOf({ ...base, satisfaction: 9 }).satisfaction).toBeNull();
  });

  test('a listing counts on its CST filing day', () => {
    // 2026-10-31T17:00Z is 01:00 on 2026-11-01 in Beijing.
    const day = contributionOf({ ...base, createdAt: Date.parse('2026-10-31T17:00:00Z') }).day;
    expect(new Date(day * 86_400_000).toISOString().slice(0, 10)).toBe('2026-11-01');
  });

  test('empty data gives zeros and sample size 0', () => {
    expect(computeStats(zeroCounts(), null, 0)).toEqual({
      complaints: 0,
      replied: 0,
      completed: 0,
      replyRate: 0,
      completionRate: 0,
      wilsonScore: 0,
      medianReplyHours: null,
      replyDelaySampleSize: 0,
      satisfactionMean: null,
      satisfactionCount: 0,
    });
  });

  test('trend compares with the previous window and says when there is nothing to compare with', () => {
    const now = computeStats(
      { complaints: 100, replied: 90, completed: 80, satisfactionSum: 0, satisfactionCount: 0 },
      null,
      0,
    );
    const before = computeStats(
      { complaints: 50, replied: 40, completed: 20, satisfactionSum: 0, satisfactionCount: 0 },
      null,
      0,
    );
    const trend = computeTrend(now, before);
    expect(trend).toMatchObject({
      previousComplaints: 50,
      complaintsDelta: 50,
      complaintsChangeRatio: 1,
      direction: 'IMPROVING',
    });
    expect(trend.completionRateDelta).toBeCloseTo(0.4);
    expect(computeTrend(now, computeStats(zeroCounts(), null, 0))).toMatchObject({
      complaintsChangeRatio: null,
      direction: 'INSUFFICIENT_DATA',
    });
  });
});
