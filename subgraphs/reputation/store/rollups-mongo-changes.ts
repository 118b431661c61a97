import type { AnyBulkWriteOperation, ClientSession, Db, Document } from 'mongodb';
import { type NettedChanges, netListingChanges } from '../domain/change-netting.ts';
import type { ListingChange } from '../domain/listing.ts';
import {
  addCounts,
  type Counts,
  countsOf,
  exactMedian,
  type ListingContribution,
  materialiseWindows,
  zeroCounts,
} from '../domain/statistics.ts';
import { rollingWindow } from '../domain/windows.ts';
import {
  allTimeMedianPipeline,
  type CountsDoc,
  countsFromDoc,
  delaysOfFilter,
  listingTotalsPipeline,
  ROLLUP_COLLECTIONS as C,
} from './rollups-mongo-pipelines.ts';

/**
 * The write path of the MongoDB rollups. A batch of listing changes is netted by the domain
 * (domain/change-netting.ts, as on SQLite), turned into one list of bulk operations per collection
 * (`changeWrites`, pure), written with one `bulkWrite` each, and then the touched enterprises'
 * summaries and windows are recomputed together (`refreshEnterprises`): a constant number of round
 * trips per batch, whatever its size, instead of several per listing.
 */

const DAY = 86_400_000;

/** Rollup documents are keyed by strings built from their fields, never by ObjectIds. */
export interface RollupDocument extends Document {
  _id: string;
}

/** Enterprises per `refreshEnterprises` round: keeps each `$in` and each bulk write moderate. */
export const ENTERPRISES_PER_ROUND = 1_000;

export interface CollectionWrites {
  collection: string;
  ops: AnyBulkWriteOperation<RollupDocument>[];
}

function isZero(counts: Counts): boolean {
  return (
    counts.complaints === 0 &&
    counts.replied === 0 &&
    counts.completed === 0 &&
    counts.satisfactionSum === 0 &&
    counts.satisfactionCount === 0
  );
}

/**
 * The bulk operations that apply a netted batch to the daily buckets, source days, reply delays,
 * names and industries, in that order; collections with nothing to write are left out. A count
 * that may have reached zero is followed by a conditional delete of its document.
 */
export function changeWrites(net: NettedChanges): CollectionWrites[] {
  const buckets = new Map<string, { enterpriseId: string; day: number; source: string; counts: Counts }>();
  const move = (c: ListingContribution, sign: 1 | -1) => {
    const id = `${c.enterpriseId}|${c.day}|${c.source}`;
    const bucket = buckets.get(id) ?? {
      enterpriseId: c.enterpriseId,
      day: c.day,
      source: c.source,
      counts: zeroCounts(),
    };
    bucket.counts = addCounts(bucket.counts, countsOf(c, sign));
    buckets.set(id, bucket);
  };
  for (const { removed, added } of net.moved.values()) {
    for (const c of removed) move(c, -1);
    for (const c of added) move(c, 1);
  }
  const daily: AnyBulkWriteOperation<RollupDocument>[] = [];
  for (const [id, { enterpriseId, day, source, counts }] of buckets) {
    if (isZero(counts)) continue;
    daily.push({
      updateOne: {
        filter: { _id: id },
        update: {
          $inc: {
            complaints: counts.complaints,
            replied: counts.replied,
            completed: counts.completed,
            satSum: counts.satisfactionSum,
            satCount: counts.satisfactionCount,
          },
          $setOnInsert: { enterpriseId, day, source },
        },
        upsert: true,
      },
    });
    if (counts.complaints < 0) daily.push({ deleteOne: { filter: { _id: id, complaints: { $lte: 0 } } } });
  }
  const sourceDaily: AnyBulkWriteOperation<RollupDocument>[] = [];
  for (const { source, day, n } of net.sourceDays) {
    const id = `${source}|${day}`;
    sourceDaily.push({
      updateOne: {
        filter: { _id: id },
        update: { $inc: { complaints: n }, $setOnInsert: { source, day } },
        upsert: true,
      },
    });
    if (n < 0) sourceDaily.push({ deleteOne: { filter: { _id: id, complaints: { $lte: 0 } } } });
  }
  const delays: AnyBulkWriteOperation<RollupDocument>[] = [];
  for (const [id, c] of net.latest) {
    delays.push(
      c.replyDelayMs === null
        ? { deleteOne: { filter: { _id: id } } }
        : {
            replaceOne: {
              filter: { _id: id },
              replacement: {
                source: c.source,
                externalId: c.externalId,
                enterpriseId: c.enterpriseId,
                day: c.day,
                replyMs: c.replyDelayMs,
              },
              upsert: true,
            },
          },
    );
  }
  const names: AnyBulkWriteOperation<RollupDocument>[] = [];
  const industries: AnyBulkWriteOperation<RollupDocument>[] = [];
  const tally = (
    ops: AnyBulkWriteOperation<RollupDocument>[],
    enterpriseId: string,
    field: string,
    value: string,
    n: number,
  ) => {
    const id = `${enterpriseId}|${value}`;
    ops.push({
      updateOne: {
        filter: { _id: id },
        update: { $inc: { listings: n }, $setOnInsert: { enterpriseId, [field]: value } },
        upsert: true,
      },
    });
    if (n < 0) ops.push({ deleteOne: { filter: { _id: id, listings: { $lte: 0 } } } });
  };
  for (const [enterpriseId, counts] of net.counts) {
    for (const [name, n] of counts.names) tally(names, enterpriseId, 'name', name, n);
    for (const [industry, n] of counts.industries) tally(industries, enterpriseId, 'industry', industry, n);
  }
  return [
    { collection: C.daily, ops: daily },
    { collection: C.sourceDaily, ops: sourceDaily },
    { collection: C.delays, ops: delays },
    { collection: C.names, ops: names },
    { collection: C.industries, ops: industries },
  ].filter((writes) => writes.ops.length > 0);
}

/** The most frequent value among documents sorted by enterprise, then count descending, then value. */
function topPerEnterprise(docs: Document[], field: string): Map<string, string> {
  const top = new Map<string, string>();
  for (const doc of docs) if (!top.has(String(doc.enterpriseId))) top.set(String(doc.enterpriseId), String(doc[field]));
  return top;
}

function groupByEnterprise<T>(docs: Document[], pick: (doc: Document) => T): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const doc of docs) {
    const id = String(doc.enterpriseId);
    const list = out.get(id);
    if (list) list.push(pick(doc));
    else out.set(id, [pick(doc)]);
  }
  return out;
}

export interface MongoRollupWriter {
  /** Applies a batch in the caller's session (its transaction). */
  applyChanges(changes: ListingChange[], session?: ClientSession): Promise<void>;
  /**
   * Recomputes the summaries of these enterprises (and, unless `today` is null, their windows as
   * of that CST day) from their buckets, delays, names and industries; an enterprise left without
   * listings loses its summary and windows.
   */
  refreshEnterprises(ids: readonly string[], today: number | null, session?: ClientSession): Promise<void>;
  asOfDay(session?: ClientSession): Promise<number | null>;
}

export function createMongoRollupWriter(db: Db): MongoRollupWriter {
  const col = (name: string) => db.collection<RollupDocument>(name);

  async function asOfDay(session?: ClientSession): Promise<number | null> {
    const doc = await col(C.state).findOne({ _id: 'as_of_day' }, { session });
    return doc ? Number(doc.value) : null;
  }

  async function refreshRound(ids: readonly string[], today: number | null, session?: ClientSession) {
    const totals = await col(C.daily).aggregate(listingTotalsPipeline(ids), { session }).toArray();
    const listings = new Map(totals.map((doc) => [String(doc._id), Number(doc.n ?? 0)]));
    const live = ids.filter((id) => (listings.get(id) ?? 0) > 0);
    const gone = ids.filter((id) => (listings.get(id) ?? 0) <= 0);
    // One operation at a time: a session (a transaction) takes no concurrent operations.
    const enterpriseOps: AnyBulkWriteOperation<RollupDocument>[] = gone.map((id) => ({
      deleteOne: { filter: { _id: id } },
    }));
    if (gone.length) await col(C.windows).deleteMany({ enterpriseId: { $in: gone } }, { session });
    const industryOf = new Map<string, string | null>();
    if (live.length) {
      const of = { enterpriseId: { $in: live }, listings: { $gt: 0 } };
      const names = await col(C.names).find(of, { session }).sort({ enterpriseId: 1, listings: -1, name: 1 }).toArray();
      const industries = await col(C.industries)
        .find(of, { session })
        .sort({ enterpriseId: 1, listings: -1, industry: 1 })
        .toArray();
      const topName = topPerEnterprise(names, 'name');
      const topIndustry = topPerEnterprise(industries, 'industry');
      for (const id of live) {
        const industry = topIndustry.get(id) ?? null;
        industryOf.set(id, industry);
        enterpriseOps.push({
          replaceOne: {
            filter: { _id: id },
            replacement: { name: topName.get(id) ?? id, industry, listings: listings.get(id) },
            upsert: true,
          },
        });
      }
    }
    if (enterpriseOps.length) await col(C.enterprises).bulkWrite(enterpriseOps, { session, ordered: false });
    if (today === null || !live.length) return;
    const longest = rollingWindow('LAST_365_DAYS', today * DAY);
    const dailyDocs = await col(C.daily)
      .find({ enterpriseId: { $in: live } }, { session })
      .toArray();
    const recentDocs = await col(C.delays)
      .find(delaysOfFilter(live, { ...longest, toDay: today }), { session })
      .sort({ replyMs: 1 })
      .toArray();
    const medianDocs = await col(C.delays).aggregate(allTimeMedianPipeline(live, today), { session }).toArray();
    const daily = groupByEnterprise(dailyDocs, (d) => ({
      day: Number(d.day),
      ...countsFromDoc(d as unknown as CountsDoc),
    }));
    const recent = groupByEnterprise(recentDocs, (d) => ({ day: Number(d.day), replyMs: Number(d.replyMs) }));
    const medians = new Map(
      medianDocs.map((d) => {
        const sample = Number(d.sample);
        const middle = sample % 2 === 1 ? [Number(d.lower)] : [Number(d.lower), Number(d.upper)];
        return [String(d._id), { median: exactMedian(middle), sample }];
      }),
    );
    const windowOps: AnyBulkWriteOperation<RollupDocument>[] = [];
    for (const enterpriseId of live) {
      const allTime = medians.get(enterpriseId) ?? { median: null, sample: 0 };
      const windows = materialiseWindows(daily.get(enterpriseId) ?? [], recent.get(enterpriseId) ?? [], allTime, today);
      for (const { window, counts, stats } of windows) {
        windowOps.push({
          replaceOne: {
            filter: { _id: `${window}|${enterpriseId}` },
            replacement: {
              window,
              enterpriseId,
              industry: industryOf.get(enterpriseId) ?? null,
              complaints: counts.complaints,
              replied: counts.replied,
              completed: counts.completed,
              satSum: counts.satisfactionSum,
              satCount: counts.satisfactionCount,
              replyRate: stats.replyRate,
              completionRate: stats.completionRate,
              wilson: stats.wilsonScore,
              medianReplyHours: stats.medianReplyHours,
              replySample: stats.replyDelaySampleSize,
              satMean: stats.satisfactionMean,
            },
            upsert: true,
          },
        });
      }
    }
    await col(C.windows).bulkWrite(windowOps, { session, ordered: false });
  }

  async function refreshEnterprises(ids: readonly string[], today: number | null, session?: ClientSession) {
    for (let i = 0; i < ids.length; i += ENTERPRISES_PER_ROUND) {
      await refreshRound(ids.slice(i, i + ENTERPRISES_PER_ROUND), today, session);
    }
  }

  return {
    asOfDay,
    refreshEnterprises,
    async applyChanges(changes, session) {
      const net = netListingChanges(changes);
      const touched = [...new Set([...net.moved.keys(), ...net.counts.keys()])];
      if (!touched.length) return;
      // Ordered: a document's conditional delete follows the increment that may empty it.
      for (const { collection, ops } of changeWrites(net))
        await col(collection).bulkWrite(ops, { session, ordered: true });
      await refreshEnterprises(touched, await asOfDay(session), session);
    },
  };
}
