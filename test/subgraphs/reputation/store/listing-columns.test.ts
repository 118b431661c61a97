import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite } from '../../../../platform/store/sqlite.ts';
import { contributionOf } from '../../../../subgraphs/reputation/domain/statistics.ts';
import { ListingColumns, scanListings } from '../../../../subgraphs/reputation/store/listing-columns.ts';
import { createSqliteListingRepository } from '../../../../subgraphs/reputation/store/listings-sqlite.ts';
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

describe('reading the listings table', () => {
  test('reading the table shard by shard gives every enterprise to exactly one shard, with the contributions and names of its records', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'listing-columns-'));
    const db = openSqlite(join(dir, 'listings.db'));
    try {
      // Edge cases beside random ones: a filing just before and just after CST midnight, before 1970,
      // a negative delay (clamped), an out-of-range rating, and a completion time without the status.
      const records = randomListings(8, 600, { asOf: AS_OF, enterprises: 30 });
      const midnight = Date.parse('2026-11-20T16:00:00Z');
      records.push(
        { ...records[0], externalId: 'edge-1', createdAt: midnight - 1, repliedAt: midnight - 5000, satisfaction: 7 },
        { ...records[0], externalId: 'edge-2', createdAt: midnight, status: 'CLOSED', completedAt: midnight + 1, repliedAt: null, satisfaction: 4.5 },
        { ...records[0], externalId: 'edge-3', createdAt: Date.parse('1969-12-31T15:59:59.999Z'), status: 'REPLIED', repliedAt: null, completedAt: null },
      );
      await createSqliteListingRepository(db).upsertBatch(records);
      const expected = new Map<string, unknown[]>();
      const byKey = ListingColumns.from(records);
      for (const { enterpriseId, rows } of byKey.groupByEnterprise()) {
        expected.set(enterpriseId, [...rows].map((i) => byKey.contribution(i, enterpriseId)).sort(order));
      }
      const seen = new Map<string, unknown[]>();
      for (let shard = 0; shard < 3; shard++) {
        const columns = scanListings(db, undefined, { shard, shards: 3 });
        for (const { enterpriseId, rows } of columns.groupByEnterprise()) {
          expect(seen.has(enterpriseId)).toBe(false);
          seen.set(enterpriseId, [...rows].map((i) => columns.contribution(i, enterpriseId)).sort(order));
          expect(columns.namesOf(rows)).toEqual(byKey.namesOf(byKey.groupByEnterprise().find((g) => g.enterpriseId === enterpriseId)!.rows));
        }
      }
      expect(seen).toEqual(expected);
      expect(scanListings(db).length).toBe(records.length);
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

function order(a: unknown, b: unknown): number {
  const x = JSON.stringify(a);
  const y = JSON.stringify(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
