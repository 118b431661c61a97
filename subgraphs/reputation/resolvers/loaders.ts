import DataLoader from 'dataloader';
import type { RankingMetric, RankPosition } from '../domain/rankings.ts';
import type { ReputationStats, Trend } from '../domain/statistics.ts';
import type { EnterpriseReputation, StatisticsService } from '../domain/statistics-service.ts';
import type { DayRange, ReputationWindow } from '../domain/windows.ts';

/**
 * Per-request batching of the Enterprise fields that read figures: a gateway `_entities` request
 * for 100 respondents asking `reputation` costs the store reads of one, not 100 times them. A key
 * is one enterprise under one set of field arguments; a batch is split by those arguments, so each
 * distinct argument set costs one batched read. Fresh per request, so no request sees another's
 * figures.
 */
export interface ReputationLoaders {
  reputation: DataLoader<{ id: string; window: ReputationWindow }, EnterpriseReputation, string>;
  periodReputation: DataLoader<{ id: string; range: DayRange }, EnterpriseReputation, string>;
  /** A reputation's trend, read only when a query asks for it. */
  trend: DataLoader<{ id: string; range: DayRange; current: ReputationStats }, Trend | null, string>;
  rank: DataLoader<
    { id: string; window: ReputationWindow; metric: RankingMetric; minComplaints: number },
    RankPosition | null,
    string
  >;
}

/** Ids per batched read: bounds one query's size (SQLite chunks further below its parameter limit). */
const MAX_BATCH = 500;

/** Loads `keys` grouped by their arguments (`argumentsOf`), one `load` per group, in the order of `keys`. */
async function byArguments<Key extends { id: string }, Value>(
  keys: readonly Key[],
  argumentsOf: (key: Key) => string,
  load: (ids: string[], group: Key[]) => Promise<Value[]>,
): Promise<Value[]> {
  const groups = new Map<string, number[]>();
  keys.forEach((key, i) => {
    const group = argumentsOf(key);
    const members = groups.get(group);
    if (members) members.push(i);
    else groups.set(group, [i]);
  });
  const out = new Array<Value>(keys.length);
  for (const members of groups.values()) {
    const group = members.map((i) => keys[i]);
    const values = await load(
      group.map((key) => key.id),
      group,
    );
    members.forEach((keyIndex, j) => {
      out[keyIndex] = values[j];
    });
  }
  return out;
}

export function createReputationLoaders(statistics: StatisticsService): ReputationLoaders {
  const windowOf = (key: { window: ReputationWindow }) => key.window;
  const rangeOf = (key: { range: DayRange }) => `${key.range.fromDay}:${key.range.toDay}`;
  const rankArguments = (key: { window: string; metric: string; minComplaints: number }) =>
    `${key.window}|${key.metric}|${key.minComplaints}`;
  return {
    reputation: new DataLoader(
      (keys) => byArguments(keys, windowOf, (ids, [{ window }]) => statistics.reputations(ids, window)),
      { cacheKeyFn: (key) => `${windowOf(key)}|${key.id}`, maxBatchSize: MAX_BATCH },
    ),
    periodReputation: new DataLoader(
      (keys) => byArguments(keys, rangeOf, (ids, [{ range }]) => statistics.periodReputations(ids, range, null)),
      { cacheKeyFn: (key) => `${rangeOf(key)}|${key.id}`, maxBatchSize: MAX_BATCH },
    ),
    trend: new DataLoader(
      (keys) =>
        byArguments(keys, rangeOf, (ids, group) =>
          statistics.trends(
            ids,
            group[0].range,
            group.map((key) => key.current),
          ),
        ),
      { cacheKeyFn: (key) => `${rangeOf(key)}|${key.id}`, maxBatchSize: MAX_BATCH },
    ),
    rank: new DataLoader(
      (keys) =>
        byArguments(keys, rankArguments, (ids, [key]) =>
          statistics.ranks(ids, key.window, key.metric, key.minComplaints),
        ),
      { cacheKeyFn: (key) => `${rankArguments(key)}|${key.id}`, maxBatchSize: MAX_BATCH },
    ),
  };
}
