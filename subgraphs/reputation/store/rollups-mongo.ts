import type { ClientSession, Db, Document, IndexDescription } from 'mongodb';
import { cleanDisplayName } from '../../../platform/enterprise/identity.ts';
import type { ListingChange, ListingRecord } from '../domain/listing.ts';
import { descending, metricValue, type RankingMetric, type RankPosition } from '../domain/rankings.ts';
import {
  addCounts,
  computeStats,
  contributionOf,
  countsOf,
  exactMedian,
  materialiseWindows,
  medianPositions,
  zeroCounts,
  type Counts,
  type ListingContribution,
  type ReputationStats,
} from '../domain/statistics.ts';
import { cstDay, rollingWindow, type DayRange } from '../domain/windows.ts';
import type {
  EnterpriseRangeStats,
  EnterpriseSummary,
  PeriodRow,
  RankingPage,
  RankingRequest,
  RollupReader,
} from './rollups.ts';

/**
 * The MongoDB adapter of the statistics rollups: same layout as SQLite (see rollups.ts), one
 * collection per table. Every filter and pipeline is an exported pure builder, so tests evaluate
 * them with mingo over the same fixtures as the SQLite adapter. Medians are never computed with
 * `$median`/`$percentile`: delays are read sorted by an index and the middle is taken in code.
 */
export const ROLLUP_COLLECTIONS = {
  daily: 'rep_stats_daily',
  delays: 'rep_stats_reply_delays',
  sourceDaily: 'rep_stats_source_daily',
  names: 'rep_enterprise_names',
  industries: 'rep_enterprise_industries',
  enterprises: 'rep_enterprises',
  windows: 'rep_stats_window',
  state: 'rep_stats_state',
} as const;

const C = ROLLUP_COLLECTIONS;

export const ROLLUP_INDEXES: Record<string, IndexDescription[]> = {
  [C.daily]: [
    { key: { enterpriseId: 1, day: 1, source: 1 }, name: 'enterprise_day_source', unique: true },
    { key: { day: 1 }, name: 'day' },
  ],
  [C.delays]: [
    { key: { enterpriseId: 1, day: 1, replyMs: 1 }, name: 'enterprise_day_delay' },
    { key: { enterpriseId: 1, replyMs: 1 }, name: 'enterprise_delay' },
  ],
  [C.sourceDaily]: [{ key: { day: 1, source: 1 }, name: 'day_source' }],
  [C.names]: [
    { key: { enterpriseId: 1, listings: -1, name: 1 }, name: 'enterprise_top' },
    { key: { name: 1 }, name: 'name' },
  ],
  [C.industries]: [{ key: { enterpriseId: 1, listings: -1, industry: 1 }, name: 'enterprise_top' }],
  [C.enterprises]: [{ key: { industry: 1 }, name: 'industry' }],
  [C.windows]: (['wilson', 'replyRate', 'completionRate', 'complaints', 'medianReplyHours', 'satMean'] as const).map(
    (field) => ({
      key: { window: 1, industry: 1, [field]: 1, enterpriseId: 1 },
      name: `window_industry_${field}`,
    }),
  ),
};

/** The stored field each metric orders by. */
export const METRIC_FIELD: Record<RankingMetric, string> = {
  WILSON_SCORE: 'wilson',
  REPLY_RATE: 'replyRate',
  COMPLETION_RATE: 'completionRate',
  COMPLAINTS: 'complaints',
  MEDIAN_REPLY_HOURS: 'medianReplyHours',
  SATISFACTION: 'satMean',
};

const CST_MS = 8 * 3600_000;
const DAY = 86_400_000;

/** `contributionOf` (domain/statistics.ts) as aggregation expressions over listing documents. */
export function contributionStage(): Document {
  const completed = { $or: [{ $eq: ['$status', 'COMPLETED'] }, { $ne: [{ $ifNull: ['$completedAt', null] }, null] }] };
  return {
    $project: {
      _id: 0,
      source: 1,
      externalId: 1,
      enterpriseId: 1,
      day: { $floor: { $divide: [{ $add: ['$createdAt', CST_MS] }, DAY] } },
      completed: { $cond: [completed, 1, 0] },
      replied: {
        $cond: [
          {
            $or: [
              completed,
              { $in: ['$status', ['REPLIED', 'COMPLETED']] },
              { $ne: [{ $ifNull: ['$repliedAt', null] }, null] },
            ],
          },
          1,
          0,
        ],
      },
      satisfaction: {
        $cond: [
          {
            $and: [{ $gte: [{ $ifNull: ['$satisfaction', 0] }, 1] }, { $lte: [{ $ifNull: ['$satisfaction', 0] }, 5] }],
          },
          '$satisfaction',
          null,
        ],
      },
      replyMs: {
        $cond: [
          { $eq: [{ $ifNull: ['$repliedAt', null] }, null] },
          null,
          { $max: [0, { $subtract: ['$repliedAt', '$createdAt'] }] },
        ],
      },
    },
  };
}

/** Rebuild: daily buckets from the raw listings collection (the adapter appends `$merge`). */
export function dailyRebuildPipeline(): Document[] {
  return [
    contributionStage(),
    {
      $group: {
        _id: { enterpriseId: '$enterpriseId', day: '$day', source: '$source' },
        complaints: { $sum: 1 },
        replied: { $sum: '$replied' },
        completed: { $sum: '$completed' },
        // $sum skips nulls and $cond keeps the count honest (mingo's $push would keep nulls).
        satSum: { $sum: { $ifNull: ['$satisfaction', 0] } },
        satCount: { $sum: { $cond: [{ $eq: ['$satisfaction', null] }, 0, 1] } },
      },
    },
    {
      $project: {
        _id: { $concat: ['$_id.enterpriseId', '|', { $toString: '$_id.day' }, '|', '$_id.source'] },
        enterpriseId: '$_id.enterpriseId',
        day: '$_id.day',
        source: '$_id.source',
        complaints: 1,
        replied: 1,
        completed: 1,
        satSum: 1,
        satCount: 1,
      },
    },
  ];
}

/** Rebuild: one reply-delay document per listing with a published reply time. */
export function delaysRebuildPipeline(): Document[] {
  return [
    contributionStage(),
    { $match: { replyMs: { $ne: null } } },
    {
      $project: {
        _id: { $concat: ['$source', ':', '$externalId'] },
        source: 1,
        externalId: 1,
        enterpriseId: 1,
        day: 1,
        replyMs: 1,
      },
    },
  ];
}

/** Per-source counts of one enterprise over a range, from daily buckets. */
export function rangeCountsPipeline(enterpriseId: string, range: DayRange): Document[] {
  return [
    { $match: { enterpriseId, day: { $gte: range.fromDay, $lte: range.toDay } } },
    {
      $group: {
        _id: '$source',
        complaints: { $sum: '$complaints' },
        replied: { $sum: '$replied' },
        completed: { $sum: '$completed' },
        satSum: { $sum: '$satSum' },
        satCount: { $sum: '$satCount' },
      },
    },
    { $sort: { _id: 1 } },
  ];
}

/** Reply delays of an enterprise (optionally one source) in a range; sort by `{ replyMs: 1 }`. */
export function delaysFilter(enterpriseId: string, range: DayRange): Document {
  return { enterpriseId, day: { $gte: range.fromDay, $lte: range.toDay } };
}

/** Rows that qualify for a ranking. */
export function rankingFilter(
  request: Pick<RankingRequest, 'window' | 'industry' | 'minComplaints' | 'metric'>,
): Document {
  const field = METRIC_FIELD[request.metric];
  // COMPLAINTS is both the sample-size filter and the metric: one key, or the second would replace the first.
  return {
    window: request.window,
    industry: request.industry,
    complaints: { $gte: request.minComplaints },
    ...(field === 'complaints' ? {} : { [field]: { $ne: null } }),
  };
}

export function rankingSort(metric: RankingMetric, descendingOrder: boolean): Record<string, 1 | -1> {
  return { [METRIC_FIELD[metric]]: descendingOrder ? -1 : 1, enterpriseId: 1 };
}

/** How many qualify, how many are strictly better than `value`, and how many equal it. */
export function standingPipeline(
  request: Pick<RankingRequest, 'window' | 'industry' | 'minComplaints' | 'metric'>,
  descendingOrder: boolean,
  value: number,
): Document[] {
  const field = `$${METRIC_FIELD[request.metric]}`;
  return [
    { $match: rankingFilter(request) },
    {
      $group: {
        _id: null,
        total: { $sum: 1 },
        ahead: { $sum: { $cond: [{ [descendingOrder ? '$gt' : '$lt']: [field, value] }, 1, 0] } },
        equal: { $sum: { $cond: [{ $eq: [field, value] }, 1, 0] } },
      },
    },
  ];
}

/** Per-enterprise counts of an industry over any range (calendar months), from daily buckets. */
export function periodCountsPipeline(industry: string, range: DayRange, minComplaints: number): Document[] {
  return [
    { $match: { day: { $gte: range.fromDay, $lte: range.toDay } } },
    {
      $group: {
        _id: '$enterpriseId',
        complaints: { $sum: '$complaints' },
        replied: { $sum: '$replied' },
        completed: { $sum: '$completed' },
        satSum: { $sum: '$satSum' },
        satCount: { $sum: '$satCount' },
      },
    },
    { $match: { complaints: { $gte: Math.max(minComplaints, 1) } } },
    { $lookup: { from: C.enterprises, localField: '_id', foreignField: '_id', as: 'enterprise' } },
    { $unwind: '$enterprise' },
    { $match: { 'enterprise.industry': industry } },
    { $project: { _id: 1, name: '$enterprise.name', complaints: 1, replied: 1, completed: 1, satSum: 1, satCount: 1 } },
    { $sort: { _id: 1 } },
  ];
}

/** Sources with listings in a range. */
export function sourcesInPipeline(range: DayRange): Document[] {
  return [
    { $match: { day: { $gte: range.fromDay, $lte: range.toDay }, complaints: { $gt: 0 } } },
    { $group: { _id: '$source' } },
    { $sort: { _id: 1 } },
  ];
}

interface CountsDoc {
  complaints: number;
  replied: number;
  completed: number;
  satSum: number;
  satCount: number;
}

export function countsFromDoc(doc: Partial<CountsDoc> | undefined | null): Counts {
  return {
    complaints: doc?.complaints ?? 0,
    replied: doc?.replied ?? 0,
    completed: doc?.completed ?? 0,
    satisfactionSum: doc?.satSum ?? 0,
    satisfactionCount: doc?.satCount ?? 0,
  };
}

interface WindowDoc extends CountsDoc {
  window: string;
  enterpriseId: string;
  industry: string | null;
  medianReplyHours: number | null;
  replySample: number;
}

export function statsFromWindowDoc(doc: WindowDoc): ReputationStats {
  return {
    ...computeStats(countsFromDoc(doc), null, 0),
    medianReplyHours: doc.medianReplyHours,
    replyDelaySampleSize: doc.replySample,
  };
}

/** The enterprises with these ids (one query for any number of ids). */
export function enterprisesFilter(ids: readonly string[]): Document {
  return { _id: { $in: [...ids] } };
}

/** Their published names that still have listings, for the aliases. */
export function enterpriseNamesFilter(ids: readonly string[]): Document {
  return { enterpriseId: { $in: [...ids] }, listings: { $gt: 0 } };
}

export interface MongoRollups extends RollupReader {
  /** Pass as ingestion's `onChanges`: runs in the caller's session (its transaction). */
  applyChanges(changes: ListingChange[], session?: ClientSession): Promise<void>;
  rebuild(asOf: number, listingsCollection?: string): Promise<void>;
  refreshWindows(asOf: number): Promise<void>;
}

export function createMongoRollups(db: Db): MongoRollups {
  const col = (name: string) => db.collection<Document>(name);

  async function asOfDay(session?: ClientSession): Promise<number | null> {
    const doc = await col(C.state).findOne({ _id: 'as_of_day' } as Document, { session });
    return doc ? Number(doc.value) : null;
  }

  async function applyContribution(
    c: ListingContribution,
    record: ListingRecord,
    sign: 1 | -1,
    session?: ClientSession,
  ) {
    const counts = countsOf(c, sign);
    const dailyId = `${c.enterpriseId}|${c.day}|${c.source}`;
    await col(C.daily).updateOne(
      { _id: dailyId } as Document,
      {
        $inc: {
          complaints: counts.complaints,
          replied: counts.replied,
          completed: counts.completed,
          satSum: counts.satisfactionSum,
          satCount: counts.satisfactionCount,
        },
        $setOnInsert: { enterpriseId: c.enterpriseId, day: c.day, source: c.source },
      },
      { upsert: true, session },
    );
    await col(C.sourceDaily).updateOne(
      { _id: `${c.source}|${c.day}` } as Document,
      { $inc: { complaints: sign }, $setOnInsert: { source: c.source, day: c.day } },
      { upsert: true, session },
    );
    const delayId = `${c.source}:${c.externalId}`;
    if (sign < 0) {
      await col(C.daily).deleteOne({ _id: dailyId, complaints: { $lte: 0 } } as Document, { session });
      await col(C.sourceDaily).deleteOne({ _id: `${c.source}|${c.day}`, complaints: { $lte: 0 } } as Document, {
        session,
      });
      await col(C.delays).deleteOne({ _id: delayId } as Document, { session });
    } else if (c.replyDelayMs !== null) {
      await col(C.delays).replaceOne(
        { _id: delayId } as Document,
        {
          source: c.source,
          externalId: c.externalId,
          enterpriseId: c.enterpriseId,
          day: c.day,
          replyMs: c.replyDelayMs,
        },
        { upsert: true, session },
      );
    }
    const name = cleanDisplayName(record.enterpriseName);
    await col(C.names).updateOne(
      { _id: `${c.enterpriseId}|${name}` } as Document,
      { $inc: { listings: sign }, $setOnInsert: { enterpriseId: c.enterpriseId, name } },
      { upsert: true, session },
    );
    if (record.industry) {
      await col(C.industries).updateOne(
        { _id: `${c.enterpriseId}|${record.industry}` } as Document,
        { $inc: { listings: sign }, $setOnInsert: { enterpriseId: c.enterpriseId, industry: record.industry } },
        { upsert: true, session },
      );
    }
  }

  async function allTimeMedian(enterpriseId: string, toDay: number, session?: ClientSession) {
    const filter = { enterpriseId, day: { $lte: toDay } };
    const n = await col(C.delays).countDocuments(filter, { session });
    const values: number[] = [];
    for (const offset of medianPositions(n)) {
      const [doc] = await col(C.delays).find(filter, { session }).sort({ replyMs: 1 }).skip(offset).limit(1).toArray();
      values.push(Number(doc.replyMs));
    }
    return { median: values.length ? values.reduce((a, b) => a + b, 0) / values.length : null, sample: n };
  }

  async function refreshEnterprise(enterpriseId: string, today: number | null, session?: ClientSession) {
    const [total] = await col(C.daily)
      .aggregate([{ $match: { enterpriseId } }, { $group: { _id: null, n: { $sum: '$complaints' } } }], { session })
      .toArray();
    const listings = Number(total?.n ?? 0);
    if (listings <= 0) {
      await col(C.enterprises).deleteOne({ _id: enterpriseId } as Document, { session });
      await col(C.windows).deleteMany({ enterpriseId }, { session });
      return;
    }
    await col(C.names).deleteMany({ enterpriseId, listings: { $lte: 0 } }, { session });
    await col(C.industries).deleteMany({ enterpriseId, listings: { $lte: 0 } }, { session });
    const [topName] = await col(C.names)
      .find({ enterpriseId }, { session })
      .sort({ listings: -1, name: 1 })
      .limit(1)
      .toArray();
    const [topIndustry] = await col(C.industries)
      .find({ enterpriseId }, { session })
      .sort({ listings: -1, industry: 1 })
      .limit(1)
      .toArray();
    const industry = (topIndustry?.industry as string | undefined) ?? null;
    await col(C.enterprises).replaceOne(
      { _id: enterpriseId } as Document,
      { name: topName?.name ?? enterpriseId, industry, listings },
      { upsert: true, session },
    );
    if (today === null) return;
    const daily = (await col(C.daily).find({ enterpriseId }, { session }).toArray()).map((d) => ({
      day: Number(d.day),
      ...countsFromDoc(d as unknown as CountsDoc),
    }));
    const longest = rollingWindow('LAST_365_DAYS', today * DAY);
    const recent = (
      await col(C.delays)
        .find(delaysFilter(enterpriseId, { ...longest, toDay: today }), { session })
        .sort({ replyMs: 1 })
        .toArray()
    ).map((d) => ({
      day: Number(d.day),
      replyMs: Number(d.replyMs),
    }));
    for (const { window, counts, stats } of materialiseWindows(
      daily,
      recent,
      await allTimeMedian(enterpriseId, today, session),
      today,
    )) {
      await col(C.windows).replaceOne(
        { _id: `${window}|${enterpriseId}` } as Document,
        {
          window,
          enterpriseId,
          industry,
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
        { upsert: true, session },
      );
    }
  }

  async function refreshWindows(asOf: number, session?: ClientSession) {
    const today = cstDay(asOf);
    await col(C.state).replaceOne({ _id: 'as_of_day' } as Document, { value: today }, { upsert: true, session });
    await col(C.windows).deleteMany({}, { session });
    for await (const e of col(C.enterprises).find({}, { session, projection: { _id: 1 } }))
      await refreshEnterprise(String(e._id), today, session);
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
    async applyChanges(changes, session) {
      const affected = new Set<string>();
      for (const change of changes) {
        if (change.before) {
          await applyContribution(contributionOf(change.before), change.before, -1, session);
          affected.add(change.before.enterpriseId);
        }
        await applyContribution(contributionOf(change.after), change.after, 1, session);
        affected.add(change.after.enterpriseId);
      }
      const today = await asOfDay(session);
      for (const enterpriseId of affected) await refreshEnterprise(enterpriseId, today, session);
    },
    async rebuild(asOf, listingsCollection = 'listings') {
      for (const name of Object.values(C)) if (name !== C.state) await col(name).deleteMany({});
      await col(listingsCollection)
        .aggregate([...dailyRebuildPipeline(), { $merge: { into: C.daily, whenMatched: 'replace' } }])
        .toArray();
      await col(listingsCollection)
        .aggregate([...delaysRebuildPipeline(), { $merge: { into: C.delays, whenMatched: 'replace' } }])
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
          { $merge: { into: C.sourceDaily, whenMatched: 'replace' } },
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
          { $merge: { into: C.industries, whenMatched: 'replace' } },
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
      for (const id of await col(C.daily).distinct('enterpriseId')) await refreshEnterprise(String(id), null);
      await refreshWindows(asOf);
    },
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
      const perSource = await col(C.daily).aggregate(rangeCountsPipeline(enterpriseId, range)).toArray();
      const delays = await col(C.delays).find(delaysFilter(enterpriseId, range)).sort({ replyMs: 1 }).toArray();
      const all = delays.map((d) => Number(d.replyMs));
      let total = zeroCounts();
      const bySource = perSource.map((row) => {
        const counts = countsFromDoc(row as unknown as CountsDoc);
        total = addCounts(total, counts);
        const own = delays.filter((d) => d.source === row._id).map((d) => Number(d.replyMs));
        return { source: String(row._id), stats: computeStats(counts, exactMedian(own), own.length) };
      });
      return { total: computeStats(total, exactMedian(all), all.length), bySource };
    },
    async rank(enterpriseId, window, metric, minComplaints): Promise<RankPosition | null> {
      const doc = (await col(C.windows).findOne({
        _id: `${window}|${enterpriseId}`,
      } as Document)) as unknown as WindowDoc | null;
      if (!doc || doc.industry === null || doc.complaints < minComplaints) return null;
      const value = metricValue(statsFromWindowDoc(doc), metric);
      if (value === null) return null;
      const s = await standing(
        { window, metric, industry: doc.industry, minComplaints, order: 'BEST_FIRST', offset: 0, limit: 0 },
        descending(metric, 'BEST_FIRST'),
        value,
      );
      return { position: s.ahead + 1, outOf: s.total, tie: s.equal > 1 };
    },
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
