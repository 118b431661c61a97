/** `/sources`: each listing source's status, freshness, records and last error, as the graph reports them. */
import { useQuery } from '@urql/preact';
import { explainError } from '../app/errors.ts';
import { pick, tr, useLang } from '../app/i18n.ts';
import { label } from '../app/vocabulary.ts';
import { ListingSourcesDocument, type ListingSourceHealth } from '../gql/graphql.ts';

const HEALTH_LABELS: Record<ListingSourceHealth, readonly [string, string]> = {
  OK: ['正常', 'OK'],
  PENDING: ['尚未抓取', 'Not crawled yet'],
  DEGRADED: ['数据不完整', 'Degraded'],
  DOWN: ['无法访问', 'Down'],
  BLOCKED_BY_ROBOTS: ['robots.txt 禁止抓取', 'Blocked by robots.txt'],
  LOGIN_REQUIRED: ['需要登录', 'Login required'],
};

function age(seconds: number | null, lang: 'zh-CN' | 'en'): string {
  if (seconds === null) return tr(lang, '从未抓取', 'never crawled');
  const hours = seconds / 3600;
  if (hours < 48) return tr(lang, `${hours.toFixed(1)} 小时前`, `${hours.toFixed(1)} hours ago`);
  return tr(lang, `${(hours / 24).toFixed(0)} 天前`, `${(hours / 24).toFixed(0)} days ago`);
}

export function SourcesPage() {
  const lang = useLang();
  const [result] = useQuery({ query: ListingSourcesDocument, requestPolicy: 'cache-and-network' });
  const sources = result.data?.sources;
  return (
    <div class="sources-page">
      <h1>{tr(lang, '数据来源', 'Listing sources')}</h1>
      <div aria-live="polite">
        {result.error && <p class="error-notice">{explainError(result.error, lang).sentence}</p>}
        {result.fetching && !sources && <p class="loading">{tr(lang, '正在加载…', 'Loading…')}</p>}
      </div>
      {sources && (
        <table class="ranking-table">
          <thead>
            <tr>
              <th scope="col">{tr(lang, '来源', 'Source')}</th>
              <th scope="col">{tr(lang, '状态', 'Status')}</th>
              <th scope="col">{tr(lang, '数据新鲜度', 'Data age')}</th>
              <th scope="col">{tr(lang, '记录数', 'Records')}</th>
              <th scope="col">{tr(lang, '最近错误', 'Last error')}</th>
            </tr>
          </thead>
          <tbody>
            {sources.map((source) => (
              <tr key={source.source} data-source={source.source}>
                <th scope="row">{pick(source.name, lang)}</th>
                <td>{label(HEALTH_LABELS[source.status], lang)}</td>
                <td>{age(source.dataAgeSeconds, lang)}</td>
                <td>
                  {source.recordsHeld}
                  {source.quarantined > 0 &&
                    tr(lang, `（隔离 ${source.quarantined}）`, ` (${source.quarantined} held back)`)}
                </td>
                <td>{source.lastError ? `${source.lastError} (${source.lastErrorAt?.slice(0, 10) ?? ''})` : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
