/**
 * `/channels/:id`: one channel's scope, contacts, rule versions with their validity, time limits,
 * prerequisites, sources, when it was verified and how sure the directory is, and a calculator of
 * each time limit's last day for a filing date (`?from=`, so a calculation can be shared).
 */
import { useQuery } from '@urql/preact';
import { useLocation, useRoute } from 'preact-iso';
import { useState } from 'preact/hooks';
import { explainError } from '../app/errors.ts';
import { type Lang, pick, todayInChina, tr, useLang } from '../app/i18n.ts';
import {
  ACCESS_TYPE_LABELS,
  CONFIDENCE_LABELS,
  DAY_KIND_LABELS,
  INDUSTRY_LABELS,
  ISSUE_TYPE_LABELS,
  label,
} from '../app/vocabulary.ts';
import { Unconfirmed } from '../complain/AnswerList.tsx';
import { ChannelDeadlinesDocument, ChannelDocument } from '../gql/graphql.ts';

function DeadlineCalculator({ id, lang }: { id: string; lang: Lang }) {
  const location = useLocation();
  const from = location.query.from ?? '';
  const [draft, setDraft] = useState(from || todayInChina());
  const [result] = useQuery({ query: ChannelDeadlinesDocument, variables: { id, from }, pause: !from });
  const explained = result.error ? explainError(result.error, lang) : null;
  const problem = explained?.fields.find((field) => field.field === 'from');

  const submit = (event: Event) => {
    event.preventDefault();
    const params = new URLSearchParams(location.query);
    params.set('from', draft);
    location.route(`${location.path}?${params.toString()}`, true);
  };
  return (
    <section aria-labelledby="calculator-title">
      <h2 id="calculator-title">{tr(lang, '时限计算器', 'Deadline calculator')}</h2>
      <form class="calculator" onSubmit={submit}>
        <label for="deadline-from">{tr(lang, '如果我在这一天投诉', 'If I file on')}</label>
        <input
          id="deadline-from"
          name="from"
          type="date"
          required
          value={draft}
          aria-invalid={problem ? 'true' : undefined}
          aria-describedby={problem ? 'error-from' : undefined}
          onInput={(event) => setDraft((event.currentTarget as HTMLInputElement).value)}
        />
        {problem && (
          <p class="field-error" id="error-from">
            {problem.message}
          </p>
        )}
        <button type="submit" class="primary" disabled={result.fetching}>
          {tr(lang, '计算', 'Calculate')}
        </button>
      </form>
      {explained && !problem && <p class="error-notice">{explained.sentence}</p>}
      {result.data?.channel && (
        <ul class="deadlines" aria-live="polite">
          {result.data.channel.deadlines.map((deadline) => (
            <li key={deadline.timeLimit.id}>
              {pick(deadline.timeLimit.what, lang)}
              {tr(lang, '：', ': ')}
              <strong>
                {deadline.dueOn ??
                  (deadline.notCoveredYear
                    ? tr(lang, `${deadline.notCoveredYear} 年节假日未公布`, `${deadline.notCoveredYear} not covered`)
                    : tr(lang, '天数未确认', 'days not confirmed'))}
              </strong>{' '}
              <Unconfirmed confidence={deadline.timeLimit.confidence} lang={lang} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function ChannelPage() {
  const lang = useLang();
  const { params } = useRoute();
  const id = params.id ?? '';
  const [result] = useQuery({ query: ChannelDocument, variables: { id } });
  const channel = result.data?.channel;

  if (result.error) {
    return (
      <p class="error-notice" role="alert">
        {explainError(result.error, lang).sentence}
      </p>
    );
  }
  if (result.fetching && !channel) return <p class="loading">{tr(lang, '正在加载…', 'Loading…')}</p>;
  if (!channel) return <h1>{tr(lang, '没有这个渠道', 'No such channel')}</h1>;

  const scopeList = (all: boolean, values: string[], labels: Record<string, readonly [string, string]>) =>
    all ? tr(lang, '全部', 'All') : values.map((value) => label(labels[value] ?? [value, value], lang)).join('、');

  return (
    <article class="channel-page">
      <h1>{pick(channel.name, lang)}</h1>
      <p class="operator">{pick(channel.operator, lang)}</p>
      <p>{pick(channel.description, lang)}</p>
      <dl class="facts">
        <dt>{tr(lang, '核实日期', 'Verified on')}</dt>
        <dd>{channel.verifiedAt}</dd>
        <dt>{tr(lang, '可信程度', 'Confidence')}</dt>
        <dd>{label(CONFIDENCE_LABELS[channel.confidence], lang)}</dd>
        <dt>{tr(lang, '受理行业', 'Industries')}</dt>
        <dd>{scopeList(channel.scope.allIndustries, channel.scope.industries, INDUSTRY_LABELS)}</dd>
        <dt>{tr(lang, '受理问题', 'Issues')}</dt>
        <dd>{scopeList(channel.scope.allIssueTypes, channel.scope.issueTypes, ISSUE_TYPE_LABELS)}</dd>
      </dl>
      {channel.scope.note && <p>{pick(channel.scope.note, lang)}</p>}
      {channel.confidenceNotes.length > 0 && (
        <ul class="unconfirmed-notes">
          {channel.confidenceNotes.map((note) => (
            <li key={note.en}>
              <span class="unconfirmed">{tr(lang, '未经确认', 'Unconfirmed')}</span> {pick(note, lang)}
            </li>
          ))}
        </ul>
      )}

      <h2>{tr(lang, '联系方式', 'Contacts')}</h2>
      <ul>
        {channel.access.map((point) => (
          <li key={`${point.type}-${point.address}`}>
            {label(ACCESS_TYPE_LABELS[point.type], lang)}: {point.label ? `${pick(point.label, lang)} ` : ''}
            {point.address} <Unconfirmed confidence={point.confidence} lang={lang} />
          </li>
        ))}
      </ul>

      <DeadlineCalculator id={channel.id} lang={lang} />

      <h2>{tr(lang, '规则版本', 'Rule versions')}</h2>
      {channel.ruleVersions.map((version) => (
        <section class="rule-version-card" key={version.id}>
          <h3>
            {pick(version.title, lang)} <Unconfirmed confidence={version.confidence} lang={lang} />
          </h3>
          <p>
            {tr(lang, '有效期：', 'In force: ')}
            {version.validFrom ?? tr(lang, '不详', 'unknown')} – {version.validTo ?? tr(lang, '至今', 'now')}
          </p>
          {version.note && <p>{pick(version.note, lang)}</p>}
          <h4>{tr(lang, '时限', 'Time limits')}</h4>
          <ul>
            {version.timeLimits.map((limit) => (
              <li key={limit.id}>
                {pick(limit.what, lang)}: {limit.days ?? '?'} {label(DAY_KIND_LABELS[limit.dayKind], lang)}{' '}
                <Unconfirmed confidence={limit.confidence} lang={lang} />
              </li>
            ))}
          </ul>
          <h4>{tr(lang, '前提条件', 'Prerequisites')}</h4>
          <ul>
            {version.prerequisites.map((rule) => (
              <li key={`${rule.kind}-${rule.description.en}`}>{pick(rule.description, lang)}</li>
            ))}
          </ul>
        </section>
      ))}

      <h2>{tr(lang, '资料来源', 'Sources')}</h2>
      <ul>
        {channel.sources.map((source) => (
          <li key={source.title}>
            {source.url ? (
              <a href={source.url} rel="noopener noreferrer" target="_blank">
                {source.title}
              </a>
            ) : (
              source.title
            )}
            {source.note && ` (${source.note})`}
          </li>
        ))}
      </ul>
    </article>
  );
}
