/**
 * `/lists`: the monthly red and black lists as published, each snapshot immutable, with its
 * version, the day it was taken and its CSV; narrowed by industry through `?industry=`.
 */
import { useQuery } from '@urql/preact';
import { useLocation } from 'preact-iso';
import { explainError } from '../app/errors.ts';
import { type Lang, tr, useLang } from '../app/i18n.ts';
import { INDUSTRY_LABELS, label, valuesOf } from '../app/vocabulary.ts';
import { type Industry, RedBlackSnapshotsDocument, type RedBlackSnapshotsQuery } from '../gql/graphql.ts';

type Listed = RedBlackSnapshotsQuery['redBlackSnapshots'][number]['red'];

function Names({ entries, lang }: { entries: Listed; lang: Lang }) {
  if (entries.length === 0) return <p class="empty">{tr(lang, '无', 'none')}</p>;
  return (
    <ol>
      {entries.map((entry) => (
        <li key={entry.enterprise.id}>
          <a href={`/enterprises/${encodeURIComponent(entry.enterprise.id)}?lang=${lang}`}>{entry.name}</a>
        </li>
      ))}
    </ol>
  );
}

export function ListsPage() {
  const lang = useLang();
  const location = useLocation();
  const industry = location.query.industry in INDUSTRY_LABELS ? (location.query.industry as Industry) : undefined;
  const [result] = useQuery({ query: RedBlackSnapshotsDocument, variables: { industry } });
  const snapshots = result.data?.redBlackSnapshots;
  const choose = (event: Event) => {
    const value = (event.currentTarget as HTMLSelectElement).value;
    const params = new URLSearchParams(value ? { industry: value } : {});
    if (location.query.lang) params.set('lang', location.query.lang);
    location.route(`/lists?${params.toString()}`);
  };
  return (
    <div class="lists-page">
      <h1>{tr(lang, '红黑榜', 'Red and black lists')}</h1>
      <label for="lists-industry">{tr(lang, '行业', 'Industry')}</label>
      <select id="lists-industry" value={industry ?? ''} onChange={choose}>
        <option value="">{tr(lang, '全部行业', 'All industries')}</option>
        {valuesOf(INDUSTRY_LABELS).map((value) => (
          <option key={value} value={value}>
            {label(INDUSTRY_LABELS[value], lang)}
          </option>
        ))}
      </select>
      <div aria-live="polite">
        {result.error && <p class="error-notice">{explainError(result.error, lang).sentence}</p>}
        {result.fetching && !snapshots && <p class="loading">{tr(lang, '正在加载…', 'Loading…')}</p>}
        {snapshots?.length === 0 && <p class="empty">{tr(lang, '还没有发布的榜单。', 'No list published yet.')}</p>}
      </div>
      {snapshots?.map((snapshot) => (
        <section class="answer" key={`${snapshot.id}-${snapshot.version}`} data-snapshot={snapshot.id}>
          <h2>
            {snapshot.month} · {label(INDUSTRY_LABELS[snapshot.industry], lang)}
          </h2>
          <p class="operator">
            {tr(lang, `第 ${snapshot.version} 版`, `Version ${snapshot.version}`)} · {tr(lang, '发布于 ', 'taken on ')}
            {snapshot.publishedAt.slice(0, 10)} · <a href={snapshot.csvPath}>CSV</a>
          </p>
          <h3>{tr(lang, '红榜', 'Red list')}</h3>
          <Names entries={snapshot.red} lang={lang} />
          <h3>{tr(lang, '黑榜', 'Black list')}</h3>
          <Names entries={snapshot.black} lang={lang} />
        </section>
      ))}
    </div>
  );
}
