/**
 * The site's frame: the language (from the URL or the server's choice), the header with the
 * language switch and the navigation, and the page routes. Pages other than `/` load lazily so
 * `/` downloads only its own code.
 */
import { Provider } from '@urql/preact';
import { ErrorBoundary, LocationProvider, lazy, Route, Router, useLocation } from 'preact-iso';
import { useEffect } from 'preact/hooks';
import { ComplainPage } from '../complain/ComplainPage.tsx';
import { createGraphqlClient } from './graphql-client.ts';
import { LangContext, type Lang, languageFor, tr } from './i18n.ts';

const client = createGraphqlClient();

const ChannelsPage = lazy(() => import('../channels/ChannelsPage.tsx').then((module) => module.ChannelsPage));
const ChannelPage = lazy(() => import('../channels/ChannelPage.tsx').then((module) => module.ChannelPage));
const EnterprisePage = lazy(() => import('../enterprises/EnterprisePage.tsx').then((module) => module.EnterprisePage));
const PublishedCasesPage = lazy(() =>
  import('../published/PublishedCasesPage.tsx').then((module) => module.PublishedCasesPage),
);
const DeskPage = lazy(() => import('../desk/DeskPage.tsx').then((module) => module.DeskPage));
const CasePage = lazy(() => import('../desk/CasePage.tsx').then((module) => module.CasePage));
const ListsPage = lazy(() => import('../lists/ListsPage.tsx').then((module) => module.ListsPage));
const SourcesPage = lazy(() => import('../sources/SourcesPage.tsx').then((module) => module.SourcesPage));
const RankingsPage = lazy(() => import('../rankings/RankingsPage.tsx').then((module) => module.RankingsPage));

/** The same URL in the other language. */
function switchLanguageUrl(url: string, to: Lang): string {
  const parsed = new URL(url, window.location.origin);
  parsed.searchParams.set('lang', to);
  return `${parsed.pathname}?${parsed.searchParams.toString()}`;
}

function withLang(path: string, query: Record<string, string>): string {
  return query.lang ? `${path}?lang=${encodeURIComponent(query.lang)}` : path;
}

function NotFound() {
  const lang = languageFor(useLocation().query);
  return <h1>{tr(lang, '找不到这个页面', 'Page not found')}</h1>;
}

function Frame() {
  const location = useLocation();
  const lang = languageFor(location.query);
  const other: Lang = lang === 'en' ? 'zh-CN' : 'en';
  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = tr(lang, '维权 · 消费投诉指南', 'Weiquan · where to complain');
  }, [lang]);
  const current = (path: string) => (location.path === path ? 'page' : undefined);
  return (
    <LangContext.Provider value={lang}>
      <a class="skip-link" href="#main">
        {tr(lang, '跳到正文', 'Skip to content')}
      </a>
      <header class="site-header">
        <a class="brand" href={withLang('/', location.query)}>
          {tr(lang, '维权', 'Weiquan')}
        </a>
        <nav aria-label={tr(lang, '主导航', 'Main')}>
          <a href={withLang('/', location.query)} aria-current={current('/')}>
            {tr(lang, '去哪投诉', 'Where to complain')}
          </a>
          <a href={withLang('/channels', location.query)} aria-current={current('/channels')}>
            {tr(lang, '投诉渠道', 'Channels')}
          </a>
          <a href={withLang('/rankings', location.query)} aria-current={current('/rankings')}>
            {tr(lang, '企业排行', 'Rankings')}
          </a>
          <a href={withLang('/lists', location.query)} aria-current={current('/lists')}>
            {tr(lang, '红黑榜', 'Red/black lists')}
          </a>
          <a href={withLang('/sources', location.query)} aria-current={current('/sources')}>
            {tr(lang, '数据来源', 'Sources')}
          </a>
          <a href={withLang('/cases/published', location.query)} aria-current={current('/cases/published')}>
            {tr(lang, '公开案件', 'Published cases')}
          </a>
          <a href={withLang('/desk', location.query)} aria-current={current('/desk')}>
            {tr(lang, '投诉受理台', 'Case desk')}
          </a>
        </nav>
        <a
          class="lang-switch"
          href={switchLanguageUrl(location.url, other)}
          hrefLang={other}
          lang={other}
          data-testid="lang-switch"
        >
          {other === 'en' ? 'English' : '中文'}
        </a>
      </header>
      <main id="main">
        <ErrorBoundary>
          <Router>
            <Route path="/" component={ComplainPage} />
            <Route path="/channels" component={ChannelsPage} />
            <Route path="/channels/:id" component={ChannelPage} />
            <Route path="/rankings" component={RankingsPage} />
            <Route path="/lists" component={ListsPage} />
            <Route path="/sources" component={SourcesPage} />
            <Route path="/enterprises/:id" component={EnterprisePage} />
            <Route path="/cases/published" component={PublishedCasesPage} />
            <Route path="/desk" component={DeskPage} />
            <Route path="/desk/cases/:id" component={CasePage} />
            <Route default component={NotFound} />
          </Router>
        </ErrorBoundary>
      </main>
    </LangContext.Provider>
  );
}

export function App() {
  return (
    <Provider value={client}>
      <LocationProvider>
        <Frame />
      </LocationProvider>
    </Provider>
  );
}
