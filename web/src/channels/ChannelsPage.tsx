/**
 * `/channels`: every channel, searched by name or alias in either language and narrowed by
 * industry; both criteria live in the query string.
 */
import { useQuery } from '@urql/preact';
import { useLocation } from 'preact-iso';
import { useState } from 'preact/hooks';
import { explainError } from '../app/errors.ts';
import { pick, tr, useLang } from '../app/i18n.ts';
import { INDUSTRY_LABELS, label, valuesOf } from '../app/vocabulary.ts';
import { ChannelsDocument, type Industry } from '../gql/graphql.ts';
import { Unconfirmed } from '../complain/AnswerList.tsx';

export function ChannelsPage() {
  const lang = useLang();
  const location = useLocation();
  const text = location.query.q ?? '';
  const industry = location.query.industry in INDUSTRY_LABELS ? (location.query.industry as Industry) : undefined;
  const [draft, setDraft] = useState({ q: text, industry: industry ?? '' });
  const [result] = useQuery({
    query: ChannelsDocument,
    variables: { filter: { ...(text ? { text } : {}), ...(industry ? { industry } : {}) } },
  });

  const submit = (event: Event) => {
    event.preventDefault();
    const params = new URLSearchParams();
    if (draft.q.trim()) params.set('q', draft.q.trim());
    if (draft.industry) params.set('industry', draft.industry);
    if (location.query.lang) params.set('lang', location.query.lang);
    location.route(`/channels?${params.toString()}`);
  };
  const langSuffix = location.query.lang ? `?lang=${encodeURIComponent(location.query.lang)}` : '';
  const channels = result.data?.channels;

  return (
    <div class="channels-page">
      <h1>{tr(lang, '投诉渠道', 'Complaint channels')}</h1>
      <form class="search-form" onSubmit={submit}>
        <label for="channel-search">{tr(lang, '名称或别名（中文或英文）', 'Name or alias (Chinese or English)')}</label>
        <input
          id="channel-search"
          type="search"
          name="q"
          value={draft.q}
          onInput={(event) => setDraft({ ...draft, q: (event.currentTarget as HTMLInputElement).value })}
        />
        <label for="channel-industry">{tr(lang, '行业', 'Industry')}</label>
        <select
          id="channel-industry"
          name="industry"
          value={draft.industry}
          onChange={(event) => setDraft({ ...draft, industry: (event.currentTarget as HTMLSelectElement).value })}
        >
          <option value="">{tr(lang, '全部行业', 'All industries')}</option>
          {valuesOf(INDUSTRY_LABELS).map((value) => (
            <option key={value} value={value}>
              {label(INDUSTRY_LABELS[value], lang)}
            </option>
          ))}
        </select>
        <button type="submit" class="primary">
          {tr(lang, '搜索', 'Search')}
        </button>
      </form>
      <div aria-live="polite">
        {result.error && (
          <p class="error-notice" role="alert">
            {explainError(result.error, lang).sentence}
          </p>
        )}
        {result.fetching && !channels && <p class="loading">{tr(lang, '正在加载…', 'Loading…')}</p>}
        {channels && channels.length === 0 && (
          <p class="empty">{tr(lang, '没有符合条件的渠道。', 'No channel matches.')}</p>
        )}
        {channels && channels.length > 0 && (
          <ul class="channel-list">
            {channels.map((channel) => (
              <li key={channel.id}>
                <a href={`/channels/${encodeURIComponent(channel.id)}${langSuffix}`}>{pick(channel.name, lang)}</a>
                <span class="operator"> · {pick(channel.operator, lang)}</span>{' '}
                <Unconfirmed confidence={channel.confidence} lang={lang} />
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
