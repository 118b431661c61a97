import fc from 'fast-check';
import { RankingIndex, type RankableRow } from '../../../../subgraphs/reputation/domain/ranking-index.ts';
import {
  competitionRank,
  descending,
  metricValue,
  RankingMetric,
  type RankingOrder,
} from '../../../../subgraphs/reputation/domain/rankings.ts';
import { computeStats } from '../../../../subgraphs/reputation/domain/statistics.ts';
import type { ReputationWindow } from '../../../../subgraphs/reputation/domain/windows.ts';

const WINDOWS: ReputationWindow[] = ['LAST_30_DAYS', 'ALL_TIME'];

/** Small counts so equal values (ties) are common in every metric. */
const rowArb = (enterpriseId: string, window: ReputationWindow) =>
  fc
    .record({
      complaints: fc.integer({ min: 0, max: 8 }),
      completed: fc.nat(),
      replied: fc.nat(),
      median: fc.option(fc.integer({ min: 1, max: 4 }), { nil: null }),
      industry: fc.constantFrom('FOOD', 'TELECOM', null),
    })
    .map(({ complaints, completed, replied, median, industry }): RankableRow => {
      const done = complaints ? completed % (complaints + 1) : 0;
      const stats = computeStats(
        {
          complaints,
          replied: Math.max(done, complaints ? replied % (complaints + 1) : 0),
          completed: done,
          satisfactionSum: 0,
          satisfactionCount: 0,
        },
        median,
        median === null ? 0 : 1,
      );
      return { enterpriseId, window, industry, name: enterpriseId, stats };
    });

const enterpriseArb = fc.integer({ min: 0, max: 30 }).map((n) => `ent_${String(n).padStart(2, '0')}`);
const stateArb = fc.array(
  fc
    .tuple(enterpriseArb, fc.boolean())
    .chain(([id, gone]) =>
      gone
        ? fc.constant({ id, rows: [] as RankableRow[] })
        : fc.tuple(...WINDOWS.map((w) => rowArb(id, w))).map((rows) => ({ id, rows })),
    ),
  { maxLength: 60 },
);

/** Every qualifying row in listing order, sorted the way SQL would: value, then enterprise id. */
function oracle(
  rows: RankableRow[],
  window: ReputationWindow,
  industry: string,
  metric: RankingMetric,
  order: RankingOrder,
  minComplaints: number,
) {
  const desc = descending(metric, order);
  const qualifying = rows
    .filter(
      (r) =>
        r.window === window &&
        r.industry === industry &&
        r.stats.complaints >= minComplaints &&
        metricValue(r.stats, metric) !== null,
    )
    .map((r) => ({ id: r.enterpriseId, value: metricValue(r.stats, metric)! }))
    .sort((a, b) => (desc ? b.value - a.value : a.value - b.value) || (a.id < b.id ? -1 : 1));
  const values = qualifying.map((q) => q.value);
  return qualifying.map((q) => ({ id: q.id, ...competitionRank(values, q.value, desc) }));
}

describe('in-memory ranking index', () => {
  test('after any sequence of enterprise updates, pages and ranks equal a sort of the current rows', () => {
    fc.assert(
      fc.property(
        stateArb,
        fc.constantFrom(...Object.values(RankingMetric)),
        fc.constantFrom<RankingOrder>('BEST_FIRST', 'WORST_FIRST'),
        fc.integer({ min: 0, max: 4 }),
        (updates, metric, order, minComplaints) => {
          const index = new RankingIndex();
          const current = new Map<string, RankableRow[]>();
          for (const { id, rows } of updates) {
            index.replaceEnterprise(id, rows);
            if (rows.length) current.set(id, rows);
            else current.delete(id);
          }
          const all = [...current.values()].flat();
          for (const window of WINDOWS) {
            const expected = oracle(all, window, 'FOOD', metric, order, minComplaints);
            const seen: Array<{ id: string; position: number; outOf: number; tie: boolean }> = [];
            for (let offset = 0; offset <= expected.length; offset += 4) {
              const page = index.page({ industry: 'FOOD', window, metric, order, minComplaints, offset, limit: 4 });
              expect(page.total).toBe(expected.length);
              for (const r of page.rows)
                seen.push({ id: r.row.enterpriseId, position: r.position, outOf: page.total, tie: r.tie });
            }
            expect(seen).toEqual(expected);
            if (order === 'BEST_FIRST') {
              for (const e of expected)
                expect(index.rank(e.id, window, metric, minComplaints)).toEqual({
                  position: e.position,
                  outOf: e.outOf,
                  tie: e.tie,
                });
            }
          }
          // The same end state reached by one load.
          const reloaded = new RankingIndex();
          reloaded.load(all);
          for (const window of WINDOWS) {
            const request = { industry: 'FOOD', window, metric, order, minComplaints, offset: 0, limit: 100 };
            expect(reloaded.page(request)).toEqual(index.page(request));
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  test('an enterprise without an industry, below the minimum or without a value for the metric is not ranked', () => {
    const index = new RankingIndex();
    const stats = computeStats(
      { complaints: 5, replied: 5, completed: 5, satisfactionSum: 0, satisfactionCount: 0 },
      null,
      0,
    );
    index.replaceEnterprise('a', [{ enterpriseId: 'a', window: 'ALL_TIME', industry: null, name: 'a', stats }]);
    index.replaceEnterprise('b', [{ enterpriseId: 'b', window: 'ALL_TIME', industry: 'FOOD', name: 'b', stats }]);
    expect(index.rank('a', 'ALL_TIME', 'WILSON_SCORE', 1)).toBeNull();
    expect(index.rank('b', 'ALL_TIME', 'WILSON_SCORE', 6)).toBeNull();
    expect(index.rank('b', 'ALL_TIME', 'MEDIAN_REPLY_HOURS', 1)).toBeNull();
    expect(index.rank('b', 'ALL_TIME', 'WILSON_SCORE', 5)).toEqual({ position: 1, outOf: 1, tie: false });
  });
});
