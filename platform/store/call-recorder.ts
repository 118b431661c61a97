/**
 * Wraps a store so that every method call is recorded by name. Each method of our stores is one
 * store round trip (or a constant number of them), so the N+1 guards and the benchmarks count
 * calls to show that a page costs a constant number of queries, whatever its size.
 */
export function recordCalls<Store extends object>(inner: Store): { store: Store; calls: string[] } {
  const calls: string[] = [];
  const store = new Proxy(inner, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.push(String(property));
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { store, calls };
}
