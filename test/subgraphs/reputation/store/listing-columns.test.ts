import { contributionOf } from '../../../../subgraphs/reputation/domain/statistics.ts';
import { ListingColumns } from '../../../../subgraphs/reputation/store/listing-columns.ts';
import { randomListings } from './rollups-fixtures.ts';

const AS_OF = Date.parse('2026-11-22T04:00:00Z');

describe('listing columns (the rebuild reader)', () => {
  test('grouping by enterprise keeps every listing once, under its enterprise, enterprises in id order', () => {
    const records = randomListings(5, 3000, { asOf: AS_OF, enterprises: 40 });
    const columns = ListingColumns.from(records);
    const groups = columns.groupByEnterprise();
    const ids = groups.map((g) => g.enterpriseId);
    expect(ids).toEqual([...new Set(records.map((r) => r.enterpriseId))].sort());
    expect(groups.reduce((n, g) => n + g.rows.length, 0)).toBe(records.length);
    for (const { enterpriseId, rows } of groups) {
      for (const i of rows) expect(records[i].enterpriseId).toBe(enterpriseId);
    }
  });

  test('each row yields the same contribution as the domain function, and names and industries tally per enterprise', () => {
    const records = randomListings(6, 500, { asOf: AS_OF, enterprises: 8 });
    const columns = ListingColumns.from(records);
    for (const { enterpriseId, rows } of columns.groupByEnterprise()) {
      for (const i of rows) expect(columns.contribution(i, enterpriseId)).toEqual({ ...contributionOf(records[i]), externalId: '' });
      const own = records.filter((r) => r.enterpriseId === enterpriseId);
      const names = new Map<string, number>();
      for (const r of own) names.set(r.enterpriseName, (names.get(r.enterpriseName) ?? 0) + 1);
      expect(columns.namesOf(rows)).toEqual(names);
      expect([...columns.industriesOf(rows).values()].reduce((a, b) => a + b, 0)).toBe(own.filter((r) => r.industry !== null).length);
    }
  });
});
