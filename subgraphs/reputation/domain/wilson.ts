/** The two-sided 95% normal quantile used by the Wilson interval (stated in every methodology). */
export const WILSON_Z = 1.959964;

export const WILSON_FORMULA =
  'Wilson score lower bound (95%, z = 1.959964) of the completion rate: ' +
  '(p + z²/2n − z·√(p(1−p)/n + z²/4n²)) / (1 + z²/n), where n = complaints and p = completed / n; 0 when n = 0.';

/**
 * The lower bound of the Wilson score interval for `successes` out of `trials`. It rewards a high
 * rate only as far as the sample supports it: 3 out of 3 scores about 0.44, 300 out of 300 about
 * 0.99. Zero trials give 0, never NaN.
 */
export function wilsonLowerBound(successes: number, trials: number, z = WILSON_Z): number {
  if (trials <= 0) return 0;
  const p = Math.min(Math.max(successes / trials, 0), 1);
  const z2 = z * z;
  const centre = p + z2 / (2 * trials);
  const margin = z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
  const bound = (centre - margin) / (1 + z2 / trials);
  // Floating point can leave a hair below 0 or above p; the bound is by definition in [0, p].
  return Math.min(Math.max(bound, 0), p);
}
