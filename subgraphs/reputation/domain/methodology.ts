import { HIGHER_IS_BETTER, TIE_RULE, type RankingMetric, type RankingOrder } from './rankings.ts';
import { describeRange, type DayRange, type RangeDescription } from './windows.ts';
import { WILSON_FORMULA } from './wilson.ts';

const METRIC_FORMULAS: Record<RankingMetric, string> = {
  WILSON_SCORE: WILSON_FORMULA,
  REPLY_RATE:
    'replied / complaints, where replied counts listings the business answered (status replied or completed, ' +
    'or a published reply time); 0 when there are no complaints.',
  COMPLETION_RATE:
    'completed / complaints, where completed counts listings the source marks completed or with a published ' +
    'completion time; 0 when there are no complaints.',
  COMPLAINTS: 'The number of distinct listings (source, external id) filed in the window.',
  MEDIAN_REPLY_HOURS:
    'The exact median of (reply time − filing time) in hours over the listings with a published reply time ' +
    '(mean of the two middle values for an even count); enterprises without any are left out.',
  SATISFACTION: 'The mean of the 1–5 ratings complainants gave; enterprises without any rating are left out.',
};

export const COUNTING_RULE =
  'A listing counts in a window when it was filed (created) on a day of that window in China Standard Time ' +
  '(UTC+08:00). ' +
  'Each (source, external id) counts once; the same complaint published on two platforms counts on each.';

/** Everything a journalist needs to reproduce and cite a ranking. */
export interface Methodology {
  metric: RankingMetric;
  order: RankingOrder;
  formula: string;
  direction: string;
  countingRule: string;
  window: RangeDescription;
  sources: string[];
  minComplaints: number;
  tieRule: string;
  /** Oldest last successful crawl among the sources used (ISO-8601 +08:00); null when unknown. */
  dataFreshAsOf: string | null;
  computedAt: string;
}

/** An instant as ISO-8601 with the +08:00 offset, the way every methodology states time. */
export function cstTimestamp(epochMs: number): string {
  return `${new Date(epochMs + 8 * 3600_000).toISOString().slice(0, 19)}+08:00`;
}

export function buildMethodology(input: {
  metric: RankingMetric;
  order: RankingOrder;
  range: DayRange;
  sources: readonly string[];
  minComplaints: number;
  lastCrawlBySource: ReadonlyMap<string, number | null>;
  computedAt: number;
}): Methodology {
  const crawls = input.sources.map((source) => input.lastCrawlBySource.get(source) ?? null);
  const known = crawls.filter((t): t is number => t !== null);
  return {
    metric: input.metric,
    order: input.order,
    formula: METRIC_FORMULAS[input.metric],
    direction: HIGHER_IS_BETTER[input.metric] ? 'higher is better' : 'lower is better',
    countingRule: COUNTING_RULE,
    window: describeRange(input.range),
    sources: [...input.sources].sort(),
    minComplaints: input.minComplaints,
    tieRule: TIE_RULE,
    dataFreshAsOf: known.length === crawls.length && known.length > 0 ? cstTimestamp(Math.min(...known)) : null,
    computedAt: cstTimestamp(input.computedAt),
  };
}
