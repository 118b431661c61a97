import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { openSqlite } from '../../../../platform/store/sqlite.ts';
import type { ListingRecord } from '../../../../subgraphs/reputation/domain/listing.ts';
import { contributionOf } from '../../../../subgraphs/reputation/domain/statistics.ts';
import {
  enterpriseRanges,
  groupListingsByEnterprise,
  listingsByEnterpriseQuery,
  readListingsByEnterprise,
  type EnterpriseListings,
} from '../../../../subgraphs/reputation/store/listings-sqlite-by-enterprise.ts';
import { createSqliteListingRepository } from '../../../../subgraphs/reputation/store/listings-sqlite.ts';
import { randomListings } from './rollups-fixtures.ts';

const AS_OF = Date.parse('2026-11-22T04:00:00Z');

/**
 * Random listings plus edge cases: either side of CST midnight, before 1970, a negative delay, an out-of-range rating,
 * a completion without the status.
 */
function listingsWithEdges(): ListingRecord[] {
  const records = randomListings(8, 600, { asOf: AS_OF, enterprises: 30 });
  const midnight = Date.parse('2026-11-20T16:00:00Z');
  records.push(
    { ...records[0], externalId: 'edge-1', createdAt: midnight - 1, repliedAt: midnight - 5000, satisfaction: 7 },
    {
      ...records[0],
      externalId: 'edge-2',
      createdAt: midnight,
      status: 'CLOSED',
      completedAt: midnight + 1,
      repliedAt: null,
      satisfaction: 4.5,
    },
    {
      ...records[0],
      externalId: 'edge-3',
      createdAt: Date.parse('1969-12-31T15:59:59.999Z'),
      status: 'REPLIED',
      repliedAt: null,
      completedAt: null,
      industry: null,
    },
  );
  return records;
}

/** Comparable form: contributions in a canonical order (the grouping promises no order within an enterprise). */
function canonical(groups: Iterable<EnterpriseListings>) {
  return [...groups].map((g) => ({
    enterpriseId: g.enterpriseId,
    contributions: g.contributions.map((c) => JSON.stringify(c)).sort(),
    names: Object.fromEntries([...g.names].sort()),
    industries: Object.fromEntries([...g.industries].sort()),
  }));
}

async function withListingsDb(records: ListingRecord[], run: (db: DatabaseSync) => void): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'listings-by-enterprise-'));
  const db = openSqlite(join(dir, 'listings.db'));
  try {
    await createSqliteListingRepository(db).upsertBatch(records);
    run(db);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('grouping listings by enterprise', () => {
  test('records are grouped once per enterprise, in id order, with contribution, name and industry tallies', () => {
    const records = listingsWithEdges();
    const groups = groupListingsByEnterprise(records);
    expect(groups.map((g) => g.enterpriseId)).toEqual([...new Set(records.map((r) => r.enterpriseId))].sort());
    for (const group of groups) {
      const own = records.filter((r) => r.enterpriseId === group.enterpriseId);
      expect(group.contributions).toEqual(own.map(contributionOf));
      const names = new Map<string, number>();
      for (const r of own) names.set(r.enterpriseName, (names.get(r.enterpriseName) ?? 0) + 1);
      expect(group.names).toEqual(names);
      expect([...group.industries.values()].reduce((a, b) => a + b, 0)).toBe(
        own.filter((r) => r.industry !== null).length,
      );
    }
  });

  test('streaming the listings table gives the same groups as grouping the records in memory', async () => {
    const records = listingsWithEdges();
    await withListingsDb(records, (db) => {
      const expected = canonical(groupListingsByEnterprise(records)).map((g) => ({
        ...g,
        contributions: g.contributions.map((c) => JSON.stringify({ ...JSON.parse(c), externalId: '' })).sort(),
      }));
      expect(canonical(readListingsByEnterprise(db))).toEqual(expected);
    });
  });

  test('hostile names and industries and awkward numbers come back from the JSON grouping unchanged', async () => {
    const base = randomListings(4, 1, { asOf: AS_OF })[0];
    const names = [
      '"quoted" \\ back\\slash',
      'line\nbreak\ttab',
      'emoji 😀 𠀀',
      'nul\u0000inside',
      '</script>{"a":1}',
      '12345',
    ];
    const records: ListingRecord[] = names.map((enterpriseName, i) => ({
      ...base,
      externalId: `hostile-${i}`,
      enterpriseName,
      industry: i % 2 ? enterpriseName : null,
      satisfaction: [4.123456789012345, 1, 5, 0.30000000000000004, 4.5, 2][i],
      createdAt: base.createdAt + i * 1_234_567_891,
      repliedAt: base.createdAt + i * 1_234_567_891 + 7,
    }));
    await withListingsDb(records, (db) => {
      const [group] = [...readListingsByEnterprise(db)];
      expect(group.names).toEqual(new Map(names.map((n) => [n, 1])));
      expect(group.industries).toEqual(new Map(names.filter((_, i) => i % 2).map((n) => [n, 1])));
      expect(group.contributions.map((c) => JSON.stringify(c)).sort()).toEqual(
        records.map((r) => JSON.stringify({ ...contributionOf(r), externalId: '' })).sort(),
      );
    });
  });

  test('the table is grouped along the covering index, without a sort or a table lookup', async () => {
    await withListingsDb(randomListings(3, 50, { asOf: AS_OF }), (db) => {
      const { sql, params } = listingsByEnterpriseQuery({ from: 'a', to: 'z' });
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>)
        .map((r) => r.detail)
        .join(' | ');
      expect(plan).toContain('COVERING INDEX listings_by_enterprise');
      expect(plan).not.toContain('TEMP B-TREE');
    });
  });
});

describe('splitting the enterprises into ranges for rebuild threads', () => {
  test.each([1, 2, 3, 7, 100])(
    '%i ranges give every enterprise to exactly one range and together read every listing',
    async (parts) => {
      const records = listingsWithEdges();
      await withListingsDb(records, (db) => {
        const ranges = enterpriseRanges(db, parts);
        expect(ranges.length).toBeGreaterThanOrEqual(1);
        expect(ranges.length).toBeLessThanOrEqual(parts);
        expect(ranges[0].from).toBeNull();
        expect(ranges.at(-1)!.to).toBeNull();
        const seen: string[] = [];
        let listings = 0;
        for (const range of ranges) {
          for (const group of readListingsByEnterprise(db, range)) {
            seen.push(group.enterpriseId);
            listings += group.contributions.length;
          }
        }
        expect(seen).toEqual([...new Set(records.map((r) => r.enterpriseId))].sort());
        expect(listings).toBe(records.length);
      });
    },
  );

  test('ranges hold about as many listings each when no enterprise dominates', async () => {
    const records = randomListings(9, 4000, { asOf: AS_OF, enterprises: 400 }).map((r, i) => ({
      ...r,
      enterpriseId: `ent_even_${i % 400}`,
    }));
    await withListingsDb(records, (db) => {
      const sizes = enterpriseRanges(db, 4).map((range) =>
        [...readListingsByEnterprise(db, range)].reduce((n, g) => n + g.contributions.length, 0),
      );
      expect(sizes).toHaveLength(4);
      for (const size of sizes) expect(size).toBeGreaterThan(800);
    });
  });

  test('an empty table is one open range', async () => {
    await withListingsDb([], (db) => {
      expect(enterpriseRanges(db, 4)).toEqual([{ from: null, to: null }]);
    });
  });
});
