/**
 * `/rankings`, for journalists: the ranking by industry, window, metric and order with the minimum
 * sample and paging (all in the query string), the methodology behind it, the CSV export of the
 * same ranking, and a bar chart of the page shown.
 */
import { useQuery } from '@urql/preact';
import { useLocation } from 'preact-iso';
import { useState } from 'preact/hooks';
import { explainError } from '../app/errors.ts';
import { type Lang, tr, useLang } from '../app/i18n.ts';
import {
  INDUSTRY_LABELS,
  type Label,
  label,
  METRIC_LABELS,
  ORDER_LABELS,
  valuesOf,
  WINDOW_LABELS,
} from '../app/vocabulary.ts';
import {
  type Industry,
  type RankingMetric,
  type RankingOrder,
  type RankingsQuery,
  RankingsDocument,
  type ReputationWindow,
} from '../gql/graphql.ts';
import { RankingChart } from './RankingChart.tsx';

const PAGE_SIZE = 20;

interface Criteria {
  industry: Industry;
  window: ReputationWindow;
  metric: RankingMetric;
  order: RankingOrder;
  minComplaints: string;
}

function oneOf<T extends string>(labels: Record<T, Label>, value: string | undefined, fallback: T): T {
  return value !== undefined && value in labels ? (value as T) : fallback;
}

function criteriaFrom(query: Record<string, string>): Criteria {
  return {
    industry: oneOf(INDUSTRY_LABELS, query.industry, 'ECOMMERCE'),
    window: oneOf(WINDOW_LABELS, query.window, 'LAST_90_DAYS'),
    metric: oneOf(METRIC_LABELS, query.metric, 'WILSON_SCORE'),
    order: oneOf(ORDER_LABELS, query.order, 'BEST_FIRST'),
    minComplaints: /^\d+$/.test(query.minComplaints ?? '') ? query.minComplaints : '30',
  };
}

const percent = (value: number) => `${(value * 100).toFixed(1)}%`;

/** The value ranked on, as the table and the chart show it. */
function shownValue(metric: RankingMetric, value: number | null): string {
  if (value === null) return '—';
  if (metric === 'COMPLAINTS') return String(value);
  if (metric === 'MEDIAN_REPLY_HOURS' || metric === 'SATISFACTION') return value.toFixed(1);
  return percent(value);
}

type Ranking = RankingsQuery['rankings'];

function Methodology({ methodology, lang }: { methodology: Ranking['methodology']; lang: Lang }) {
  return (
    <section class="methodology" aria-labelledby="methodology-title">
      <h2 id="methodology-title">{tr(lang, '计算方法', 'Methodology')}</h2>
      <dl class="facts">
        <dt>{tr(lang, '公式', 'Formula')}</dt>
        <dd>{methodology.formula}</dd>
        <dt>{tr(lang, '方向', 'Direction')}</dt>
        <dd>{methodology.direction}</dd>
        <dt>{tr(lang, '计数规则', 'Counting rule')}</dt>
        <dd>{methodology.countingRule}</dd>
        <dt>{tr(lang, '统计期', 'Period')}</dt>
        <dd>
          {methodology.period.from} – {methodology.period.to} ({methodology.period.timeZone})
        </dd>
        <dt>{tr(lang, '数据来源', 'Sources')}</dt>
        <dd>{methodology.sources.join(', ') || tr(lang, '无', 'none')}</dd>
        <dt>{tr(lang, '最低样本', 'Minimum sample')}</dt>
        <dd>{tr(lang, `${methodology.minComplaints} 件投诉`, `${methodology.minComplaints} complaints`)}</dd>
        <dt>{tr(lang, '数据截至', 'Data fresh as of')}</dt>
        <dd>{methodology.dataFreshAsOf ?? tr(lang, '未知', 'unknown')}</dd>
        <dt>{tr(lang, '并列规则', 'Ties')}</dt>
        <dd>{methodology.tieRule}</dd>
        <dt>{tr(lang, '计算时间', 'Computed at')}</dt>
        <dd>{methodology.computedAt}</dd>
      </dl>
    </section>
  );
}

export function RankingsPage() {
  const lang = useLang();
  const location = useLocation();
  const criteria = criteriaFrom(location.query);
  const after = location.query.after || undefined;
  const [draft, setDraft] = useState(criteria);
  const [result] = useQuery({
    query: RankingsDocument,
    variables: { ...criteria, minComplaints: Number(criteria.minComplaints), first: PAGE_SIZE, after },
  });
  const ranking = result.data?.rankings;

  const urlFor = (next: Criteria, cursor?: string) => {
    const params = new URLSearchParams({ ...next });
    if (cursor) params.set('after', cursor);
    if (location.query.lang) params.set('lang', location.query.lang);
    return `/rankings?${params.toString()}`;
  };
  const submit = (event: Event) => {
    event.preventDefault();
    location.route(urlFor(draft));
  };
  const select = <T extends string>(field: keyof Criteria, labels: Record<T, Label>, text: string) => (
    <>
      <label for={`ranking-${field}`}>{text}</label>
      <select
        id={`ranking-${field}`}
        name={field}
        value={draft[field]}
        onChange={(event) => setDraft({ ...draft, [field]: (event.currentTarget as HTMLSelectElement).value })}
      >
        {valuesOf(labels).map((value) => (
          <option key={value} value={value}>
            {label(labels[value], lang)}
          </option>
        ))}
      </select>
    </>
  );

  return (
    <div class="rankings-page">
      <h1>{tr(lang, '企业投诉处理排行', 'Complaint-handling rankings')}</h1>
      <form class="criteria" onSubmit={submit}>
        {select('industry', INDUSTRY_LABELS, tr(lang, '行业', 'Industry'))}
        {select('window', WINDOW_LABELS, tr(lang, '时间范围', 'Window'))}
        {select('metric', METRIC_LABELS, tr(lang, '排序指标', 'Metric'))}
        {select('order', ORDER_LABELS, tr(lang, '顺序', 'Order'))}
        <label for="ranking-minComplaints">{tr(lang, '最低投诉量', 'Minimum complaints')}</label>
        <input
          id="ranking-minComplaints"
          name="minComplaints"
          type="number"
          min="0"
          value={draft.minComplaints}
          onInput={(event) => setDraft({ ...draft, minComplaints: (event.currentTarget as HTMLInputElement).value })}
        />
        <button type="submit" class="primary">
          {tr(lang, '查看排行', 'Show ranking')}
        </button>
      </form>
      <div aria-live="polite">
        {result.error && (
          <p class="error-notice" role="alert">
            {explainError(result.error, lang).sentence}
          </p>
        )}
        {result.fetching && !ranking && <p class="loading">{tr(lang, '正在加载…', 'Loading…')}</p>}
      </div>
      {ranking && (
        <>
          <p class="summary">
            {tr(
              lang,
              `共 ${ranking.totalCount} 家企业达到最低样本。`,
              `${ranking.totalCount} enterprises reach the minimum sample.`,
            )}{' '}
            <a class="button" href={ranking.csvPath} download="rankings.csv" data-testid="csv-download">
              {tr(lang, '下载 CSV', 'Download CSV')}
            </a>
          </p>
          {ranking.edges.length === 0 ? (
            <p class="empty">{tr(lang, '没有企业达到最低样本。', 'No enterprise reaches the minimum sample.')}</p>
          ) : (
            <>
              <RankingChart
                label={tr(
                  lang,
                  '本页排行的柱状图，数值见下表',
                  'Bar chart of this page; the table below has the values',
                )}
                bars={ranking.edges.map(({ node }) => ({ name: node.name, value: node.value ?? 0 }))}
              />
              <div class="table-scroll">
                <table class="ranking-table">
                  <caption>{label(METRIC_LABELS[criteria.metric], lang)}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{tr(lang, '名次', 'Rank')}</th>
                      <th scope="col">{tr(lang, '企业', 'Enterprise')}</th>
                      <th scope="col">{label(METRIC_LABELS[criteria.metric], lang)}</th>
                      <th scope="col">{tr(lang, '投诉量', 'Complaints')}</th>
                      <th scope="col">{tr(lang, '完成率', 'Completion rate')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {ranking.edges.map(({ node }) => (
                      <tr key={node.enterprise.id}>
                        <td>
                          {node.position}
                          {node.tie ? tr(lang, '（并列）', ' (tie)') : ''}
                        </td>
                        <th scope="row">
                          <a href={`/enterprises/${encodeURIComponent(node.enterprise.id)}?lang=${lang}`}>
                            {node.name}
                          </a>
                        </th>
                        <td>{shownValue(criteria.metric, node.value)}</td>
                        <td>{node.figures.complaints}</td>
                        <td>{percent(node.figures.completionRate)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <nav class="paging" aria-label={tr(lang, '翻页', 'Pages')}>
                {after && <a href={urlFor(criteria)}>{tr(lang, '第一页', 'First page')}</a>}
                {ranking.pageInfo.hasNextPage && ranking.pageInfo.endCursor && (
                  <a href={urlFor(criteria, ranking.pageInfo.endCursor)}>{tr(lang, '下一页', 'Next page')}</a>
                )}
              </nav>
            </>
          )}
          <Methodology methodology={ranking.methodology} lang={lang} />
        </>
      )}
    </div>
  );
}
