import type { RollupReader } from './rollups.ts';

/**
 * Wraps a rollup reader so that every read (each method call is a store round trip, or a constant
 * number of them) is recorded: the N+1 guard of the gateway benchmark uses it to show that a page
 * of Enterprise entities costs a constant number of store queries, whatever its size.
 */
export function countingRollups<Rollups extends RollupReader>(inner: Rollups): { rollups: Rollups; calls: string[] } {
  const calls: string[] = [];
  const rollups = new Proxy(inner, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.push(String(property));
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { rollups, calls };
}
