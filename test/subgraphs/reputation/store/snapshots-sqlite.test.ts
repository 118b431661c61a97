import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { openSqlite } from '../../../../platform/store/sqlite.ts';
import { createSqliteListingRepository } from '../../../../subgraphs/reputation/store/listings-sqlite.ts';
import { demoListings, seedDemoReputation } from '../../../../subgraphs/reputation/store/rollups-seed.ts';
import { openSqliteRollupStore } from '../../../../subgraphs/reputation/store/rollups-open.ts';
import type { SqliteRollups } from '../../../../subgraphs/reputation/store/rollups-sqlite.ts';
import { createStatistics, type Statistics } from '../../../../subgraphs/reputation/subgraph.ts';
import { createSqliteSnapshotStore } from '../../../../subgraphs/reputation/store/snapshots-sqlite.ts';

const NOW = Date.parse('2026-11-22T04:00:00Z');
let dir: string;
let db: DatabaseSync;
let slice: Statistics<SqliteRollups>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'snapshots-'));
  db = openSqlite(join(dir, 'reputation.db'));
  await seedDemoReputation(db, { asOf: NOW });
  slice = createStatistics(openSqliteRollupStore(db), { now: () => NOW });
});
afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('red/black list snapshots', () => {
  test('a published snapshot stays as published after the data changes; re-publishing makes version 2', async () => {
    const v1 = await slice.service.publishRedBlackSnapshot('TELECOM', '2026-10', 2, 5, 'editor');
    // Every October telecom complaint is now completed: the live list changes, the snapshot must not.
    const listings = createSqliteListingRepository(db);
    const october = demoListings(NOW).filter(
      (r) =>
        r.industry === 'TELECOM' &&
        r.createdAt >= Date.parse('2026-09-30T16:00:00Z') &&
        r.createdAt < Date.parse('2026-10-31T16:00:00Z'),
    );
    await listings.upsertBatch(
      october.map((r) => ({
        ...r,
        status: 'COMPLETED',
        completedAt: r.createdAt + 3600_000,
        rawHash: `${r.rawHash}-done`,
      })),
      (c) => slice.rollups.applyChanges(c),
    );
    const live = await slice.service.redBlackList('TELECOM', '2026-10', 2, 5);
    expect(live.red[0].stats.completionRate).toBe(1);
    expect(await slice.service.snapshot(v1.id, 1)).toEqual(v1);
    const v2 = await slice.service.publishRedBlackSnapshot('TELECOM', '2026-10', 2, 5, 'editor');
    expect(v2.version).toBe(2);
    expect(v2.contentHash).not.toBe(v1.contentHash);
    expect(await slice.service.snapshot(v1.id)).toEqual(v2);
    expect(await slice.service.snapshot(v1.id, 1)).toEqual(v1);
  });

  test('the store itself refuses to update or delete a snapshot', async () => {
    await slice.service.publishRedBlackSnapshot('FOOD', '2026-09', 3, 5, 'editor');
    expect(() => db.exec("UPDATE rep_snapshots SET content = '{}' WHERE id = 'rbl-FOOD-2026-09'")).toThrow(/immutable/);
    expect(() => db.exec("DELETE FROM rep_snapshots WHERE id = 'rbl-FOOD-2026-09'")).toThrow(/immutable/);
    expect((await slice.service.snapshot('rbl-FOOD-2026-09'))!.version).toBe(1);
  });

  test('the month-end job publishes the closed month once per industry and is idempotent', async () => {
    const first = await slice.service.snapshotClosedMonth(['ECOMMERCE', 'GAMES'], 3, 5);
    expect(first.map((s) => [s.id, s.version, s.createdBy])).toEqual([
      ['rbl-ECOMMERCE-2026-10', 1, 'system'],
      ['rbl-GAMES-2026-10', 1, 'system'],
    ]);
    expect(first[1].red).toEqual([]);
    expect(await slice.service.snapshotClosedMonth(['ECOMMERCE', 'GAMES'], 3, 5)).toEqual([]);
  });

  test('versions of one (industry, month) never collide, even from two store instances', async () => {
    const a = createSqliteSnapshotStore(db);
    const b = createSqliteSnapshotStore(db);
    const input = {
      industry: 'TRAVEL',
      month: '2026-08',
      size: 1,
      methodology: (await slice.service.redBlackList('TRAVEL', '2026-08', 1, 0)).methodology,
      red: [],
      black: [],
      createdAt: NOW,
      createdBy: 't',
    };
    const versions = [
      (await a.publish(input)).version,
      (await b.publish(input)).version,
      (await a.publish(input)).version,
    ];
    expect(versions).toEqual([1, 2, 3]);
    expect((await b.list({ industry: 'TRAVEL' })).map((s) => s.version)).toEqual([3, 2, 1]);
  });
});

describe('red/black snapshots on MongoDB (filters evaluated with mingo)', () => {
  test('the list filter and sort return what the SQLite store lists', async () => {
    const { Query } = await import('mingo');
    const { snapshotListFilter, SNAPSHOT_LIST_SORT } = await import(
      '../../../../subgraphs/reputation/store/snapshots-mongo.ts'
    );
    const all = await slice.snapshots.list({});
    expect(all.length).toBeGreaterThan(3);
    const docs = all.map((s) => ({ _id: `${s.id}|v${s.version}`, ...s }));
    for (const filter of [
      {},
      { industry: 'TELECOM' },
      { month: '2026-10' },
      { industry: 'ECOMMERCE', month: '2026-10' },
    ]) {
      const viaMingo = new Query(snapshotListFilter(filter))
        .find<(typeof docs)[number]>(docs)
        .sort(SNAPSHOT_LIST_SORT)
        .all()
        .map((d) => `${d.id}|${d.version}`);
      expect(viaMingo).toEqual((await slice.snapshots.list(filter)).map((s) => `${s.id}|${s.version}`));
    }
  });
});
