import type { Document, IndexDescription } from 'mongodb';
import type { RankingMetric } from '../domain/rankings.ts';
import { computeStats, type Counts, type ReputationStats } from '../domain/statistics.ts';
import type { DayRange } from '../domain/windows.ts';
import type { RankingRequest } from './rollups.ts';

/**
 * The collections, indexes, filters and pipelines of the MongoDB rollups (rollups-mongo.ts), as
 * pure builders, so tests evaluate them with mingo over the same fixtures as the SQLite adapter.
 * Medians are never computed with `$median`/`$percentile`: delays are read sorted by an index and
 * the middle is taken by position.
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

/**
 * Per-enterprise, per-source counts of the enterprises given over a range, from daily buckets: one
 * query for any number of enterprises, sorted by enterprise then source.
 */
export function rangeCountsOfPipeline(ids: readonly string[], range: DayRange): Document[] {
  return [
    { $match: { enterpriseId: { $in: [...ids] }, day: { $gte: range.fromDay, $lte: range.toDay } } },
    {
      $group: {
        _id: { enterpriseId: '$enterpriseId', source: '$source' },
        complaints: { $sum: '$complaints' },
        replied: { $sum: '$replied' },
        completed: { $sum: '$completed' },
        satSum: { $sum: '$satSum' },
        satCount: { $sum: '$satCount' },
      },
    },
    { $sort: { '_id.enterpriseId': 1, '_id.source': 1 } },
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

/**
 * The standings of many values in one query: the rows of their industries that qualify (an index
 * range read), then per value (a `$facet` branch keyed by `key`) how many qualify, are better and
 * equal, as standingPipeline counts one.
 */
export function standingsPipeline(
  request: Pick<RankingRequest, 'window' | 'minComplaints' | 'metric'>,
  descendingOrder: boolean,
  values: ReadonlyArray<{ key: string; industry: string; value: number }>,
): Document[] {
  const industries = [...new Set(values.map((v) => v.industry))];
  return [
    { $match: { ...rankingFilter({ ...request, industry: '' }), industry: { $in: industries } } },
    {
      $facet: Object.fromEntries(
        values.map((v) => [v.key, standingPipeline({ ...request, industry: v.industry }, descendingOrder, v.value)]),
      ),
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

export interface CountsDoc {
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

export interface WindowDoc extends CountsDoc {
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

/** Listings per enterprise (the complaints of its daily buckets), for the enterprises given. */
export function listingTotalsPipeline(ids: readonly string[]): Document[] {
  return [
    { $match: { enterpriseId: { $in: [...ids] } } },
    { $group: { _id: '$enterpriseId', n: { $sum: '$complaints' } } },
  ];
}

/**
 * Per enterprise given, how many reply delays it has up to `toDay` and the delays at the middle
 * positions (`lower` and `upper`, equal for an odd count): the ALL_TIME median, for many
 * enterprises in one query. The delays are sorted in the group with `$sortArray` (MongoDB 5.2),
 * not left to the order `$push` receives them in.
 */
export function allTimeMedianPipeline(ids: readonly string[], toDay: number): Document[] {
  const size = { $size: '$delays' };
  return [
    { $match: { enterpriseId: { $in: [...ids] }, day: { $lte: toDay } } },
    { $group: { _id: '$enterpriseId', delays: { $push: '$replyMs' } } },
    { $set: { delays: { $sortArray: { input: '$delays', sortBy: 1 } } } },
    {
      $project: {
        _id: 1,
        sample: size,
        lower: { $arrayElemAt: ['$delays', { $floor: { $divide: [{ $subtract: [size, 1] }, 2] } }] },
        upper: { $arrayElemAt: ['$delays', { $floor: { $divide: [size, 2] } }] },
      },
    },
  ];
}

/** Reply delays of the enterprises given in a range; sort by `{ replyMs: 1 }`. */
export function delaysOfFilter(ids: readonly string[], range: DayRange): Document {
  return { enterpriseId: { $in: [...ids] }, day: { $gte: range.fromDay, $lte: range.toDay } };
}
