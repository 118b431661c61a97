import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { migrate, openSqlite } from '../../../../platform/store/sqlite.ts';
import type { ListingChange, ListingRecord } from '../../../../subgraphs/reputation/domain/listing.ts';
import {
  competitionRank,
  descending,
  metricValue,
  RankingMetric,
} from '../../../../subgraphs/reputation/domain/rankings.ts';
import { contributionOf, type ReputationStats } from '../../../../subgraphs/reputation/domain/statistics.ts';
import { cstDay, monthRange, rollingWindow, type DayRange } from '../../../../subgraphs/reputation/domain/windows.ts';
import { wilsonLowerBound } from '../../../../subgraphs/reputation/domain/wilson.ts';
import { createSqliteListingRepository } from '../../../../subgraphs/reputation/store/listings-sqlite.ts';
import {
  createSqliteRollups,
  STATS_COMPONENT,
  STATS_MIGRATIONS,
  type SqliteRollups,
} from '../../../../subgraphs/reputation/store/rollups-sqlite.ts';
import { FIXTURE_INDUSTRIES, makeListing, progressed, randomListings, seededRandom } from './rollups-fixtures.ts';

const AS_OF = Date.parse('2026-11-22T04:00:00Z');
let dir: string;
const opened: DatabaseSync[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rollups-'));
});
afterAll(() => {
  for (const db of opened) db.close();
  rmSync(dir, { recursive: true, force: true });
});

function freshRollups(name: string): { db: DatabaseSync; rollups: SqliteRollups } {
  const db = openSqlite(join(dir, `${name}.db`));
  opened.push(db);
  return { db, rollups: createSqliteRollups(db) };
}

/** Hand-computed oracle straight from the records: no rollups, a sort-based median. */
function oracle(records: ListingRecord[], enterpriseId: string, range: DayRange): ReputationStats {
  const counted = records
    .map(contributionOf)
    .filter((c) => c.enterpriseId === enterpriseId && c.day >= range.fromDay && c.day <= range.toDay);
  const n = counted.length;
  const replied = counted.filter((c) => c.replied).length;
  const completed = counted.filter((c) => c.completed).length;
  const delays = counted.flatMap((c) => (c.replyDelayMs === null ? [] : [c.replyDelayMs])).sort((a, b) => a - b);
  const mid = Math.floor(delays.length / 2);
  const median = delays.length === 0 ? null : delays.length % 2 ? delays[mid] : (delays[mid - 1] + delays[mid]) / 2;
  const ratings = counted.flatMap((c) => (c.satisfaction === null ? [] : [c.satisfaction]));
  return {
    complaints: n,
    replied,
    completed,
    replyRate: n ? replied / n : 0,
    completionRate: n ? completed / n : 0,
    wilsonScore: wilsonLowerBound(completed, n),
    medianReplyHours: median === null ? null : median / 3600_000,
    replyDelaySampleSize: delays.length,
    satisfactionMean: ratings.length ? ratings.reduce((a, b) => a + b, 0) / ratings.length : null,
    satisfactionCount: ratings.length,
  };
}

const TABLES = ['rep_stats_years', 'rep_stats_source_daily', 'rep_enterprise_aliases', 'rep_enterprises'];

function dump(db: DatabaseSync): Record<string, unknown[]> {
  return Object.fromEntries(TABLES.map((t) => [t, db.prepare(`SELECT * FROM ${t} ORDER BY 1, 2`).all()]));
}

/** Inserts in batches, then updates a random third of them (some twice), the way ingestion reports changes. */
function applyLikeIngestion(rollups: SqliteRollups, records: ListingRecord[], seed: number): ListingRecord[] {
  const random = seededRandom(seed);
  const current = new Map<string, ListingRecord>();
  for (let i = 0; i < records.length; i += 50) {
    const changes: ListingChange[] = records.slice(i, i + 50).map((after) => ({ before: null, after }));
    for (const c of changes) current.set(`${c.after.source}:${c.after.externalId}`, c.after);
    rollups.applyChangesInTransaction(changes);
  }
  for (let round = 0; round < 2; round++) {
    const changes: ListingChange[] = [];
    for (const [key, before] of current) {
      if (random() < 0.3) {
        const after = progressed(before, random);
        changes.push({ before, after });
        current.set(key, after);
      }
    }
    rollups.applyChangesInTransaction(changes);
  }
  return [...current.values()];
}

describe('SQLite statistics rollups', () => {
  test('incremental application of listing changes equals a full rebuild, on randomised data', () => {
    for (const seed of [1, 2, 3]) {
      const { db: incDb, rollups: incremental } = freshRollups(`inc-${seed}`);
      incremental.refreshWindows(AS_OF);
      const finalRecords = applyLikeIngestion(incremental, randomListings(seed, 600, { asOf: AS_OF }), seed);
      const { db: rebuiltDb, rollups: rebuilt } = freshRollups(`reb-${seed}`);
      rebuilt.rebuild(AS_OF, finalRecords);
      const expected = dump(rebuiltDb);
      expect(
        expected.rep_enterprises.filter((e) => (e as { windows: unknown }).windows !== null).length,
      ).toBeGreaterThan(5);
      expect(expected.rep_stats_years.length).toBeGreaterThan(20);
      expect(dump(incDb)).toEqual(expected);
    }
  });

  test('a rebuild on worker threads that fails half-way leaves the previous rollups as they were', async () => {
    const records = randomListings(82, 600, { asOf: AS_OF, enterprises: 20 });
    const { db, rollups } = freshRollups('parallel-failure');
    await createSqliteListingRepository(db).upsertBatch(records);
    rollups.rebuild(AS_OF, records);
    const before = dump(db);
    const failure = new Error('stopped after the workers wrote');
    const onPhase = (phase: string) => {
      if (phase.startsWith('read and compute')) throw failure;
    };
    await expect(rollups.rebuildFromListings(AS_OF + 86_400_000, { workers: 2, onPhase })).rejects.toBe(failure);
    expect(db.isTransaction).toBe(false);
    expect(dump(db)).toEqual(before);
  });

  test('the rebuild on worker threads writes exactly what the rebuild in this thread writes', async () => {
    const records = randomListings(81, 1500, { asOf: AS_OF, enterprises: 40 });
    const { db: parallelDb, rollups: parallel } = freshRollups('parallel');
    await createSqliteListingRepository(parallelDb).upsertBatch(records);
    await parallel.rebuildFromListings(AS_OF, { workers: 3 });
    const { db: serialDb, rollups: serial } = freshRollups('serial');
    serial.rebuild(AS_OF, records);
    expect(dump(parallelDb).rep_stats_years.length).toBeGreaterThan(40);
    expect(dump(parallelDb)).toEqual(dump(serialDb));
    const request = {
      industry: FIXTURE_INDUSTRIES[0],
      window: 'ALL_TIME' as const,
      metric: 'WILSON_SCORE' as const,
      order: 'BEST_FIRST' as const,
      minComplaints: 1,
      offset: 0,
      limit: 50,
    };
    expect(await parallel.rankings(request)).toEqual(await serial.rankings(request));
  });

  test('a store on an older rollup layout is rebuilt from its listings when opened, and only once', async () => {
    const db = openSqlite(join(dir, 'upgrade.db'));
    opened.push(db);
    const records = randomListings(71, 400, { asOf: AS_OF });
    await createSqliteListingRepository(db).upsertBatch(records);
    migrate(db, STATS_COMPONENT, STATS_MIGRATIONS.slice(0, 4));
    const upgraded = createSqliteRollups(db);
    expect(upgraded.asOfDay()).toBe(cstDay(Date.now()));
    const { db: reference, rollups } = freshRollups('upgrade-reference');
    rollups.rebuild(Date.now(), records);
    const tables = ['rep_stats_years', 'rep_enterprise_aliases', 'rep_enterprises'];
    const rows = (d: DatabaseSync, t: string) => d.prepare(`SELECT * FROM ${t} ORDER BY 1, 2`).all();
    for (const t of tables) expect(rows(db, t)).toEqual(rows(reference, t));
    db.prepare('DELETE FROM rep_enterprises').run();
    createSqliteRollups(db);
    expect(rows(db, 'rep_enterprises')).toEqual([]);
  });

  test('upgrading a store with separate name and industry tally tables keeps every count, in enterprise rows', () => {
    const { db: reference, rollups } = freshRollups('tallies-reference');
    rollups.rebuild(AS_OF, randomListings(72, 500, { asOf: AS_OF, enterprises: 20 }));
    const db = openSqlite(join(dir, 'tallies-upgrade.db'));
    opened.push(db);
    migrate(db, STATS_COMPONENT, STATS_MIGRATIONS.slice(0, 5)); // before the tallies moved (v6)
    const enterprises = reference
      .prepare('SELECT enterprise_id, name, industry, listings, name_counts, industry_counts FROM rep_enterprises')
      .all() as Array<{
      enterprise_id: string;
      name: string;
      industry: string | null;
      listings: number;
      name_counts: string;
      industry_counts: string;
    }>;
    for (const e of enterprises) {
      db.prepare('INSERT INTO rep_enterprises (enterprise_id, name, industry, listings) VALUES (?, ?, ?, ?)').run(
        e.enterprise_id,
        e.name,
        e.industry,
        e.listings,
      );
      for (const [name, n] of JSON.parse(e.name_counts))
        db.prepare('INSERT INTO rep_enterprise_names VALUES (?, ?, ?)').run(e.enterprise_id, name, n);
      for (const [industry, n] of JSON.parse(e.industry_counts))
        db.prepare('INSERT INTO rep_enterprise_industries VALUES (?, ?, ?)').run(e.enterprise_id, industry, n);
    }
    // A tally that had dropped to zero before its row was pruned is not carried over.
    db.prepare('INSERT INTO rep_enterprise_names VALUES (?, ?, 0)').run(enterprises[0].enterprise_id, 'gone');
    migrate(db, STATS_COMPONENT, STATS_MIGRATIONS);
    const rows = (d: DatabaseSync, t: string) => d.prepare(`SELECT * FROM ${t} ORDER BY 1, 2`).all();
    const summaries = (d: DatabaseSync) =>
      d
        .prepare(
          'SELECT enterprise_id, name, industry, listings, name_counts, ' +
            'industry_counts FROM rep_enterprises ORDER BY 1',
        )
        .all();
    expect(summaries(db)).toEqual(summaries(reference));
    expect(rows(db, 'rep_enterprise_aliases')).toEqual(rows(reference, 'rep_enterprise_aliases'));
    expect(enterprises.some((e) => JSON.parse(e.name_counts).length > 1)).toBe(true);
  });

  test('upgrading a store with a separate windows table puts them in enterprise rows on the next read', async () => {
    const records = randomListings(73, 500, { asOf: AS_OF, enterprises: 20 });
    const { db: reference, rollups } = freshRollups('windows-reference');
    rollups.rebuild(AS_OF, records);
    const db = openSqlite(join(dir, 'windows-upgrade.db'));
    opened.push(db);
    migrate(db, STATS_COMPONENT, STATS_MIGRATIONS.slice(0, 6)); // before the windows moved (v7)
    db.exec(`ATTACH DATABASE '${join(dir, 'windows-reference.db')}' AS ref`);
    db.exec(
      `INSERT INTO rep_stats_years SELECT * FROM ref.rep_stats_years;
      INSERT INTO rep_stats_source_daily SELECT * FROM ref.rep_stats_source_daily;
      INSERT INTO rep_enterprise_aliases SELECT * FROM ref.rep_enterprise_aliases;
      INSERT INTO rep_enterprises SELECT enterprise_id, name, industry, listings, name_counts, ` +
        `industry_counts FROM ref.rep_enterprises;
      INSERT INTO rep_stats_state (key, value) VALUES ('as_of_day', '${cstDay(AS_OF)}');`,
    );
    db.exec('DETACH DATABASE ref');
    const upgraded = createSqliteRollups(db);
    expect(upgraded.asOfDay()).toBeNull();
    await upgraded.ensureCurrent(AS_OF);
    expect(dump(db)).toEqual(dump(reference));
    const request = {
      industry: FIXTURE_INDUSTRIES[1],
      window: 'LAST_365_DAYS' as const,
      metric: 'COMPLETION_RATE' as const,
      order: 'WORST_FIRST' as const,
      minComplaints: 2,
      offset: 0,
      limit: 50,
    };
    const ranked = await upgraded.rankings(request);
    expect(ranked.rows.length).toBeGreaterThan(2);
    expect(ranked).toEqual(await rollups.rankings(request));
  });

  test('a change from replied to completed moves one count from replied-only to completed', async () => {
    const { rollups } = freshRollups('moves');
    rollups.refreshWindows(AS_OF);
    const base = randomListings(7, 1, { asOf: AS_OF, spanDays: 3, enterprises: 1 })[0];
    const replied: ListingRecord = {
      ...base,
      status: 'REPLIED',
      repliedAt: base.createdAt + 3600_000,
      completedAt: null,
    };
    rollups.applyChangesInTransaction([{ before: null, after: replied }]);
    const completed: ListingRecord = {
      ...replied,
      status: 'COMPLETED',
      completedAt: replied.createdAt + 7200_000,
      rawHash: 'new',
    };
    rollups.applyChangesInTransaction([{ before: replied, after: completed }]);
    const { total } = await rollups.enterpriseStats(base.enterpriseId, rollingWindow('LAST_7_DAYS', AS_OF));
    expect(total).toMatchObject({ complaints: 1, replied: 1, completed: 1, completionRate: 1, medianReplyHours: 1 });
  });

  test('enterprise statistics equal the hand-computed oracle for every window and a calendar month', async () => {
    const { rollups } = freshRollups('oracle');
    rollups.refreshWindows(AS_OF);
    const records = applyLikeIngestion(rollups, randomListings(11, 800, { asOf: AS_OF }), 11);
    const ranges = [
      ...(['LAST_7_DAYS', 'LAST_30_DAYS', 'LAST_90_DAYS', 'LAST_365_DAYS', 'ALL_TIME'] as const).map((w) =>
        rollingWindow(w, AS_OF),
      ),
      monthRange('2026-10')!,
    ];
    for (const enterpriseId of new Set(records.map((r) => r.enterpriseId))) {
      for (const range of ranges) {
        const { total, bySource } = await rollups.enterpriseStats(enterpriseId, range);
        expect(total).toEqual(oracle(records, enterpriseId, range));
        for (const part of bySource) {
          expect(part.stats).toEqual(
            oracle(
              records.filter((r) => r.source === part.source),
              enterpriseId,
              range,
            ),
          );
        }
      }
    }
  });

  test('an enterprise without listings in a window gets zeros and a sample size of 0, never NaN', async () => {
    const { rollups } = freshRollups('empty');
    const { total, bySource } = await rollups.enterpriseStats('ent_nobody', rollingWindow('LAST_30_DAYS', AS_OF));
    expect(total).toEqual({
      complaints: 0,
      replied: 0,
      completed: 0,
      replyRate: 0,
      completionRate: 0,
      wilsonScore: 0,
      medianReplyHours: null,
      replyDelaySampleSize: 0,
      satisfactionMean: null,
      satisfactionCount: 0,
    });
    expect(bySource).toEqual([]);
  });

  test('rankings list each qualifying enterprise once, in metric order, with competition positions', async () => {
    const { rollups } = freshRollups('rankings');
    // Many small enterprises with integer-hour delays produce real ties in every metric.
    const records = randomListings(21, 3000, { asOf: AS_OF, enterprises: 120, spanDays: 120 });
    rollups.rebuild(AS_OF, records);
    for (const metric of Object.values(RankingMetric)) {
      for (const order of ['BEST_FIRST', 'WORST_FIRST'] as const) {
        const industry = FIXTURE_INDUSTRIES[0];
        const request = { industry, window: 'LAST_90_DAYS' as const, metric, order, minComplaints: 3 };
        const seen: Array<{ id: string; value: number; position: number; tie: boolean }> = [];
        let total = 0;
        for (let offset = 0; ; offset += 7) {
          const page = await rollups.rankings({ ...request, offset, limit: 7 });
          total = page.total;
          for (const row of page.rows)
            seen.push({
              id: row.enterpriseId,
              value: metricValue(row.stats, metric)!,
              position: row.position,
              tie: row.tie,
            });
          if (page.rows.length < 7) break;
        }
        expect(seen).toHaveLength(total);
        expect(new Set(seen.map((s) => s.id)).size).toBe(total);
        const values = seen.map((s) => s.value);
        const desc = descending(metric, order);
        for (const entry of seen) {
          const expected = competitionRank(values, entry.value, desc);
          expect({ position: entry.position, tie: entry.tie }).toEqual({
            position: expected.position,
            tie: expected.tie,
          });
        }
        for (let i = 1; i < seen.length; i++)
          expect(desc ? values[i - 1] >= values[i] : values[i - 1] <= values[i]).toBe(true);
      }
    }
  });

  test('rank of one enterprise agrees with its position in the ranking', async () => {
    const { rollups } = freshRollups('rank');
    rollups.rebuild(AS_OF, randomListings(31, 2000, { asOf: AS_OF, enterprises: 60, spanDays: 90 }));
    const page = await rollups.rankings({
      industry: FIXTURE_INDUSTRIES[1],
      window: 'LAST_90_DAYS',
      metric: 'WILSON_SCORE',
      order: 'BEST_FIRST',
      minComplaints: 5,
      offset: 0,
      limit: 100,
    });
    expect(page.rows.length).toBeGreaterThan(3);
    for (const row of page.rows) {
      expect(await rollups.rank(row.enterpriseId, 'LAST_90_DAYS', 'WILSON_SCORE', 5)).toEqual({
        position: row.position,
        outOf: page.total,
        tie: row.tie,
      });
    }
  });

  test('windows move on with the CST day: ensureCurrent re-materialises them when the day changes', async () => {
    const { rollups } = freshRollups('rollover');
    rollups.rebuild(AS_OF, randomListings(41, 300, { asOf: AS_OF, spanDays: 30 }));
    expect(rollups.asOfDay()).toBe(cstDay(AS_OF));
    const later = AS_OF + 400 * 86_400_000;
    await rollups.ensureCurrent(later);
    expect(rollups.asOfDay()).toBe(cstDay(later));
    const page = await rollups.rankings({
      industry: FIXTURE_INDUSTRIES[0],
      window: 'LAST_365_DAYS',
      metric: 'COMPLAINTS',
      order: 'WORST_FIRST',
      minComplaints: 1,
      offset: 0,
      limit: 10,
    });
    expect(page.total).toBe(0);
  });

  test('the worker-thread day roll writes what a rebuild for the new day does, mid-roll writes included', async () => {
    const DAY = 86_400_000;
    const records = randomListings(43, 900, { asOf: AS_OF, enterprises: 30 });
    const { db, rollups } = freshRollups('roll-workers');
    rollups.rebuild(AS_OF, records);
    const random = seededRandom(43);
    const changes: ListingChange[] = records
      .filter(() => random() < 0.1)
      .map((before) => ({ before, after: progressed(before, random) }));
    const newcomer = {
      ...records[0],
      externalId: 'roll-newcomer',
      enterpriseId: 'ent_test_roll_newcomer',
      createdAt: AS_OF - 2 * DAY,
    };
    changes.push({ before: null, after: newcomer });
    let wroteDuringRoll = false;
    await rollups.rollWindows(AS_OF + DAY, {
      workers: 2,
      onSnapshot: () => {
        rollups.applyChangesInTransaction(changes);
        wroteDuringRoll = true;
      },
    });
    expect(wroteDuringRoll).toBe(true);
    expect(rollups.asOfDay()).toBe(cstDay(AS_OF + DAY));
    const final = new Map(records.map((r) => [`${r.source}:${r.externalId}`, r]));
    for (const change of changes) final.set(`${change.after.source}:${change.after.externalId}`, change.after);
    const { db: referenceDb, rollups: reference } = freshRollups('roll-workers-reference');
    reference.rebuild(AS_OF + DAY, [...final.values()]);
    expect(dump(db)).toEqual(dump(referenceDb));
    const request = {
      industry: FIXTURE_INDUSTRIES[2],
      window: 'LAST_30_DAYS' as const,
      metric: 'REPLY_RATE' as const,
      order: 'BEST_FIRST' as const,
      minComplaints: 1,
      offset: 0,
      limit: 50,
    };
    expect((await rollups.rankings(request)).rows.length).toBeGreaterThan(2);
    expect(await rollups.rankings(request)).toEqual(await reference.rankings(request));
  });

  test('ensureCurrent rolls 5,000+ enterprises on workers, once for concurrent callers, as a rebuild', async () => {
    const DAY = 86_400_000;
    const random = seededRandom(45);
    const sources = ['blackcat', '12315', 'jutousu'] as const;
    const records = Array.from({ length: 5_200 }, (_, i) =>
      makeListing({
        source: sources[i % 3],
        externalId: `many-${i}`,
        enterprise: i,
        createdAt: AS_OF - (i % 400) * DAY - 3_600_000,
        random,
      }),
    );
    const { db, rollups } = freshRollups('roll-many');
    rollups.rebuild(AS_OF, records);
    await Promise.all([rollups.ensureCurrent(AS_OF + DAY), rollups.ensureCurrent(AS_OF + DAY)]);
    expect(rollups.asOfDay()).toBe(cstDay(AS_OF + DAY));
    const { db: referenceDb, rollups: reference } = freshRollups('roll-many-reference');
    reference.rebuild(AS_OF + DAY, records);
    expect(dump(db)).toEqual(dump(referenceDb));
    const request = {
      industry: FIXTURE_INDUSTRIES[0],
      window: 'LAST_7_DAYS' as const,
      metric: 'COMPLAINTS' as const,
      order: 'WORST_FIRST' as const,
      minComplaints: 1,
      offset: 0,
      limit: 20,
    };
    expect((await rollups.rankings(request)).total).toBeGreaterThan(20);
    expect(await rollups.rankings(request)).toEqual(await reference.rankings(request));
  });

  test("a change log pruned past the roll's snapshot voids the workers' results: redone in this thread", async () => {
    const DAY = 86_400_000;
    const records = randomListings(46, 600, { asOf: AS_OF, enterprises: 20 });
    // Filed on the day that leaves the 7-day window: the roll changes this enterprise's windows.
    records.push({
      ...records[0],
      externalId: 'leaving-day',
      createdAt: AS_OF - 6 * DAY,
      status: 'PENDING',
      repliedAt: null,
      completedAt: null,
    });
    const { db, rollups } = freshRollups('roll-pruned');
    rollups.rebuild(AS_OF, records);
    // One enterprise's complaints are completed in a batch of their own, logged first; others follow.
    const completed = (r: ListingRecord): ListingRecord => ({
      ...r,
      status: 'COMPLETED',
      repliedAt: r.repliedAt ?? r.createdAt + 3_600_000,
      completedAt: r.createdAt + 7_200_000,
    });
    const first = records[0].enterpriseId;
    const ownBatch: ListingChange[] = records
      .filter((r) => r.enterpriseId === first && r.status !== 'COMPLETED')
      .map((before) => ({ before, after: completed(before) }));
    const laterBatch: ListingChange[] = records
      .filter((r) => r.enterpriseId !== first && r.status !== 'COMPLETED')
      .slice(0, 30)
      .map((before) => ({ before, after: completed(before) }));
    expect(ownBatch.length).toBeGreaterThan(0);
    const changes = [...ownBatch, ...laterBatch];
    await rollups.rollWindows(AS_OF + DAY, {
      workers: 2,
      onSnapshot: () => {
        const snapshot = Number(
          (db.prepare('SELECT MAX(seq) AS seq FROM rep_stats_window_log').get() as { seq: number }).seq,
        );
        rollups.applyChangesInTransaction(ownBatch);
        rollups.applyChangesInTransaction(laterBatch);
        // As pruning does after heavy writing: the first entries after the snapshot are gone.
        db.prepare('DELETE FROM rep_stats_window_log WHERE seq <= ?').run(snapshot + 1);
      },
    });
    const final = new Map(records.map((r) => [`${r.source}:${r.externalId}`, r]));
    for (const change of changes) final.set(`${change.after.source}:${change.after.externalId}`, change.after);
    const { db: referenceDb, rollups: reference } = freshRollups('roll-pruned-reference');
    reference.rebuild(AS_OF + DAY, [...final.values()]);
    expect(dump(db)).toEqual(dump(referenceDb));
  });

  test("a roll whose worker fails rejects with the worker's error and writes nothing", async () => {
    const { db, rollups } = freshRollups('roll-failing');
    rollups.rebuild(AS_OF, randomListings(47, 300, { asOf: AS_OF, enterprises: 10 }));
    db.prepare('UPDATE rep_stats_years SET profile = ? WHERE rowid = (SELECT MAX(rowid) FROM rep_stats_years)').run(
      new Uint8Array(3),
    );
    const before = dump(db);
    await expect(rollups.rollWindows(AS_OF + 86_400_000, { workers: 2 })).rejects.toThrow(
      /corrupt statistics blob: 3 bytes/,
    );
    expect(rollups.asOfDay()).toBe(cstDay(AS_OF));
    expect(dump(db)).toEqual(before);
  });

  test('a failed worker roll is reported and redone in this thread, which writes nothing if it fails too', async () => {
    const db = openSqlite(join(dir, 'roll-fallback.db'));
    opened.push(db);
    const fallbacks: unknown[] = [];
    const rollups = createSqliteRollups(db, { offThreadRollFrom: 1, onRollFallback: (error) => fallbacks.push(error) });
    rollups.rebuild(AS_OF, randomListings(48, 300, { asOf: AS_OF, enterprises: 10 }));
    db.prepare('UPDATE rep_stats_years SET profile = ? WHERE rowid = (SELECT MAX(rowid) FROM rep_stats_years)').run(
      new Uint8Array(3),
    );
    const before = dump(db);
    await expect(rollups.ensureCurrent(AS_OF + 86_400_000)).rejects.toThrow(/corrupt statistics blob: 3 bytes/);
    expect(fallbacks).toHaveLength(1);
    expect(String(fallbacks[0])).toMatch(/corrupt statistics blob: 3 bytes/);
    expect(rollups.asOfDay()).toBe(cstDay(AS_OF));
    expect(dump(db)).toEqual(before);
  });

  test("a rebuild during the day roll voids the workers' results: the roll is redone from rebuilt years", async () => {
    const DAY = 86_400_000;
    const records = randomListings(44, 600, { asOf: AS_OF, enterprises: 20 });
    const { db, rollups } = freshRollups('roll-rebuilt');
    rollups.rebuild(AS_OF, records);
    const rebuiltFrom = records.slice(0, 400);
    await rollups.rollWindows(AS_OF + DAY, { workers: 2, onSnapshot: () => rollups.rebuild(AS_OF, rebuiltFrom) });
    const { db: referenceDb, rollups: reference } = freshRollups('roll-rebuilt-reference');
    reference.rebuild(AS_OF + DAY, rebuiltFrom);
    expect(dump(db)).toEqual(dump(referenceDb));
  });

  test('enterprise summary takes the most frequent cleaned name and industry; search finds it by alias', async () => {
    const { rollups } = freshRollups('names');
    rollups.rebuild(AS_OF, randomListings(51, 400, { asOf: AS_OF, enterprises: 4 }));
    const summary = await rollups.enterprise('ent_test_0');
    expect(summary).toMatchObject({ id: 'ent_test_0', name: '商家0有限公司', industry: 'ECOMMERCE' });
    expect(summary!.aliases).toEqual(['商家0官方旗舰店', '商家0有限公司']);
    expect((await rollups.searchEnterprises('商家0官方', 10)).map((e) => e.id)).toEqual(['ent_test_0']);
    expect(await rollups.searchEnterprises('100%_', 10)).toEqual([]);
  });

  test('cached ranking counts follow writes made through this connection and through another one', async () => {
    const { rollups } = freshRollups('count-cache');
    const records = randomListings(61, 300, { asOf: AS_OF, enterprises: 6, spanDays: 20 });
    rollups.rebuild(AS_OF, records);
    const request = {
      industry: FIXTURE_INDUSTRIES[0],
      window: 'LAST_30_DAYS' as const,
      metric: 'COMPLAINTS' as const,
      order: 'WORST_FIRST' as const,
      minComplaints: 1,
      offset: 0,
      limit: 10,
    };
    const before = (await rollups.rankings(request)).total;
    const newcomer = {
      ...records[0],
      externalId: 'newcomer-1',
      enterpriseId: 'ent_test_newcomer',
      enterpriseName: '新来的公司',
      industry: FIXTURE_INDUSTRIES[0],
    };
    rollups.applyChangesInTransaction([{ before: null, after: newcomer }]);
    expect((await rollups.rankings(request)).total).toBe(before + 1);
    const other = openSqlite(join(dir, 'count-cache.db'));
    opened.push(other);
    createSqliteRollups(other).applyChangesInTransaction([
      { before: null, after: { ...newcomer, externalId: 'newcomer-2', enterpriseId: 'ent_test_second' } },
    ]);
    expect((await rollups.rankings(request)).total).toBe(before + 2);
  });
});
