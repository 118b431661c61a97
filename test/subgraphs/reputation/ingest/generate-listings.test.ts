import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite } from '../../../../platform/store/sqlite.ts';
import { generateListings } from '../../../../scripts/generate-listings.ts';
import type { ListingRecord } from '../../../../subgraphs/reputation/domain/listing.ts';
import { createSqliteListingRepository } from '../../../../subgraphs/reputation/store/listings-sqlite.ts';

const UNTIL = Date.UTC(2026, 10, 1);
const all = (seed = 1, records = 20_000): ListingRecord[] =>
  [...generateListings({ records, enterprises: 2_000, seed, until: UNTIL }, 5_000)].flat();

test('the generator is deterministic for a seed and yields the requested count in batches of that size', () => {
  const batches = [...generateListings({ records: 12_000, enterprises: 100, seed: 3, until: UNTIL }, 5_000)];
  expect(batches.map((b) => b.length)).toEqual([5_000, 5_000, 2_000]);
  const small = (seed: number) =>
    [...generateListings({ records: 500, enterprises: 100, seed, until: UNTIL }, 500)].flat();
  expect(small(7)).toEqual(small(7));
  expect(small(7)).not.toEqual(small(8));
});

test('enterprises are skewed, statuses follow a realistic mix, and reply and completion delays are plausible', () => {
  const records = all();
  const perEnterprise = new Map<string, number>();
  for (const r of records) perEnterprise.set(r.enterpriseId, (perEnterprise.get(r.enterpriseId) ?? 0) + 1);
  const counts = [...perEnterprise.values()].sort((a, b) => b - a);
  // Zipf: the largest enterprise holds far more than an even share, and most hold few.
  expect(counts[0]).toBeGreaterThan(50 * (records.length / 2_000));
  expect(counts[Math.floor(counts.length / 2)]).toBeLessThan(records.length / 2_000);
  const share = (status: string) => records.filter((r) => r.status === status).length / records.length;
  expect(share('COMPLETED')).toBeGreaterThan(0.35);
  expect(share('COMPLETED')).toBeLessThan(0.45);
  for (const status of ['PENDING', 'IN_PROGRESS', 'REPLIED', 'CLOSED']) expect(share(status)).toBeGreaterThan(0.05);
  expect(new Set(records.map((r) => r.source))).toEqual(new Set(['blackcat', '12315', 'jutousu', 'weiquan']));
  const implausible = records.filter(
    (r) =>
      (r.repliedAt !== null && r.repliedAt < r.createdAt) ||
      (r.completedAt !== null && r.completedAt < (r.repliedAt ?? r.createdAt)) ||
      r.createdAt > UNTIL ||
      ((r.status === 'PENDING' || r.status === 'IN_PROGRESS') && r.repliedAt !== null) ||
      (r.status !== 'COMPLETED' && r.completedAt !== null),
  );
  expect(implausible).toEqual([]);
  const delays = records
    .filter((r) => r.repliedAt !== null)
    .map((r) => (r.repliedAt! - r.createdAt) / 3600_000)
    .sort((a, b) => a - b);
  const median = delays[Math.floor(delays.length / 2)];
  expect(median).toBeGreaterThan(20);
  expect(median).toBeLessThan(40);
});

test('generated records go straight into the store, and writing them again changes nothing', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'generate-'));
  const db = openSqlite(join(dir, 'reputation.db'));
  try {
    const listings = createSqliteListingRepository(db);
    for (const batch of generateListings({ records: 3_000, enterprises: 50, seed: 1, until: UNTIL }, 1_000))
      await listings.upsertBatch(batch);
    expect(await listings.count()).toBe(3_000);
    let again = 0;
    for (const batch of generateListings({ records: 3_000, enterprises: 50, seed: 1, until: UNTIL }, 1_000))
      again += (await listings.upsertBatch(batch)).unchanged;
    expect(again).toBe(3_000);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
