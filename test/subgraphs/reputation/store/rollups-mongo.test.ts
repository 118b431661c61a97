import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { Aggregator, Query } from 'mingo';
import type { Document } from 'mongodb';
import { connectMongo, ensureIndexes } from '../../../../platform/store/mongo.ts';
import { openSqlite } from '../../../../platform/store/sqlite.ts';
import type { ListingChange, ListingRecord } from '../../../../subgraphs/reputation/domain/listing.ts';
import { RankingMetric, descending } from '../../../../subgraphs/reputation/domain/rankings.ts';
import { computeStats, contributionOf, exactMedian } from '../../../../subgraphs/reputation/domain/statistics.ts';
import {
  REPUTATION_WINDOWS,
  cstDay,
  monthRange,
  rollingWindow,
} from '../../../../subgraphs/reputation/domain/windows.ts';
import { decodeWindows } from '../../../../subgraphs/reputation/store/rollups-sqlite-profile-codec.ts';
import { createMongoRollups } from '../../../../subgraphs/reputation/store/rollups-mongo.ts';
import {
  ROLLUP_INDEXES,
  allTimeMedianPipeline,
  dailyRebuildPipeline,
  delaysRebuildPipeline,
  periodCountsPipeline,
  rangeCountsPipeline,
  rankingFilter,
  enterprisesFilter,
  rankingSort,
  sourcesInPipeline,
  listingTotalsPipeline,
  standingPipeline,
} from '../../../../subgraphs/reputation/store/rollups-mongo-pipelines.ts';
import { createSqliteRollups, type SqliteRollups } from '../../../../subgraphs/reputation/store/rollups-sqlite.ts';
import type { RollupReader } from '../../../../subgraphs/reputation/store/rollups.ts';
import { createMemoryDb } from './mongo-in-memory.ts';
import { FIXTURE_INDUSTRIES, progressed, randomListings, seededRandom } from './rollups-fixtures.ts';

const AS_OF = Date.parse('2026-11-22T04:00:00Z');
let dir: string;
let db: DatabaseSync;
let sqlite: SqliteRollups;
let records: ListingRecord[];
/**
 * The Mongo adapter's collections as they hold these records: daily buckets and delays straight
 * from the records (the SQLite adapter packs them per enterprise and year), windows, enterprises
 * and source days from the SQLite tables. The fixtures both evaluations share.
 */
let docs: {
  daily: Document[];
  windows: Document[];
  enterprises: Document[];
  sourceDaily: Document[];
  delays: Document[];
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rollups-mongo-'));
  db = openSqlite(join(dir, 'stats.db'));
  sqlite = createSqliteRollups(db);
  records = randomListings(77, 2500, { asOf: AS_OF, enterprises: 50, spanDays: 200 });
  sqlite.rebuild(AS_OF, records);
  // node:sqlite types rows as plain records; each query below names the columns it reads.
  const all = <Row>(sql: string) => db.prepare(sql).all() as Row[];
  docs = {
    daily: dailyDocs(records),
    windows: all<{ enterprise_id: string; industry: string | null; windows: Uint8Array }>(
      'SELECT enterprise_id, industry, windows FROM rep_enterprises',
    ).flatMap((r) =>
      decodeWindows(r.windows).map(({ counts, median, sample }, i) => {
        const stats = computeStats(counts, median, sample);
        const window = REPUTATION_WINDOWS[i];
        return {
          _id: `${window}|${r.enterprise_id}`,
          window,
          enterpriseId: r.enterprise_id,
          industry: r.industry,
          complaints: counts.complaints,
          replied: counts.replied,
          completed: counts.completed,
          satSum: counts.satisfactionSum,
          satCount: counts.satisfactionCount,
          replyRate: stats.replyRate,
          completionRate: stats.completionRate,
          wilson: stats.wilsonScore,
          medianReplyHours: stats.medianReplyHours,
          replySample: sample,
          satMean: stats.satisfactionMean,
        };
      }),
    ),
    enterprises: all<{ enterprise_id: string; name: string; industry: string | null; listings: number }>(
      'SELECT * FROM rep_enterprises',
    ).map((r) => ({
      _id: r.enterprise_id,
      name: r.name,
      industry: r.industry,
      listings: r.listings,
    })),
    sourceDaily: all<{ source: string; day: number; complaints: number }>('SELECT * FROM rep_stats_source_daily').map(
      (r) => ({
        _id: `${r.source}|${r.day}`,
        source: r.source,
        day: r.day,
        complaints: r.complaints,
      }),
    ),
    delays: records
      .map(contributionOf)
      .filter((c) => c.replyDelayMs !== null)
      .map((c) => ({
        _id: `${c.source}:${c.externalId}`,
        source: c.source,
        externalId: c.externalId,
        enterpriseId: c.enterpriseId,
        day: c.day,
        replyMs: c.replyDelayMs,
      })),
  };
});

/** Daily buckets per (enterprise, day, source), as the Mongo adapter keeps them. */
function dailyDocs(listings: ListingRecord[]): Document[] {
  const buckets = new Map<string, Document>();
  for (const c of listings.map(contributionOf)) {
    const id = `${c.enterpriseId}|${c.day}|${c.source}`;
    const doc = buckets.get(id) ?? {
      _id: id,
      enterpriseId: c.enterpriseId,
      day: c.day,
      source: c.source,
      complaints: 0,
      replied: 0,
      completed: 0,
      satSum: 0,
      satCount: 0,
    };
    doc.complaints += 1;
    doc.replied += c.replied ? 1 : 0;
    doc.completed += c.completed ? 1 : 0;
    doc.satSum += c.satisfaction ?? 0;
    doc.satCount += c.satisfaction === null ? 0 : 1;
    buckets.set(id, doc);
  }
  return [...buckets.values()];
}

afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const byId = (a: Document, b: Document) => (String(a._id) < String(b._id) ? -1 : 1);
const run = (pipeline: Document[], input: Document[]) =>
  new Aggregator(pipeline, {
    collectionResolver: (name: string) => (name === 'rep_enterprises' ? docs.enterprises : []),
  }).run(input) as Document[];

describe('MongoDB rollup pipelines, evaluated with mingo, agree with SQLite', () => {
  test('the batched enterprise filter selects exactly the enterprises SQLite returns for the same ids', async () => {
    const ids = [...docs.enterprises.slice(0, 7).map((d) => String(d._id)), 'ent1_missing000000000000'];
    const fromMongo = new Query(enterprisesFilter(ids))
      .find(docs.enterprises)
      .all()
      .map((d) => String((d as Document)._id))
      .sort();
    const fromSqlite = (await sqlite.enterprises(ids))
      .filter((e) => e !== null)
      .map((e) => e!.id)
      .sort();
    expect(fromMongo).toEqual(fromSqlite);
    expect(fromMongo).toHaveLength(7);
  });

  test("the daily rebuild pipeline sums every record's contribution per enterprise, day and source", () => {
    const listingDocs = records.map((r) => ({ _id: `${r.source}:${r.externalId}`, ...r }));
    expect(run(dailyRebuildPipeline(), listingDocs).sort(byId)).toEqual([...docs.daily].sort(byId));
  });

  test('the reply-delay rebuild pipeline yields one delay per record with a published reply time', () => {
    const listingDocs = records.map((r) => ({ _id: `${r.source}:${r.externalId}`, ...r }));
    expect(run(delaysRebuildPipeline(), listingDocs).sort(byId)).toEqual([...docs.delays].sort(byId));
  });

  test('ranking filter and sort give the SQLite ranking order for every metric and order', async () => {
    for (const metric of Object.values(RankingMetric)) {
      for (const order of ['BEST_FIRST', 'WORST_FIRST'] as const) {
        const request = {
          industry: FIXTURE_INDUSTRIES[0],
          window: 'LAST_90_DAYS' as const,
          metric,
          order,
          minComplaints: 3,
        };
        const expected = (await sqlite.rankings({ ...request, offset: 0, limit: 1000 })).rows.map(
          (r) => r.enterpriseId,
        );
        const actual = new Query(rankingFilter(request))
          .find(docs.windows)
          .sort(rankingSort(metric, descending(metric, order)))
          .all()
          .map((d) => (d as Document).enterpriseId);
        expect(actual).toEqual(expected);
        expect(expected.length).toBeGreaterThan(3);
      }
    }
  });

  test('the standing pipeline gives the SQLite rank of every enterprise', async () => {
    for (const doc of docs.windows.filter(
      (d) => d.window === 'LAST_30_DAYS' && d.industry !== null && d.complaints >= 2,
    )) {
      const request = {
        industry: doc.industry,
        window: 'LAST_30_DAYS' as const,
        metric: 'WILSON_SCORE' as const,
        minComplaints: 2,
      };
      const [s] = run(standingPipeline(request, true, doc.wilson), docs.windows);
      expect({ position: s.ahead + 1, outOf: s.total, tie: s.equal > 1 }).toEqual(
        await sqlite.rank(doc.enterpriseId, 'LAST_30_DAYS', 'WILSON_SCORE', 2),
      );
    }
  });

  test('per-source range counts and calendar-month industry counts equal SQLite', async () => {
    const range = monthRange('2026-10')!;
    for (const industry of FIXTURE_INDUSTRIES) {
      const expected = await sqlite.periodStats(industry, range, 2);
      const actual = run(periodCountsPipeline(industry, range, 2), docs.daily);
      expect(actual.map((d) => [d._id, d.name, d.complaints, d.replied, d.completed, d.satCount])).toEqual(
        expected.map((e) => [
          e.enterpriseId,
          e.name,
          e.stats.complaints,
          e.stats.replied,
          e.stats.completed,
          e.stats.satisfactionCount,
        ]),
      );
    }
    const window = rollingWindow('LAST_90_DAYS', AS_OF);
    for (const enterprise of docs.enterprises.slice(0, 10)) {
      const { bySource } = await sqlite.enterpriseStats(String(enterprise._id), window);
      expect(
        run(rangeCountsPipeline(String(enterprise._id), window), docs.daily).map((d) => [
          d._id,
          d.complaints,
          d.completed,
        ]),
      ).toEqual(bySource.map((s) => [s.source, s.stats.complaints, s.stats.completed]));
    }
    expect(run(sourcesInPipeline(window), docs.sourceDaily).map((d) => d._id)).toEqual(await sqlite.sourcesIn(window));
  });

  test("the listing totals pipeline counts each enterprise's listings as SQLite does", async () => {
    const ids = docs.enterprises.map((d) => String(d._id));
    const totals = new Map(run(listingTotalsPipeline(ids), docs.daily).map((d) => [d._id, d.n]));
    for (const summary of await sqlite.enterprises(ids)) expect(totals.get(summary?.id)).toBe(summary?.listings);
  });

  test('the all-time median pipeline picks the middle delays of every enterprise, odd and even counts alike', () => {
    const today = cstDay(AS_OF);
    const ids = docs.enterprises.map((d) => String(d._id));
    const rows = new Map(run(allTimeMedianPipeline(ids, today), docs.delays).map((d) => [d._id, d]));
    const samples = new Set<number>();
    for (const id of ids) {
      const sorted = docs.delays
        .filter((d) => d.enterpriseId === id && d.day <= today)
        .map((d) => Number(d.replyMs))
        .sort((a, b) => a - b);
      const row = rows.get(id);
      if (!sorted.length) {
        expect(row).toBeUndefined();
        continue;
      }
      samples.add(sorted.length % 2);
      expect(row?.sample).toBe(sorted.length);
      const middle = sorted.length % 2 ? [row?.lower] : [row?.lower, row?.upper];
      expect(exactMedian(middle)).toBe(exactMedian(sorted));
    }
    expect(samples).toEqual(new Set([0, 1]));
  });
});

/**
 * Contract of every rollups adapter: applying ingestion's changes incrementally reads back the
 * same as rebuilding from the final listings. Compared through the read API, so it holds for
 * any storage layout.
 */
interface ContractRollups {
  reader: RollupReader;
  apply(changes: Array<{ before: ListingRecord | null; after: ListingRecord }>): Promise<void>;
  refresh(asOf: number): Promise<void>;
  rebuild(asOf: number, records: ListingRecord[]): Promise<void>;
  dispose(): Promise<void>;
}

function describeRollupsContract(name: string, make: (label: string) => Promise<ContractRollups>, enabled: boolean) {
  (enabled ? describe : describe.skip)(`rollups contract (${name})`, () => {
    test('incremental changes read back the same as a rebuild: enterprise figures, ranks and rankings', async () => {
      const incremental = await make('inc');
      const rebuilt = await make('reb');
      try {
        await incremental.refresh(AS_OF);
        const random = seededRandom(5);
        const current = new Map<string, ListingRecord>();
        const initial = randomListings(5, 400, { asOf: AS_OF, enterprises: 15 });
        await incremental.apply(initial.map((after) => ({ before: null, after })));
        for (const r of initial) current.set(`${r.source}:${r.externalId}`, r);
        const updates = [...current.values()]
          .filter(() => random() < 0.4)
          .map((before) => ({ before, after: progressed(before, random) }));
        await incremental.apply(updates);
        for (const u of updates) current.set(`${u.after.source}:${u.after.externalId}`, u.after);
        await rebuilt.rebuild(AS_OF, [...current.values()]);
        const ids = new Set([...current.values()].map((r) => r.enterpriseId));
        for (const window of ['LAST_7_DAYS', 'LAST_30_DAYS', 'LAST_90_DAYS', 'LAST_365_DAYS', 'ALL_TIME'] as const) {
          const range = rollingWindow(window, AS_OF);
          for (const id of ids) {
            expect(await incremental.reader.enterpriseStats(id, range)).toEqual(
              await rebuilt.reader.enterpriseStats(id, range),
            );
            expect(await incremental.reader.rank(id, window, 'WILSON_SCORE', 3)).toEqual(
              await rebuilt.reader.rank(id, window, 'WILSON_SCORE', 3),
            );
            expect(await incremental.reader.enterprise(id)).toEqual(await rebuilt.reader.enterprise(id));
          }
          for (const industry of FIXTURE_INDUSTRIES) {
            const request = {
              industry,
              window,
              metric: 'MEDIAN_REPLY_HOURS' as const,
              order: 'BEST_FIRST' as const,
              minComplaints: 1,
              offset: 0,
              limit: 100,
            };
            expect(await incremental.reader.rankings(request)).toEqual(await rebuilt.reader.rankings(request));
          }
        }
      } finally {
        await incremental.dispose();
        await rebuilt.dispose();
      }
    });

    test('batched figures and ranks equal one-enterprise reads, in the order asked, unknown ids included', async () => {
      const rollups = await make('batch');
      try {
        await rollups.refresh(AS_OF);
        const initial = randomListings(8, 300, { asOf: AS_OF, enterprises: 12 });
        await rollups.apply(initial.map((after) => ({ before: null, after })));
        const known = [...new Set(initial.map((r) => r.enterpriseId))].sort().reverse();
        const ids = [known[0], 'ent1_unknown00000000000', ...known, known[1]];
        let ranked = 0;
        for (const window of REPUTATION_WINDOWS) {
          const range = rollingWindow(window, AS_OF);
          const single = await Promise.all(ids.map((id) => rollups.reader.enterpriseStats(id, range)));
          expect(await rollups.reader.enterprisesStats(ids, range)).toEqual(single);
          for (const metric of ['WILSON_SCORE', 'MEDIAN_REPLY_HOURS'] as const) {
            const ranks = await Promise.all(ids.map((id) => rollups.reader.rank(id, window, metric, 2)));
            ranked += ranks.filter((rank) => rank !== null).length;
            expect(await rollups.reader.ranks(ids, window, metric, 2)).toEqual(ranks);
          }
        }
        expect(ranked).toBeGreaterThan(0);
        expect(await rollups.reader.enterprisesStats([], rollingWindow('ALL_TIME', AS_OF))).toEqual([]);
        expect(await rollups.reader.ranks([], 'ALL_TIME', 'WILSON_SCORE', 2)).toEqual([]);
      } finally {
        await rollups.dispose();
      }
    });
  });
}

describeRollupsContract(
  'sqlite',
  async (label) => {
    const file = openSqlite(join(dir, `contract-${label}.db`));
    const rollups = createSqliteRollups(file);
    return {
      reader: rollups,
      apply: async (changes) => rollups.applyChangesInTransaction(changes),
      refresh: async (asOf) => rollups.refreshWindows(asOf),
      rebuild: async (asOf, input) => rollups.rebuild(asOf, input),
      dispose: async () => file.close(),
    };
  },
  true,
);

// The MongoDB adapter's own code, end to end, over mingo (mongo-in-memory.ts): no server needed.
describeRollupsContract(
  'mongodb adapter in memory (mingo)',
  async () => {
    const { db: memory } = createMemoryDb();
    const rollups = createMongoRollups(memory);
    return {
      reader: rollups,
      apply: (changes) => rollups.applyChanges(changes),
      refresh: (asOf) => rollups.refreshWindows(asOf),
      async rebuild(asOf, input) {
        await memory
          .collection('contract_listings')
          .insertMany(input.map((r) => ({ _id: `${r.source}:${r.externalId}`, ...r }) as Document));
        await rollups.rebuild(asOf, 'contract_listings');
      },
      dispose: async () => {},
    };
  },
  true,
);

test('both adapters, applying the same netted batches, read back the same enterprises, figures and ranks', async () => {
  const { db: memory } = createMemoryDb();
  const mongo = createMongoRollups(memory);
  const file = openSqlite(join(dir, 'both-adapters.db'));
  const lite = createSqliteRollups(file);
  try {
    await mongo.refreshWindows(AS_OF);
    lite.refreshWindows(AS_OF);
    const random = seededRandom(21);
    const initial = randomListings(21, 300, { asOf: AS_OF, enterprises: 12 });
    const batches: ListingChange[][] = [initial.map((after) => ({ before: null, after }))];
    batches.push(initial.filter(() => random() < 0.5).map((before) => ({ before, after: progressed(before, random) })));
    for (const batch of batches) {
      await mongo.applyChanges(batch);
      lite.applyChangesInTransaction(batch);
    }
    const ids = [...new Set(initial.map((r) => r.enterpriseId))];
    expect(await mongo.enterprises(ids)).toEqual(await lite.enterprises(ids));
    for (const window of REPUTATION_WINDOWS) {
      const range = rollingWindow(window, AS_OF);
      for (const id of ids) {
        expect(await mongo.enterpriseStats(id, range)).toEqual(await lite.enterpriseStats(id, range));
        expect(await mongo.rank(id, window, 'MEDIAN_REPLY_HOURS', 2)).toEqual(
          await lite.rank(id, window, 'MEDIAN_REPLY_HOURS', 2),
        );
      }
      expect(await mongo.enterprisesStats(ids, range)).toEqual(await lite.enterprisesStats(ids, range));
      expect(await mongo.ranks(ids, window, 'WILSON_SCORE', 2)).toEqual(
        await lite.ranks(ids, window, 'WILSON_SCORE', 2),
      );
    }
  } finally {
    file.close();
  }
});

test('MongoDB batched figures and ranks cost the same round trips for 5 enterprises as for 50', async () => {
  const { db: memory, trips } = createMemoryDb();
  const rollups = createMongoRollups(memory);
  await rollups.refreshWindows(AS_OF);
  const initial = randomListings(17, 1500, { asOf: AS_OF, enterprises: 60 });
  await rollups.applyChanges(initial.map((after) => ({ before: null, after })));
  const ids = [...new Set(initial.map((r) => r.enterpriseId))];
  const range = rollingWindow('ALL_TIME', AS_OF);
  async function tripsOf(n: number) {
    trips.length = 0;
    await rollups.enterprisesStats(ids.slice(0, n), range);
    await rollups.ranks(ids.slice(0, n), 'ALL_TIME', 'WILSON_SCORE', 1);
    return [...trips];
  }
  const small = await tripsOf(5);
  const large = await tripsOf(50);
  expect(small).toEqual([
    { collection: 'rep_stats_daily', operation: 'aggregate' },
    { collection: 'rep_stats_reply_delays', operation: 'find' },
    { collection: 'rep_stats_window', operation: 'find' },
    { collection: 'rep_stats_window', operation: 'aggregate' },
  ]);
  expect(large).toEqual(small);
});

describe('MongoDB rollups: round trips per batch', () => {
  /** Applies `changes` to a fresh in-memory store already holding `initial`; the round trips of that batch. */
  async function tripsOfBatch(initial: ListingRecord[], changes: ListingChange[]) {
    const { db: memory, trips } = createMemoryDb();
    const rollups = createMongoRollups(memory);
    await rollups.refreshWindows(AS_OF);
    await rollups.applyChanges(initial.map((after) => ({ before: null, after })));
    trips.length = 0;
    await rollups.applyChanges(changes);
    return { trips: [...trips], rollups };
  }

  test('a batch costs the same few round trips whether it holds 10 changes or 500', async () => {
    const initial = randomListings(11, 600, { asOf: AS_OF, enterprises: 60 });
    // Each listing completed an hour after filing: status changes, the heaviest batch shape for the
    // windows (delays may move), in every enterprise the batch reaches.
    const changed = (n: number) =>
      initial.slice(0, n).map((before) => ({
        before,
        after: { ...before, status: 'COMPLETED' as const, completedAt: before.createdAt + 3_600_000 },
      }));
    const small = await tripsOfBatch(initial, changed(10));
    const large = await tripsOfBatch(initial, changed(500));
    expect(new Set(large.trips.map((t) => t.collection)).size).toBeGreaterThan(3);
    expect(large.trips.length).toBeLessThanOrEqual(15);
    expect(large.trips).toEqual(small.trips);
  });

  test('every write of a batch is one bulkWrite per collection, after the netting', async () => {
    const initial = randomListings(13, 300, { asOf: AS_OF, enterprises: 30 });
    const fresh = randomListings(14, 200, { asOf: AS_OF, enterprises: 30 });
    const { trips } = await tripsOfBatch(
      initial,
      fresh.map((after) => ({ before: null, after })),
    );
    const writes = trips.filter(
      (t) => !['find', 'findOne', 'aggregate', 'countDocuments', 'distinct'].includes(t.operation),
    );
    expect(writes.every((t) => t.operation === 'bulkWrite')).toBe(true);
    expect(new Set(writes.map((t) => t.collection)).size).toBe(writes.length);
  });

  test('a batch whose changes net to nothing writes nothing', async () => {
    const initial = randomListings(15, 100, { asOf: AS_OF, enterprises: 10 });
    const { trips } = await tripsOfBatch(
      initial,
      initial.map((before) => ({ before, after: { ...before, rawHash: 'rewritten', title: 'same figures' } })),
    );
    expect(trips.filter((t) => t.operation !== 'findOne')).toEqual([]);
  });
});

const mongoUri = process.env.MONGODB_URI;
describeRollupsContract(
  'mongodb',
  async (label) => {
    const { client, db: mongo } = await connectMongo(mongoUri!, `weiquan_test_rollups_${process.pid}_${label}`);
    await ensureIndexes(mongo, ROLLUP_INDEXES);
    const rollups = createMongoRollups(mongo);
    return {
      reader: rollups,
      apply: (changes) => rollups.applyChanges(changes),
      refresh: (asOf) => rollups.refreshWindows(asOf),
      async rebuild(asOf, input) {
        await mongo
          .collection('contract_listings')
          .insertMany(input.map((r) => ({ _id: `${r.source}:${r.externalId}`, ...r }) as Document));
        await rollups.rebuild(asOf, 'contract_listings');
      },
      async dispose() {
        await mongo.dropDatabase();
        await client.close();
      },
    };
  },
  Boolean(mongoUri),
);
