import fc from 'fast-check';
import type { ListingSource } from '../../../../subgraphs/reputation/domain/listing.ts';
import {
  applyToYear,
  figuresBySource,
  figuresInRange,
  kthSmallest,
  medianOfRuns,
  profileWindows,
  shiftWindows,
  sourceCode,
  sourcesInRange,
  windowsWithMovedDelays,
  type YearProfile,
} from '../../../../subgraphs/reputation/domain/profile.ts';
import { exactMedian, type ListingContribution } from '../../../../subgraphs/reputation/domain/statistics.ts';
import {
  REPUTATION_WINDOWS,
  rollingWindow,
  yearDays,
  yearOfDay,
} from '../../../../subgraphs/reputation/domain/windows.ts';

const DAY_MS = 86_400_000;
const TODAY = Math.floor(Date.parse('2026-11-22T00:00:00Z') / DAY_MS);
const sources: ListingSource[] = ['blackcat', '12315', 'jutousu', 'weiquan'];

const sortedRun = fc
  .array(fc.integer({ min: 0, max: 50 }), { maxLength: 40 })
  .map((values) => Float64Array.from(values.sort((a, b) => a - b)));

const contributionArb = fc
  .record({
    day: fc.integer({ min: TODAY - 900, max: TODAY + 2 }),
    source: fc.constantFrom(...sources),
    replied: fc.boolean(),
    completed: fc.boolean(),
    // Whole hours make equal delays (ties) common: the order statistics must survive them.
    delayHours: fc.option(fc.integer({ min: 0, max: 30 }), { nil: null }),
    satisfaction: fc.option(fc.integer({ min: 1, max: 5 }), { nil: null }),
  })
  .map(
    (c): ListingContribution => ({
      enterpriseId: 'ent_x',
      source: c.source,
      externalId: '',
      day: c.day,
      replied: c.replied || c.completed,
      completed: c.completed,
      replyDelayMs: c.delayHours === null ? null : c.delayHours * 3600_000,
      satisfaction: c.satisfaction,
    }),
  );

/** An enterprise's profile built the way a rebuild builds it: each year from scratch. */
function build(contributions: readonly ListingContribution[]): YearProfile[] {
  const years = [...new Set(contributions.map((c) => yearOfDay(c.day)))].sort((a, b) => a - b);
  return years.flatMap(
    (year) =>
      applyToYear(
        year,
        null,
        [],
        contributions.filter((c) => yearOfDay(c.day) === year),
      ) ?? [],
  );
}

/** The oracle: straight from the contributions, with a sort-based median. */
function oracle(
  contributions: readonly ListingContribution[],
  range: { fromDay: number; toDay: number },
  source?: ListingSource,
) {
  const counted = contributions.filter(
    (c) => c.day >= range.fromDay && c.day <= range.toDay && (source === undefined || c.source === source),
  );
  const delays = counted.flatMap((c) => (c.replyDelayMs === null ? [] : [c.replyDelayMs])).sort((a, b) => a - b);
  const ratings = counted.flatMap((c) => (c.satisfaction === null ? [] : [c.satisfaction]));
  return {
    counts: {
      complaints: counted.length,
      replied: counted.filter((c) => c.replied).length,
      completed: counted.filter((c) => c.completed).length,
      satisfactionSum: ratings.reduce((a, b) => a + b, 0),
      satisfactionCount: ratings.length,
    },
    median: exactMedian(delays),
    sample: delays.length,
  };
}

describe('statistics profile', () => {
  test('the k-th smallest of sorted runs equals the k-th of their merged sort, ties included', () => {
    fc.assert(
      fc.property(fc.array(sortedRun, { minLength: 1, maxLength: 6 }), fc.nat(), (runs, pick) => {
        const merged = runs.flatMap((run) => [...run]).sort((a, b) => a - b);
        fc.pre(merged.length > 0);
        const k = pick % merged.length;
        expect(kthSmallest(runs, k)).toBe(merged[k]);
      }),
      { numRuns: 500 },
    );
  });

  test('a rank outside the values is refused, not answered with a guess', () => {
    expect(() => kthSmallest([Float64Array.of(1, 2)], 2)).toThrow(RangeError);
  });

  test('the median of runs is the middle value, or the mean of the two middle values, and null for none', () => {
    expect(medianOfRuns([Float64Array.of(1, 5), Float64Array.of(3)])).toEqual({ median: 3, sample: 3 });
    expect(medianOfRuns([Float64Array.of(1, 5), Float64Array.of(2, 3)])).toEqual({ median: 2.5, sample: 4 });
    expect(medianOfRuns([new Float64Array(0)])).toEqual({ median: null, sample: 0 });
  });

  test('figures over any range equal the oracle computed from the contributions, for all sources and each', () => {
    fc.assert(
      fc.property(
        fc.array(contributionArb, { maxLength: 60 }),
        fc.integer({ min: 0, max: 900 }),
        fc.integer({ min: 0, max: 400 }),
        (contributions, back, length) => {
          const profile = build(contributions);
          const range = { fromDay: TODAY - back, toDay: TODAY - back + length };
          expect(figuresInRange(profile, range)).toEqual(oracle(contributions, range));
          for (const source of sources)
            expect(figuresInRange(profile, range, sourceCode(source))).toEqual(oracle(contributions, range, source));
        },
      ),
      { numRuns: 300 },
    );
  });

  test('figures by source in one pass equal the figures of the range and of each source in it', () => {
    fc.assert(
      fc.property(
        fc.array(contributionArb, { maxLength: 60 }),
        fc.integer({ min: 0, max: 900 }),
        fc.integer({ min: 0, max: 400 }),
        (contributions, back, length) => {
          const profile = build(contributions);
          const range = { fromDay: TODAY - back, toDay: TODAY - back + length };
          expect(figuresBySource(profile, range)).toEqual({
            total: figuresInRange(profile, range),
            bySource: sourcesInRange(profile, range).map((source) => ({
              source,
              figures: figuresInRange(profile, range, source),
            })),
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  test('removing and adding contributions gives the same year as building it from what remains', () => {
    fc.assert(
      fc.property(
        fc.array(contributionArb, { maxLength: 40 }),
        fc.array(contributionArb, { maxLength: 20 }),
        fc.array(fc.boolean(), { maxLength: 40 }),
        (initial, arriving, leaving) => {
          const year = yearOfDay(TODAY);
          const inYear = (list: ListingContribution[]) =>
            list.map((c) => ({ ...c, day: yearDays(year).fromDay + (c.day % 300) }));
          const start = inYear(initial);
          const removed = start.filter((_, i) => leaving[i]);
          const kept = start.filter((_, i) => !leaving[i]);
          const added = inYear(arriving);
          const incremental = applyToYear(year, applyToYear(year, null, [], start), removed, added);
          expect(incremental).toEqual(applyToYear(year, null, [], [...kept, ...added]));
        },
      ),
      { numRuns: 300 },
    );
  });

  test('a year whose last contribution leaves is gone (null), not kept as an empty row', () => {
    const [c] = fc.sample(contributionArb, 1);
    const year = yearOfDay(c.day);
    expect(applyToYear(year, applyToYear(year, null, [], [c]), [c], [])).toBeNull();
  });

  test('every rolling window of a profile equals the oracle; today bounds ALL_TIME (later days do not count)', () => {
    const contributions = fc.sample(contributionArb, 400);
    const windows = profileWindows(build(contributions), TODAY);
    expect(windows).toHaveLength(REPUTATION_WINDOWS.length);
    REPUTATION_WINDOWS.forEach((window, i) => {
      expect(windows[i]).toEqual(oracle(contributions, rollingWindow(window, TODAY * DAY_MS)));
    });
    expect(windows[REPUTATION_WINDOWS.indexOf('ALL_TIME')].counts.complaints).toBe(
      contributions.filter((c) => c.day <= TODAY).length,
    );
  });

  test('shifting the windows by what left and arrived equals recomputing them from the profile after', () => {
    // Some leave, some arrive, and some move on in place (same day and delay, newly completed or rated).
    const progressed = (c: ListingContribution, satisfaction: number | null): ListingContribution => ({
      ...c,
      replied: true,
      completed: true,
      satisfaction,
    });
    fc.assert(
      fc.property(
        fc.array(contributionArb, { maxLength: 60 }),
        fc.array(fc.constantFrom('keep', 'leave', 'progress'), { maxLength: 60 }),
        fc.array(contributionArb, { maxLength: 10 }),
        fc.option(fc.integer({ min: 1, max: 5 }), { nil: null }),
        (before, fates, arriving, rating) => {
          const removed: ListingContribution[] = [];
          const added: ListingContribution[] = [...arriving];
          const after: ListingContribution[] = [...arriving];
          before.forEach((c, i) => {
            const fate = fates[i] ?? 'keep';
            if (fate === 'keep') {
              after.push(c);
              return;
            }
            removed.push(c);
            if (fate === 'progress') {
              added.push(progressed(c, rating));
              after.push(progressed(c, rating));
            }
          });
          const profileAfter = build(after);
          const expected = profileWindows(profileAfter, TODAY);
          expect(shiftWindows(profileWindows(build(before), TODAY), removed, added, TODAY, profileAfter)).toEqual(
            expected,
          );
          // Without a moved delay the profile is not needed at all.
          if (windowsWithMovedDelays(removed, added, TODAY).length === 0) {
            expect(shiftWindows(profileWindows(build(before), TODAY), removed, added, TODAY, null)).toEqual(expected);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  test('a reply turning into a completion moves no median; a new reply moves the medians holding its day', () => {
    const replied: ListingContribution = {
      enterpriseId: 'ent_x',
      source: 'blackcat',
      externalId: 'a',
      day: TODAY - 40,
      replied: true,
      completed: false,
      replyDelayMs: 7_200_000,
      satisfaction: null,
    };
    expect(windowsWithMovedDelays([replied], [{ ...replied, completed: true, satisfaction: 5 }], TODAY)).toEqual([]);
    expect(windowsWithMovedDelays([], [{ ...replied, replyDelayMs: 3_600_000 }], TODAY)).toEqual([
      'LAST_90_DAYS',
      'LAST_365_DAYS',
      'ALL_TIME',
    ]);
    const pending = { ...replied, replied: false, replyDelayMs: null };
    expect(windowsWithMovedDelays([pending], [replied], TODAY)).toEqual(['LAST_90_DAYS', 'LAST_365_DAYS', 'ALL_TIME']);
    expect(() => shiftWindows(profileWindows([], TODAY), [pending], [replied], TODAY, null)).toThrow(
      /needs the profile/,
    );
  });

  test('an unknown source is refused with its name', () => {
    expect(() => sourceCode('nowhere' as ListingSource)).toThrow(/nowhere/);
  });
});
