/**
 * `/cases/published`: the public feed of closed cases, redacted as the graph redacts them (the
 * complainant's name masked, no contact details), newest first, paged through `?after=`.
 */
import { useQuery } from '@urql/preact';
import { useLocation } from 'preact-iso';
import { explainError } from '../app/errors.ts';
import { tr, useLang } from '../app/i18n.ts';
import { INDUSTRY_LABELS, ISSUE_TYPE_LABELS, label } from '../app/vocabulary.ts';
import { type CaseOutcome, PublishedCasesDocument } from '../gql/graphql.ts';

const OUTCOME_LABELS: Record<CaseOutcome, readonly [string, string]> = {
  RESOLVED: ['已解决', 'Resolved'],
  UNRESOLVED: ['未解决', 'Not resolved'],
  REJECTED: ['不予受理', 'Rejected'],
  WITHDRAWN: ['已撤回', 'Withdrawn'],
};

export function PublishedCasesPage() {
  const lang = useLang();
  const location = useLocation();
  const after = location.query.after || undefined;
  const [result] = useQuery({ query: PublishedCasesDocument, variables: { first: 20, after } });
  const feed = result.data?.publishedCases;
  const langParam = location.query.lang ? `lang=${encodeURIComponent(location.query.lang)}` : '';
  const nextPage = (cursor: string) =>
    `/cases/published?after=${encodeURIComponent(cursor)}${langParam ? `&${langParam}` : ''}`;
  return (
    <div class="published-page">
      <h1>{tr(lang, '已公开的投诉案件', 'Published cases')}</h1>
      <div aria-live="polite">
        {result.error && (
          <p class="error-notice" role="alert">
            {explainError(result.error, lang).sentence}
          </p>
        )}
        {result.fetching && !feed && <p class="loading">{tr(lang, '正在加载…', 'Loading…')}</p>}
        {feed && feed.edges.length === 0 && (
          <p class="empty">{tr(lang, '还没有公开的案件。', 'No case has been published yet.')}</p>
        )}
      </div>
      {feed && feed.edges.length > 0 && (
        <ol class="answers">
          {feed.edges.map(({ node }) => (
            <li class="answer" key={node.id} data-case={node.reference}>
              <h2 class="case-title">{node.title}</h2>
              <p class="operator">
                {node.reference} · {label(INDUSTRY_LABELS[node.industry], lang)} ·{' '}
                {label(ISSUE_TYPE_LABELS[node.issueType], lang)} · ¥{node.amount}
              </p>
              <p>
                <span class="badge badge-later">{label(OUTCOME_LABELS[node.outcome], lang)}</span>
              </p>
              <dl class="facts">
                <dt>{tr(lang, '投诉人', 'Complainant')}</dt>
                <dd class="complainant">{node.complainantName}</dd>
                <dt>{tr(lang, '被投诉企业', 'Business')}</dt>
                <dd>
                  <a href={`/enterprises/${encodeURIComponent(node.respondent.id)}${langParam ? `?${langParam}` : ''}`}>
                    {node.respondentName}
                  </a>
                </dd>
                <dt>{tr(lang, '事实经过', 'What happened')}</dt>
                <dd>{node.facts}</dd>
                <dt>{tr(lang, '企业答复', 'Reply')}</dt>
                <dd>{node.enterpriseReply ?? tr(lang, '无', 'none')}</dd>
                <dt>{tr(lang, '公开日期', 'Published')}</dt>
                <dd>{node.publishedAt.slice(0, 10)}</dd>
              </dl>
            </li>
          ))}
        </ol>
      )}
      {feed?.pageInfo.hasNextPage && feed.pageInfo.endCursor && (
        <nav class="paging" aria-label={tr(lang, '翻页', 'Pages')}>
          <a href={nextPage(feed.pageInfo.endCursor)}>{tr(lang, '下一页', 'Next page')}</a>
        </nav>
      )}
    </div>
  );
}
