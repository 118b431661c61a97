/**
 * How many of an enterprise's listings carry each published name or industry, stored in its
 * summary row as a JSON array of [value, count] pairs sorted by value (never an object: keys that
 * look like integers would be reordered). One encoding for the incremental path and the rebuild,
 * so both write the same text.
 */
export type ValueCounts = Map<string, number>;

export function encodeCounts(counts: Iterable<[string, number]>): string {
  return JSON.stringify([...counts].filter(([, n]) => n > 0).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function decodeCounts(json: string): ValueCounts {
  const pairs: unknown = JSON.parse(json);
  if (
    !Array.isArray(pairs) ||
    !pairs.every((p) => Array.isArray(p) && typeof p[0] === 'string' && Number.isInteger(p[1]))
  ) {
    throw new Error(`corrupt enterprise counts: ${json.slice(0, 80)}`);
  }
  return new Map(pairs as Array<[string, number]>);
}

/** The most frequent value, ties to the smallest string; null when there is none. */
export function topOf(counts: ValueCounts): string | null {
  let best: string | null = null;
  let bestCount = 0;
  for (const [key, count] of counts) {
    if (count > bestCount || (count === bestCount && best !== null && key < best)) {
      best = key;
      bestCount = count;
    }
  }
  return best;
}
