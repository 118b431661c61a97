import fc from 'fast-check';
import { backoffDelayMs } from '../../platform/backoff.ts';

const policy = { baseDelayMs: 100, maxDelayMs: 1000 };

test('the delay doubles from one retry to the next until the cap', () => {
  expect([0, 1, 2, 3, 4, 10].map((retry) => backoffDelayMs(policy, retry, 0.999999999))).toEqual([
    100, 200, 400, 800, 1000, 1000,
  ]);
});

test('with no jitter drawn the delay is half the exponential', () => {
  expect([0, 2, 10].map((retry) => backoffDelayMs(policy, retry, 0))).toEqual([50, 200, 500]);
});

test('each delay lies between half and all of the capped exponential, in whole milliseconds', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 60 }), fc.double({ min: 0, max: 0.999999, noNaN: true }), (retry, random) => {
      const full = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
      const delay = backoffDelayMs(policy, retry, random);
      expect(Number.isInteger(delay)).toBe(true);
      expect(delay).toBeGreaterThanOrEqual(full / 2);
      expect(delay).toBeLessThanOrEqual(full);
    }),
  );
});
