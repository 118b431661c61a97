import fc from 'fast-check';
import {
  assignPositions,
  competitionRank,
  decodeCursor,
  descending,
  encodeCursor,
} from '../../../../subgraphs/reputation/domain/rankings.ts';

describe('rankings', () => {
  test('ties share a position and the next position skips: 1224', () => {
    const values = [0.9, 0.8, 0.8, 0.7];
    expect(values.map((v) => competitionRank(values, v, true).position)).toEqual([1, 2, 2, 4]);
    expect(competitionRank(values, 0.8, true).tie).toBe(true);
    expect(competitionRank(values, 0.9, true)).toEqual({ position: 1, outOf: 4, tie: false });
  });

  test('positions assigned page by page equal the competition rank of the whole list', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 40 }),
        fc.integer({ min: 1, max: 7 }),
        (raw, pageSize) => {
          const sorted = [...raw].sort((a, b) => b - a);
          let previous: { value: number; position: number } | null = null;
          const positions: number[] = [];
          for (let offset = 0; offset < sorted.length; offset += pageSize) {
            const page: Array<{ row: number; position: number }> = assignPositions(
              sorted.slice(offset, offset + pageSize),
              (v) => v,
              offset,
              previous,
            );
            positions.push(...page.map((p) => p.position));
            const last = page[page.length - 1];
            previous = { value: last.row, position: last.position };
          }
          expect(positions).toEqual(sorted.map((v) => competitionRank(sorted, v, true).position));
        },
      ),
    );
  });

  test('lower is better for complaints and median reply hours, higher for the rest', () => {
    expect(descending('COMPLAINTS', 'BEST_FIRST')).toBe(false);
    expect(descending('MEDIAN_REPLY_HOURS', 'BEST_FIRST')).toBe(false);
    expect(descending('WILSON_SCORE', 'BEST_FIRST')).toBe(true);
    expect(descending('WILSON_SCORE', 'WORST_FIRST')).toBe(false);
  });

  test('cursors round-trip and foreign strings decode to null', () => {
    expect(decodeCursor(encodeCursor(40))).toBe(40);
    expect(decodeCursor('not-a-cursor')).toBeNull();
    expect(decodeCursor(Buffer.from('r1:-3').toString('base64url'))).toBeNull();
  });
});
