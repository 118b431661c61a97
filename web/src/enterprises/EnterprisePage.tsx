/**
 * `/enterprises/:id`: an enterprise's figures in every window with its rank, the trend of its last
 * 24 months, its listings with links to the original public pages, the channels it can be
 * complained to, and its published cases. The figures come from reputation, the channels from
 * directory and the cases from cases: when one of them is down, the page shows the rest and names
 * what is missing.
 */
import { useQuery } from '@urql/preact';
import { useRoute } from 'preact-iso';
import { useMemo } from 'preact/hooks';
import { explainError } from '../app/errors.ts';
import { type Lang, pick, todayInChina, tr, useLang } from '../app/i18n.ts';
import { INDUSTRY_LABELS, label, WINDOW_LABELS } from '../app/vocabulary.ts';
import { Unconfirmed } from '../complain/AnswerList.tsx';
import {
  EnterpriseDocument,
  type EnterpriseQuery,
  EnterpriseTrendDocument,
  type EnterpriseTrendQueryVariables,
  PublishedCasesDocument,
} from '../gql/graphql.ts';
import { TrendChart } from './TrendChart.tsx';

const percent = (value: number) => `${(value * 100).toFixed(1)}%`;

/** The 24 months ending with the current one (China time), oldest first, as YYYY-MM. */
export function last24Months(today: string): string[] {
  const [year, month] = today.split('-').map(Number);
  return Array.from({ length: 24 }, (_, index) => {
    const offset = year * 12 + (month - 1) - (23 - index);
    return `${Math.floor(offset / 12)}-${String((offset % 12) + 1).padStart(2, '0')}`;
  });
}

type Enterprise = NonNullable<EnterpriseQuery['enterprise']>;

function Windows({ enterprise, lang }: { enterprise: Enterprise; lang: Lang }) {
  const windows = [enterprise.last7, enterprise.last30, enterprise.last90, enterprise.last365, enterprise.allTime];
  return (
    <table class="ranking-table">
      <caption>{tr(lang, '各时间范围的数据', 'Figures in every window')}</caption>
      <thead>
        <tr>
          <th scope="col">{tr(lang, '时间范围', 'Window')}</th>
          <th scope="col">{tr(lang, '投诉量', 'Complaints')}</th>
          <th scope="col">{tr(lang, '回复率', 'Reply rate')}</th>
          <th scope="col">{tr(lang, '完成率', 'Completion rate')}</th>
          <th scope="col">{tr(lang, '威尔逊下限', 'Wilson score')}</th>
          <th scope="col">{tr(lang, '行业排名', 'Rank in industry')}</th>
        </tr>
      </thead>
      <tbody>
        {windows.map((figures) => (
          <tr key={figures.window}>
            <th scope="row">{figures.window ? label(WINDOW_LABELS[figures.window], lang) : ''}</th>
            <td>{figures.complaints}</td>
            <td>{percent(figures.replyRate)}</td>
            <td>{percent(figures.completionRate)}</td>
            <td>{percent(figures.wilsonScore)}</td>
            <td>
              {figures.rank ? `${figures.rank.position} / ${figures.rank.outOf}` : tr(lang, '样本不足', 'too few')}
              {figures.rank?.tie ? tr(lang, '（并列）', ' (tie)') : ''}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Trend({ id, lang }: { id: string; lang: Lang }) {
  const months = useMemo(() => last24Months(todayInChina()), []);
  // m0 … m23, one per month: the operation's variables, which the list of months fills.
  const monthVariables = Object.fromEntries(months.map((month, index) => [`m${index}`, month]));
  const variables = { id, ...monthVariables } as EnterpriseTrendQueryVariables;
  const [result] = useQuery({ query: EnterpriseTrendDocument, variables });
  const data = result.data?.enterprise;
  const points = useMemo(
    () =>
      data
        ? months.map((month, index) => {
            const figures = data[`m${index}` as 'm0'];
            return { month, complaints: figures.complaints, completionRate: figures.completionRate };
          })
        : [],
    [data, months],
  );
  if (result.error) return <p class="error-notice">{explainError(result.error, lang).sentence}</p>;
  if (!data) return <p class="loading">{tr(lang, '正在加载…', 'Loading…')}</p>;
  return (
    <TrendChart
      months={points}
      label={tr(
        lang,
        '近 24 个月每月投诉量（柱）与完成率（线）；样本量标在柱上',
        'Complaints per month (bars, the sample size written on each) and completion rate (line), last 24 months',
      )}
      complaints={tr(lang, '投诉量', 'Complaints')}
      completion={tr(lang, '完成率', 'Completion rate')}
    />
  );
}

function PublishedCases({ id, lang }: { id: string; lang: Lang }) {
  // The public feed has no filter by respondent: its latest page is read and this enterprise's kept.
  const [result] = useQuery({ query: PublishedCasesDocument, variables: { first: 100 } });
  if (result.error) return <p class="error-notice">{explainError(result.error, lang).sentence}</p>;
  const cases = result.data?.publishedCases.edges.filter(({ node }) => node.respondent.id === id) ?? [];
  if (!result.data) return <p class="loading">{tr(lang, '正在加载…', 'Loading…')}</p>;
  if (cases.length === 0) return <p class="empty">{tr(lang, '暂无公开的案件。', 'No published case yet.')}</p>;
  return (
    <ul>
      {cases.map(({ node }) => (
        <li key={node.id}>
          {node.reference} · {node.title} · {node.publishedAt.slice(0, 10)}
        </li>
      ))}
    </ul>
  );
}

export function EnterprisePage() {
  const lang = useLang();
  const { params } = useRoute();
  const id = params.id ?? '';
  const [result] = useQuery({ query: EnterpriseDocument, variables: { id } });
  const enterprise = result.data?.enterprise;
  const explained = result.error ? explainError(result.error, lang) : null;

  if (result.fetching && !result.data) return <p class="loading">{tr(lang, '正在加载…', 'Loading…')}</p>;
  if (!enterprise) {
    return explained ? (
      <p class="error-notice" role="alert">
        {explained.sentence}
      </p>
    ) : (
      <h1>{tr(lang, '没有这家企业', 'No such enterprise')}</h1>
    );
  }
  return (
    <article class="enterprise-page">
      <h1>{enterprise.name ?? enterprise.id}</h1>
      {explained && (
        <p class="error-notice" role="alert" data-unavailable={explained.unavailable.join(',')}>
          {explained.sentence}
        </p>
      )}
      <p class="operator">
        {enterprise.industry ? label(INDUSTRY_LABELS[enterprise.industry], lang) : ''}
        {enterprise.creditCode ? ` · ${enterprise.creditCode}` : ''}
      </p>
      <Windows enterprise={enterprise} lang={lang} />

      <h2>{tr(lang, '近 24 个月趋势', 'The last 24 months')}</h2>
      <Trend id={enterprise.id} lang={lang} />

      <h2>{tr(lang, '可以投诉的渠道', 'Where to complain about it')}</h2>
      <ul class="channel-list">
        {enterprise.channels.map((channel) => (
          <li key={channel.id}>
            <a href={`/channels/${encodeURIComponent(channel.id)}?lang=${lang}`}>{pick(channel.name, lang)}</a>{' '}
            <Unconfirmed confidence={channel.confidence} lang={lang} />
          </li>
        ))}
      </ul>

      <h2>{tr(lang, '公开投诉记录', 'Public complaint listings')}</h2>
      <ul class="listings">
        {enterprise.listings.nodes.map((listing) => (
          <li key={`${listing.source}-${listing.externalId}`}>
            {listing.source} · {listing.createdAt.slice(0, 10)} · {listing.status}{' '}
            {listing.url && (
              <a href={listing.url} rel="noopener noreferrer" target="_blank">
                {tr(lang, '原始页面', 'original page')}
              </a>
            )}
          </li>
        ))}
      </ul>

      <h2>{tr(lang, '已公开的案件', 'Published cases')}</h2>
      <PublishedCases id={enterprise.id} lang={lang} />
    </article>
  );
}
