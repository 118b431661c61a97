import {
  decodeCounts,
  encodeCounts,
  topOf,
} from '../../../../subgraphs/reputation/store/rollups-sqlite-enterprise-counts.ts';

describe('enterprise name and industry counts', () => {
  test('encoding sorts by value, drops counts that reached zero, and keeps integer-like names in place', () => {
    const json = encodeCounts(
      new Map([
        ['b', 2],
        ['123', 1],
        ['a', 0],
        ['c', -1],
        ['A', 3],
      ]),
    );
    expect(json).toBe('[["123",1],["A",3],["b",2]]');
    expect(decodeCounts(json)).toEqual(
      new Map([
        ['123', 1],
        ['A', 3],
        ['b', 2],
      ]),
    );
  });

  test('a corrupt counts column is reported as corrupt, never misread', () => {
    for (const bad of ['{"a":1}', '[["a","1"]]', '[[1,1]]', '[["a",1.5]]', 'not json'])
      expect(() => decodeCounts(bad)).toThrow();
  });

  test('the top value is the most frequent, ties to the smallest string, null for none', () => {
    expect(
      topOf(
        new Map([
          ['b', 2],
          ['a', 2],
          ['c', 1],
        ]),
      ),
    ).toBe('a');
    expect(
      topOf(
        new Map([
          ['z', 3],
          ['a', 2],
        ]),
      ),
    ).toBe('z');
    expect(topOf(new Map())).toBeNull();
  });
});
