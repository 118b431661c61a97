import fc from 'fast-check';
import { wilsonLowerBound } from '../../../../subgraphs/reputation/domain/wilson.ts';

describe('Wilson lower bound', () => {
  test('matches published values: 3 of 3 is about 0.4385, 300 of 300 about 0.9874', () => {
    expect(wilsonLowerBound(3, 3)).toBeCloseTo(0.43849, 4);
    expect(wilsonLowerBound(300, 300)).toBeCloseTo(0.98737, 4);
    expect(wilsonLowerBound(50, 100)).toBeCloseTo(0.40383, 4);
  });

  test('zero trials give 0, not NaN', () => {
    expect(wilsonLowerBound(0, 0)).toBe(0);
  });

  test('is within [0, completion rate] for any sample', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.double({ min: 0, max: 1, noNaN: true }), (n, share) => {
        const k = Math.floor(share * n);
        const bound = wilsonLowerBound(k, n);
        return bound >= 0 && bound <= k / n;
      }),
    );
  });

  test('a bigger sample at the same rate never scores lower', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 2, max: 50 }), (n, factor) => {
        const k = Math.floor(n * 0.7);
        return wilsonLowerBound(k * factor, n * factor) >= wilsonLowerBound(k, n) - 1e-12;
      }),
    );
  });
});
