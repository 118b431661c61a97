import type { CaseRepository } from './case-repository.ts';

/**
 * Wraps a repository so that every store round trip (each method call is one) is recorded: the
 * DataLoader test and the cases benchmark use it to show that a page costs a constant number of
 * queries, whatever its size.
 */
export function countingRepository(inner: CaseRepository): { repo: CaseRepository; calls: string[] } {
  const calls: string[] = [];
  const repo = new Proxy(inner, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.push(String(property));
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { repo, calls };
}
