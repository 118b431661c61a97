import fc from 'fast-check';
import { applyToYear, profileWindows } from '../../../../subgraphs/reputation/domain/profile.ts';
import type { ListingContribution } from '../../../../subgraphs/reputation/domain/statistics.ts';
import { yearDays } from '../../../../subgraphs/reputation/domain/windows.ts';
import {
  decodeWindows,
  decodeYear,
  encodeWindows,
  encodeYear,
} from '../../../../subgraphs/reputation/store/rollups-sqlite-profile-codec.ts';

const YEAR = 2026;
const contributionArb = fc
  .record({
    offset: fc.integer({ min: 0, max: 364 }),
    source: fc.constantFrom('blackcat', '12315', 'jutousu', 'weiquan' as const),
    replied: fc.boolean(),
    completed: fc.boolean(),
    delayMs: fc.option(fc.integer({ min: 0, max: 2 ** 40 }), { nil: null }),
    satisfaction: fc.option(fc.double({ min: 1, max: 5, noNaN: true }), { nil: null }),
  })
  .map(
    (c): ListingContribution => ({
      enterpriseId: 'ent_x',
      source: c.source as ListingContribution['source'],
      externalId: '',
      day: yearDays(YEAR).fromDay + c.offset,
      replied: c.replied,
      completed: c.completed,
      replyDelayMs: c.delayMs,
      satisfaction: c.satisfaction,
    }),
  );

describe('statistics profile codec', () => {
  test('a year round-trips through its blob exactly: counts, fractional ratings and millisecond delays', () => {
    fc.assert(
      fc.property(fc.array(contributionArb, { minLength: 1, maxLength: 80 }), (contributions) => {
        const year = applyToYear(YEAR, null, [], contributions)!;
        const decoded = decodeYear(encodeYear(year.buckets, year.delays));
        expect(decoded.buckets).toEqual(year.buckets);
        expect([...decoded.delays.replyMs]).toEqual([...year.delays.replyMs]);
        expect([...decoded.delays.day]).toEqual([...year.delays.day]);
        expect([...decoded.delays.source]).toEqual([...year.delays.source]);
      }),
      { numRuns: 200 },
    );
  });

  test('a blob handed over at an unaligned offset decodes the same as an aligned one', () => {
    const year = applyToYear(YEAR, null, [], fc.sample(contributionArb, 30))!;
    const bytes = encodeYear(year.buckets, year.delays);
    const shifted = new Uint8Array(bytes.byteLength + 3);
    shifted.set(bytes, 3);
    expect(decodeYear(shifted.subarray(3))).toEqual(decodeYear(bytes));
  });

  test('a truncated or padded blob is reported as corrupt, never misread', () => {
    const year = applyToYear(YEAR, null, [], fc.sample(contributionArb, 5))!;
    const bytes = encodeYear(year.buckets, year.delays);
    expect(() => decodeYear(bytes.subarray(0, bytes.byteLength - 1))).toThrow(/corrupt statistics blob/);
    expect(() => decodeYear(new Uint8Array([...bytes, 0]))).toThrow(/corrupt statistics blob/);
    expect(() => decodeYear(new Uint8Array(3))).toThrow(/corrupt statistics blob/);
  });

  test('windows round-trip through their blob, a missing median included; a blob of another size is refused', () => {
    fc.assert(
      fc.property(fc.array(contributionArb, { maxLength: 80 }), (contributions) => {
        const year = applyToYear(YEAR, null, [], contributions);
        const windows = profileWindows(year ? [year] : [], yearDays(YEAR).toDay);
        expect(decodeWindows(encodeWindows(windows))).toEqual(windows);
      }),
    );
    const empty = profileWindows([], yearDays(YEAR).toDay);
    expect(decodeWindows(encodeWindows(empty))[0].median).toBeNull();
    expect(() => decodeWindows(new Uint8Array(10))).toThrow(/corrupt statistics windows: 10 bytes/);
  });
});
