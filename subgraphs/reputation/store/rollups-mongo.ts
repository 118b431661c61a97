import type { ClientSession, Db, Document } from 'mongodb';
import { cleanDisplayName } from '../../../platform/enterprise/identity.ts';
import { ensureIndexes } from '../../../platform/store/mongo.ts';
import type { ListingChange } from '../domain/listing.ts';
import { descending, metricValue, type RankingMetric, type RankPosition } from '../domain/rankings.ts';
import { addCounts, type Counts, computeStats, exactMedian, zeroCounts } from '../domain/statistics.ts';
import { cstDay, type DayRange, type ReputationWindow } from '../domain/windows.ts';
import { createMongoRollupWriter } from './rollups-mongo-changes.ts';
import {
  ROLLUP_COLLECTIONS as C,
  ROLLUP_INDEXES,
  type CountsDoc,
  countsFromDoc,
  dailyRebuildPipeline,
  delaysFilter,
  delaysOfFilter,
  delaysRebuildPipeline,
  enterpriseNamesFilter,
  enterprisesFilter,
  periodCountsPipeline,
  rangeCountsOfPipeline,
  rankingFilter,
  rankingSort,
  sourcesInPipeline,
  standingPipeline,
  standingsPipeline,
  statsFromWindowDoc,
  type WindowDoc,
} from './rollups-mongo-pipelines.ts';
import type {
  EnterpriseRangeStats,
  EnterpriseSummary,
  PeriodRow,
  RankingPage,
  RankingRequest,
  RollupReader,
} from './rollups.ts';

/**
 * The MongoDB adapter of the statistics rollups (rollups.ts): one collection per kind of row (a
 * document per daily bucket and per reply delay, names, industries, enterprises, windows). Its
 * collections, indexes, filters and pipelines are pure builders in rollups-mongo-pipelines.ts; the
 * write path (the domain's netting, bulk writes) is rollups-mongo-changes.ts. This file holds the
 * rebuild (built aside and swapped in, see rebuildAndSwap), the day roll and the reads.
 */
export { ROLLUP_COLLECTIONS, ROLLUP_INDEXES } from './rollups-mongo-pipelines.ts';

export interface MongoRollups extends RollupReader {
  /** Pass as ingestion's `onChanges`: runs in the caller's session (its transaction). */
  applyChanges(changes: ListingChange[], session?: ClientSession): Promise<void>;
  rebuild(asOf: number, listingsCollection?: string): Promise<void>;
  refreshWindows(asOf: number): Promise<void>;
}

export function createMongoRollups(db: Db): MongoRollups {
  const col = (name: string) => db.collection<Document>(name);
  const writer = createMongoRollupWriter(db);
  const { asOfDay } = writer;

  async function refreshWindows(asOf: number, session?: ClientSession) {
    const today = cstDay(asOf);
    await col(C.state).replaceOne({ _id: 'as_of_day' } as Document, { value: today }, { upsert: true, session });
    await col(C.windows).deleteMany({}, { session });
    const ids = (
      await col(C.enterprises)
        .find({}, { session, projection: { _id: 1 } })
        .toArray()
    ).map((e) => String(e._id));
    await writer.refreshEnterprises(ids, today, session);
  }

  async function periodRows(industry: string, range: DayRange, minComplaints: number): Promise<PeriodRow[]> {
    const rows = await col(C.daily)
      .aggregate(periodCountsPipeline(industry, range, minComplaints))
      .toArray();
    const out: PeriodRow[] = [];
    for (const row of rows) {
      const delays = (
        await col(C.delays)
          .find(delaysFilter(String(row._id), range))
          .sort({ replyMs: 1 })
          .toArray()
      ).map((d) => Number(d.replyMs));
      out.push({
        enterpriseId: String(row._id),
        name: String(row.name),
        stats: computeStats(countsFromDoc(row as unknown as CountsDoc), exactMedian(delays), delays.length),
      });
    }
    return out;
  }

  async function standing(request: RankingRequest, desc: boolean, value: number) {
    const [doc] = await col(C.windows)
      .aggregate(standingPipeline(request, desc, value))
      .toArray();
    return { total: Number(doc?.total ?? 0), ahead: Number(doc?.ahead ?? 0), equal: Number(doc?.equal ?? 0) };
  }

  /** Two queries whatever the number of ids: the daily counts per enterprise and source, then the delays. */
  async function enterprisesStats(ids: readonly string[], range: DayRange): Promise<EnterpriseRangeStats[]> {
    const perSource = await col(C.daily).aggregate(rangeCountsOfPipeline(ids, range)).toArray();
    const delays = await col(C.delays).find(delaysOfFilter(ids, range)).sort({ replyMs: 1 }).toArray();
    const rowsOf = new Map<string, Document[]>();
    for (const row of perSource) {
      const id = String(row._id.enterpriseId);
      rowsOf.set(id, [...(rowsOf.get(id) ?? []), row]);
    }
    const delaysOf = new Map<string, Document[]>();
    for (const delay of delays) {
      const id = String(delay.enterpriseId);
      const own = delaysOf.get(id);
      if (own) own.push(delay);
      else delaysOf.set(id, [delay]);
    }
    return ids.map((id) => {
      const mine = delaysOf.get(id) ?? [];
      const all = mine.map((d) => Number(d.replyMs));
      let total = zeroCounts();
      const bySource = (rowsOf.get(id) ?? []).map((row) => {
        const counts = countsFromDoc(row as unknown as CountsDoc);
        total = addCounts(total, counts);
        const own = mine.filter((d) => d.source === row._id.source).map((d) => Number(d.replyMs));
        return { source: String(row._id.source), stats: computeStats(counts, exactMedian(own), own.length) };
      });
      return { total: computeStats(total, exactMedian(all), all.length), bySource };
    });
  }

  /** Two queries whatever the number of ids: their window rows, then every standing in one `$facet`. */
  async function ranks(
    ids: readonly string[],
    window: ReputationWindow,
    metric: RankingMetric,
    minComplaints: number,
  ): Promise<Array<RankPosition | null>> {
    const docs = (await col(C.windows)
      .find({ _id: { $in: ids.map((id) => `${window}|${id}`) } } as Document)
      .toArray()) as unknown as WindowDoc[];
    const ranked: Array<{ key: string; enterpriseId: string; industry: string; value: number }> = [];
    for (const doc of docs) {
      if (doc.industry === null || doc.complaints < minComplaints) continue;
      const value = metricValue(statsFromWindowDoc(doc), metric);
      if (value !== null)
        ranked.push({ key: `r${ranked.length}`, enterpriseId: doc.enterpriseId, industry: doc.industry, value });
    }
    const positions = new Map<string, RankPosition>();
    if (ranked.length > 0) {
      const desc = descending(metric, 'BEST_FIRST');
      const [facets] = await col(C.windows)
        .aggregate(standingsPipeline({ window, metric, minComplaints }, desc, ranked))
        .toArray();
      for (const entry of ranked) {
        const [s] = (facets?.[entry.key] ?? []) as Array<{ total?: number; ahead?: number; equal?: number }>;
        positions.set(entry.enterpriseId, {
          position: Number(s?.ahead ?? 0) + 1,
          outOf: Number(s?.total ?? 0),
          tie: Number(s?.equal ?? 0) > 1,
        });
      }
    }
    return ids.map((id) => positions.get(id) ?? null);
  }

  const summary = async (doc: Document): Promise<EnterpriseSummary> => ({
    id: String(doc._id),
    name: String(doc.name),
    industry: (doc.industry as string | null) ?? null,
    listings: Number(doc.listings),
    aliases: (
      await col(C.names)
        .find({ enterpriseId: doc._id, listings: { $gt: 0 } })
        .sort({ name: 1 })
        .toArray()
    ).map((n) => String(n.name)),
  });

  return {
    applyChanges: (changes, session) => writer.applyChanges(changes, session),
    rebuild: (asOf, listingsCollection = 'listings') => rebuildAndSwap(db, asOf, listingsCollection),
    refreshWindows: (asOf) => refreshWindows(asOf),
    async ensureCurrent(now) {
      if ((await asOfDay()) !== cstDay(now)) await refreshWindows(now);
    },
    async enterprise(id) {
      const doc = await col(C.enterprises).findOne({ _id: id } as Document);
      return doc ? summary(doc) : null;
    },
    async enterprises(ids) {
      const docs = await col(C.enterprises).find(enterprisesFilter(ids)).toArray();
      const names = await col(C.names).find(enterpriseNamesFilter(ids)).sort({ name: 1 }).toArray();
      const aliases = new Map<string, string[]>();
      for (const doc of names)
        aliases.set(String(doc.enterpriseId), [...(aliases.get(String(doc.enterpriseId)) ?? []), String(doc.name)]);
      const found = new Map(
        docs.map((doc) => [
          String(doc._id),
          {
            id: String(doc._id),
            name: String(doc.name),
            industry: (doc.industry as string | null) ?? null,
            listings: Number(doc.listings),
            aliases: aliases.get(String(doc._id)) ?? [],
          },
        ]),
      );
      return ids.map((id) => found.get(id) ?? null);
    },
    async searchEnterprises(text, limit) {
      const pattern = cleanDisplayName(text).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      const ids = await col(C.names).distinct('enterpriseId', { name: { $regex: pattern }, listings: { $gt: 0 } });
      const docs = await col(C.enterprises)
        .find({ _id: { $in: ids } } as Document)
        .sort({ listings: -1, _id: 1 })
        .limit(limit)
        .toArray();
      return Promise.all(docs.map(summary));
    },
    async enterpriseStats(enterpriseId, range): Promise<EnterpriseRangeStats> {
      return (await enterprisesStats([enterpriseId], range))[0];
    },
    enterprisesStats,
    async rank(enterpriseId, window, metric, minComplaints): Promise<RankPosition | null> {
      return (await ranks([enterpriseId], window, metric, minComplaints))[0];
    },
    ranks,
    async rankings(request): Promise<RankingPage> {
      const desc = descending(request.metric, request.order);
      const filter = rankingFilter(request);
      const total = await col(C.windows).countDocuments(filter);
      const docs = (await col(C.windows)
        .find(filter)
        .sort(rankingSort(request.metric, desc))
        .skip(request.offset)
        .limit(request.limit + 1)
        .toArray()) as unknown as WindowDoc[];
      const names = new Map(
        (
          await col(C.enterprises)
            .find({ _id: { $in: docs.map((d) => d.enterpriseId) } } as Document)
            .toArray()
        ).map((e) => [String(e._id), String(e.name)]),
      );
      const values = docs.map((d) => metricValue(statsFromWindowDoc(d), request.metric) as number);
      const rows: RankingPage['rows'] = [];
      let position = 0;
      for (let i = 0; i < Math.min(docs.length, request.limit); i++) {
        let tie: boolean;
        if (i === 0) {
          const first = await standing(request, desc, values[0]);
          position = first.ahead + 1;
          tie = first.equal > 1;
        } else {
          position = values[i] === values[i - 1] ? position : request.offset + i + 1;
          tie = values[i] === values[i - 1] || (i + 1 < docs.length && values[i] === values[i + 1]);
        }
        rows.push({
          enterpriseId: docs[i].enterpriseId,
          name: names.get(docs[i].enterpriseId) ?? docs[i].enterpriseId,
          industry: docs[i].industry,
          stats: statsFromWindowDoc(docs[i]),
          position,
          tie,
        });
      }
      return { rows, total, asOfDay: (await asOfDay()) ?? 0 };
    },
    periodStats: periodRows,
    async industryStats(industry, range) {
      const rows = await col(C.daily)
        .aggregate(periodCountsPipeline(industry, range, 0))
        .toArray();
      const counts = rows.reduce<Counts>(
        (acc, row) => addCounts(acc, countsFromDoc(row as unknown as CountsDoc)),
        zeroCounts(),
      );
      const ids = rows.map((row) => String(row._id));
      const delays = (
        await col(C.delays)
          .find({ enterpriseId: { $in: ids }, day: { $gte: range.fromDay, $lte: range.toDay } })
          .sort({ replyMs: 1 })
          .toArray()
      ).map((d) => Number(d.replyMs));
      return computeStats(counts, exactMedian(delays), delays.length);
    },
    async sourcesIn(range) {
      return (await col(C.sourceDaily).aggregate(sourcesInPipeline(range)).toArray()).map((d) => String(d._id));
    },
  };
}

/** Where a rebuild writes each rollup collection before it is swapped in. */
export function stagingCollection(name: string): string {
  return `${name}__rebuild`;
}

const isNamespaceNotFound = (error: unknown) => (error as { code?: unknown } | null)?.code === 26;

/**
 * Rebuilds every rollup collection from the listings without readers ever seeing them empty or
 * half-built: each is built into a staging collection (`<name>__rebuild`, with its indexes),
 * then renamed over the live one (`dropTarget`; each rename is atomic). During the build,
 * readers see the old rollups, complete; during the swap (a few renames), a reader may see some
 * new collections beside old ones, each complete. MongoDB takes no renameCollection inside a
 * transaction, and one transaction rewriting every rollup would outgrow its limits. Run it while
 * ingestion is stopped (`npm run stats:rebuild`): batches applied during the build are not in
 * the rebuilt rollups. The rollups must not be sharded (renameCollection refuses sharded ones).
 */
async function rebuildAndSwap(db: Db, asOf: number, listingsCollection: string): Promise<void> {
  const names = Object.values(C);
  // Leftovers of an interrupted rebuild are dropped, never swapped in.
  for (const name of names) {
    await db
      .collection(stagingCollection(name))
      .drop()
      .catch((error: unknown) => {
        if (!isNamespaceNotFound(error)) throw error;
      });
  }
  await ensureIndexes(
    db,
    Object.fromEntries(Object.entries(ROLLUP_INDEXES).map(([name, specs]) => [stagingCollection(name), specs])),
  );
  const staging = { collection: (name: string) => db.collection(stagingName(name)) } as unknown as Db;
  await buildRollups(staging, asOf, listingsCollection);
  // Data first, the derived collections (enterprises, windows, the as-of day) last.
  for (const name of names) {
    await db.collection(stagingCollection(name)).rename(name, { dropTarget: true });
  }
}

/** A rollup collection's staging name; any other collection (the listings) keeps its own. */
function stagingName(name: string): string {
  return (Object.values(C) as string[]).includes(name) ? stagingCollection(name) : name;
}

/** Builds every rollup collection of `db` (the staging view of rebuildAndSwap) from the listings. */
async function buildRollups(db: Db, asOf: number, listingsCollection: string): Promise<void> {
  const col = (name: string) => db.collection<Document>(name);
  const into = (name: string) => stagingCollection(name);
  await col(listingsCollection)
    .aggregate([...dailyRebuildPipeline(), { $merge: { into: into(C.daily), whenMatched: 'replace' } }])
    .toArray();
  await col(listingsCollection)
    .aggregate([...delaysRebuildPipeline(), { $merge: { into: into(C.delays), whenMatched: 'replace' } }])
    .toArray();
  await col(C.daily)
    .aggregate([
      { $group: { _id: { source: '$source', day: '$day' }, complaints: { $sum: '$complaints' } } },
      {
        $project: {
          _id: { $concat: ['$_id.source', '|', { $toString: '$_id.day' }] },
          source: '$_id.source',
          day: '$_id.day',
          complaints: 1,
        },
      },
      { $merge: { into: into(C.sourceDaily), whenMatched: 'replace' } },
    ])
    .toArray();
  await col(listingsCollection)
    .aggregate([
      { $match: { industry: { $nin: [null, ''] } } },
      { $group: { _id: { enterpriseId: '$enterpriseId', industry: '$industry' }, listings: { $sum: 1 } } },
      {
        $project: {
          _id: { $concat: ['$_id.enterpriseId', '|', '$_id.industry'] },
          enterpriseId: '$_id.enterpriseId',
          industry: '$_id.industry',
          listings: 1,
        },
      },
      { $merge: { into: into(C.industries), whenMatched: 'replace' } },
    ])
    .toArray();
  // Names are cleaned in code (NFKC, entities), as in SQLite: tally raw names, fold, then write.
  const names = new Map<string, { enterpriseId: string; name: string; listings: number }>();
  for await (const row of col(listingsCollection).aggregate([
    { $group: { _id: { enterpriseId: '$enterpriseId', name: '$enterpriseName' }, n: { $sum: 1 } } },
  ])) {
    const name = cleanDisplayName(String(row._id.name));
    const key = `${row._id.enterpriseId}|${name}`;
    const entry = names.get(key) ?? { enterpriseId: String(row._id.enterpriseId), name, listings: 0 };
    entry.listings += Number(row.n);
    names.set(key, entry);
  }
  if (names.size) await col(C.names).insertMany([...names].map(([key, v]) => ({ _id: key, ...v }) as Document));
  const staged = createMongoRollups(db);
  const ids = (await col(C.daily).distinct('enterpriseId')).map(String);
  await createMongoRollupWriter(db).refreshEnterprises(ids, null);
  await staged.refreshWindows(asOf);
}
