import { FaultKind, startFixtureServer, type Fault, type FixtureServer } from '../../../../scripts/fixture-server.ts';
import { ListingSource } from '../../../../subgraphs/reputation/domain/listing.ts';
import { FetchError, FetchErrorKind } from '../../../../subgraphs/reputation/fetch/fetcher.ts';
import { loginAnswer } from '../../../../subgraphs/reputation/ingest/run.ts';
import { createSourcesService } from '../../../../subgraphs/reputation/resolvers/sources.ts';
import { CrawlStatus } from '../../../../subgraphs/reputation/store/crawl-state.ts';
import { createHarness, type Harness } from './harness.ts';

/**
 * One test per fault the fixture server injects, on a three-page Black Cat feed (30 synthetic
 * complaints): what was stored and quarantined, the source's status, that nothing was
 * half-written, and that a clean re-run completes the data without duplicates.
 */
const TOTAL = 30;
let server: FixtureServer;
let h: Harness;
beforeAll(async () => {
  server = await startFixtureServer({ volume: { blackcat: TOTAL } });
});
afterAll(async () => server.close());
beforeEach(() => {
  server.setFaults([]);
  server.setRobots('User-agent: *\nAllow: /\n');
  server.requests.length = 0;
  h = createHarness(server, { totalTimeoutMs: 300, headersTimeoutMs: 300, bodyTimeoutMs: 300 });
});
afterEach(async () => h.dispose());

async function crawl(faults: Fault[]) {
  server.setFaults(faults);
  return h.run(ListingSource.BlackCat);
}

async function cleanRerunCompletes() {
  server.setFaults([]);
  const rerun = await h.run(ListingSource.BlackCat);
  expect(rerun.status).toBe(CrawlStatus.Ok);
  expect(await h.listings.count()).toBe(TOTAL);
  const again = await h.run(ListingSource.BlackCat);
  expect(again).toMatchObject({ inserted: 0, updated: 0 });
  expect(await h.listings.count()).toBe(TOTAL);
}

/** Pages are written whole: the stored count is always a multiple of the page size. */
async function expectWholePages(pages: number) {
  expect(await h.listings.count()).toBe(pages * 10);
}

test('500 twice on page 2 is retried with backoff and the crawl ends OK', async () => {
  const summary = await crawl([{ target: 'blackcat', kind: FaultKind.Http500, page: 2, times: 2 }]);
  expect(summary).toMatchObject({ status: CrawlStatus.Ok, inserted: TOTAL, failedPages: 0 });
  expect(h.sleeps.length).toBeGreaterThanOrEqual(2);
});

test('500 for ever on page 2 fails that page only: pages 1 and 3 are stored, the source is DEGRADED', async () => {
  const summary = await crawl([{ target: 'blackcat', kind: FaultKind.Http500, page: 2 }]);
  expect(summary).toMatchObject({ status: CrawlStatus.Degraded, failedPages: 1, inserted: 20 });
  await expectWholePages(2);
  const state = await h.crawlState.get(ListingSource.BlackCat);
  expect(state!.lastError).toContain('HTTP 500');
  expect(state!.checkpoint).toBeNull();
  await cleanRerunCompletes();
});

test('429 with Retry-After waits as told and then succeeds', async () => {
  const summary = await crawl([
    { target: 'blackcat', kind: FaultKind.Http429, page: 1, times: 1, retryAfterSeconds: 2 },
  ]);
  expect(summary.status).toBe(CrawlStatus.Ok);
  expect(h.sleeps[0]).toBe(2000);
});

test('429 asking for longer than we wait stops the crawl without asking that host again sooner', async () => {
  const summary = await crawl([
    { target: 'blackcat', kind: FaultKind.Http429, page: 2, times: 1, retryAfterSeconds: 600 },
  ]);
  expect(summary).toMatchObject({
    status: CrawlStatus.Degraded,
    failedPages: 1,
    inserted: 10,
    stopReason: 'rate limited by the source',
  });
  expect(server.requests.filter((r) => r.path.includes('page=2'))).toHaveLength(1);
  expect(server.requests.some((r) => r.path.includes('page=3'))).toBe(false);
  await expectWholePages(1);
  await cleanRerunCompletes();
});

test('a connection reset is retried', async () => {
  const summary = await crawl([{ target: 'blackcat', kind: FaultKind.Reset, page: 3, times: 1 }]);
  expect(summary).toMatchObject({ status: CrawlStatus.Ok, inserted: TOTAL });
  await cleanRerunCompletes();
});

test('a page that never answers times out, fails alone, and the rest is stored', async () => {
  const summary = await crawl([{ target: 'blackcat', kind: FaultKind.Hang, page: 3 }]);
  expect(summary).toMatchObject({ status: CrawlStatus.Degraded, failedPages: 1, inserted: 20 });
  expect(summary.errors[0]).toContain('TIMEOUT');
  await expectWholePages(2);
  await cleanRerunCompletes();
});

test('a slow drip is cut by the response deadline', async () => {
  const summary = await crawl([{ target: 'blackcat', kind: FaultKind.SlowDrip, page: 2 }]);
  expect(summary).toMatchObject({ status: CrawlStatus.Degraded, failedPages: 1 });
  await expectWholePages(2);
  await cleanRerunCompletes();
});

test('truncated JSON fails that page only and nothing of it is written', async () => {
  const summary = await crawl([{ target: 'blackcat', kind: FaultKind.Truncated, page: 2 }]);
  expect(summary).toMatchObject({ status: CrawlStatus.Degraded, failedPages: 1, inserted: 20 });
  expect(summary.errors[0]).toContain('not JSON');
  await expectWholePages(2);
  await cleanRerunCompletes();
});

test('a changed feed structure flags the source DEGRADED with evidence and stores no zeros', async () => {
  const summary = await crawl([{ target: 'blackcat', kind: FaultKind.ChangedStructure, page: 1 }]);
  expect(summary).toMatchObject({ status: CrawlStatus.Degraded, inserted: 0, stopReason: 'structure change' });
  const state = await h.crawlState.get(ListingSource.BlackCat);
  expect(JSON.parse(state!.evidence!)).toMatchObject({ reason: 'no result.data.lists array' });
  expect(await h.listings.count()).toBe(0);
  await cleanRerunCompletes();
});

test('a required field vanishing from a whole page is a structure change; the items are quarantined', async () => {
  const summary = await crawl([{ target: 'blackcat', kind: FaultKind.MissingRequiredFields, page: 1 }]);
  expect(summary).toMatchObject({ status: CrawlStatus.Degraded, inserted: 0, quarantined: 10 });
  expect(JSON.parse((await h.crawlState.get(ListingSource.BlackCat))!.evidence!).reason).toContain(
    '"cotitle" vanished',
  );
  expect(await h.listings.countQuarantined(ListingSource.BlackCat)).toBe(10);
  await cleanRerunCompletes();
});

test('a changed detail page keeps the feed records, flags DEGRADED, and a clean re-run fills the times', async () => {
  const summary = await crawl([{ target: 'blackcat-detail', kind: FaultKind.ChangedStructure }]);
  expect(summary).toMatchObject({ status: CrawlStatus.Degraded, inserted: TOTAL });
  expect(summary.stopReason).toBe('detail structure change');
  server.setFaults([]);
  const rerun = await h.run(ListingSource.BlackCat);
  expect(rerun.status).toBe(CrawlStatus.Ok);
  expect(rerun.updated).toBeGreaterThan(0);
  const answered = await h.listings.find({ source: ListingSource.BlackCat, status: 'REPLIED' }, { first: 30 });
  expect(answered.records.every((r) => r.repliedAt !== null)).toBe(true);
});

test('a login-required code stops the source with LOGIN_REQUIRED and no bypass attempt', async () => {
  const summary = await crawl([{ target: 'blackcat', kind: FaultKind.LoginRequired, page: 2 }]);
  expect(summary).toMatchObject({ status: CrawlStatus.LoginRequired, pages: 2, inserted: 10 });
  expect(server.requests.filter((r) => r.path.includes('/api/index/feed'))).toHaveLength(2);
  expect(JSON.parse((await h.crawlState.get(ListingSource.BlackCat))!.evidence!)).toMatchObject({ code: '10017' });
  await expectWholePages(1);
  await cleanRerunCompletes();
});

test(
  'HTTP 456 (address banned) stops the crawl at once, ' + 'DEGRADED with the reason; no next page is asked for',
  async () => {
    const summary = await crawl([{ target: 'blackcat', kind: FaultKind.Banned, page: 2 }]);
    expect(summary).toMatchObject({
      status: CrawlStatus.Degraded,
      stopReason: 'address banned by the source (HTTP 456)',
      inserted: 10,
    });
    expect(server.requests.filter((r) => r.path.includes('/api/index/feed')).map((r) => r.status)).toEqual([200, 456]);
    await cleanRerunCompletes();
  },
);

test('code 10019 (the page does not exist) ends the feed cleanly: OK, with the reason, checkpoint kept', async () => {
  const summary = await crawl([{ target: 'blackcat', kind: FaultKind.PageNotExist, page: 3 }]);
  expect(summary).toMatchObject({ status: CrawlStatus.Ok, inserted: 20, failedPages: 0 });
  expect(summary.stopReason).toBe('page 3 does not exist (code 10019): end of the feed');
});

test('both pager forms walk the whole feed: with `next`, and with only current/page_amount/item_count', async () => {
  for (const form of ['next', 'amount'] as const) {
    server.formats.blackcatPager = form;
    const summary = await h.run(ListingSource.BlackCat, { conditional: false });
    expect(summary).toMatchObject({ status: CrawlStatus.Ok, pages: 3, fetched: TOTAL });
  }
  server.formats.blackcatPager = 'amount';
});

test('every feed request is signed; an unsigned or wrongly signed one would be refused', async () => {
  await crawl([]);
  const feed = server.requests.filter((r) => r.path.includes('/api/index/feed'));
  expect(feed.length).toBe(3);
  for (const request of feed) expect(request.path).toMatch(/[?&]ts=\d{13}&rs=[0-9A-Za-z]{16}&signature=[0-9a-f]{64}&/);
});

test('robots.txt disallowing the feed stops the source before any feed request', async () => {
  server.setRobots('User-agent: WeiquanBot\nDisallow: /blackcat/\n');
  const summary = await crawl([]);
  expect(summary).toMatchObject({ status: CrawlStatus.BlockedByRobots, pages: 0, inserted: 0 });
  expect(server.requests.map((r) => r.path)).toEqual(['/robots.txt']);
  expect(await h.listings.count()).toBe(0);
});

test('a down source is retried, DEGRADED, keeps its last good data, and becomes DOWN after three runs', async () => {
  await crawl([]);
  const good = await h.crawlState.get(ListingSource.BlackCat);
  const statuses = [];
  for (let i = 0; i < 3; i++) statuses.push((await crawl([{ target: 'blackcat', kind: FaultKind.Http500 }])).status);
  expect(statuses).toEqual([CrawlStatus.Degraded, CrawlStatus.Degraded, CrawlStatus.Down]);
  expect(h.sleeps.length).toBeGreaterThanOrEqual(6);
  const state = await h.crawlState.get(ListingSource.BlackCat);
  expect(state).toMatchObject({ status: CrawlStatus.Down, lastSuccessAt: good!.lastSuccessAt, consecutiveFailures: 3 });
  expect(await h.listings.count()).toBe(TOTAL);
  // What `sources` serves meanwhile: the last good data, how old it is, and why it is not fresh.
  const at = good!.lastSuccessAt! + 7_200_000;
  const view = (
    await createSourcesService({ listings: h.listings, crawlState: h.crawlState, now: () => at }).list({
      includeEvidence: false,
    })
  ).find((s) => s.source === ListingSource.BlackCat);
  expect(view).toMatchObject({
    status: CrawlStatus.Down,
    recordsHeld: TOTAL,
    lastSuccessfulCrawlAt: new Date(good!.lastSuccessAt!).toISOString(),
    dataAgeSeconds: 7200,
    lastError: expect.stringContaining('HTTP 500'),
    evidence: null,
  });
  server.setFaults([]);
  expect((await h.run(ListingSource.BlackCat)).status).toBe(CrawlStatus.Ok);
  expect((await h.crawlState.get(ListingSource.BlackCat))!.consecutiveFailures).toBe(0);
});

test('a redirect to a login page stops the source with LOGIN_REQUIRED; the redirect is not followed', async () => {
  const summary = await crawl([{ target: 'blackcat', kind: FaultKind.LoginRedirect, page: 2 }]);
  expect(summary).toMatchObject({ status: CrawlStatus.LoginRequired, inserted: 10, failedPages: 0 });
  expect(server.requests.some((r) => r.path.startsWith('/passport'))).toBe(false);
  expect(server.requests.filter((r) => r.path.includes('/api/index/feed')).map((r) => r.status)).toEqual([200, 302]);
  const state = await h.crawlState.get(ListingSource.BlackCat);
  expect(JSON.parse(state!.evidence!)).toMatchObject({
    httpStatus: 302,
    location: expect.stringContaining('/passport/login'),
  });
  expect(state!.checkpoint).toBeNull();
});

test('detail pages that want a login stop the source after that page; no further one is asked for', async () => {
  const summary = await crawl([{ target: 'blackcat-detail', kind: FaultKind.Unauthorized }]);
  expect(summary).toMatchObject({ status: CrawlStatus.LoginRequired, pages: 1, inserted: 10 });
  expect(summary.stopReason).toBe('the source asks for a login to read detail pages');
  // At most the detail pages already in flight (4 at once) were asked for.
  expect(server.requests.filter((r) => r.path.includes('/complaint/view/')).length).toBeLessThanOrEqual(4);
});

test('403 on a list page stops the crawl as access denied instead of trying page after page', async () => {
  const summary = await crawl([{ target: 'blackcat', kind: FaultKind.Forbidden, page: 2 }]);
  expect(summary).toMatchObject({ status: CrawlStatus.Degraded, stopReason: 'access denied', inserted: 10 });
  expect(server.requests.some((r) => r.path.includes('page=3'))).toBe(false);
});

test('pages failing in a row stop the crawl after the configured number; the next page is not asked for', async () => {
  server.setFaults([
    { target: 'blackcat', kind: FaultKind.Http500, page: 2 },
    { target: 'blackcat', kind: FaultKind.Truncated, page: 3 },
  ]);
  const summary = await h.run(ListingSource.BlackCat, { maxConsecutiveFailedPages: 2 });
  expect(summary).toMatchObject({
    status: CrawlStatus.Degraded,
    failedPages: 2,
    stopReason: '2 pages in a row failed',
    inserted: 10,
  });
  expect(server.requests.some((r) => r.path.includes('page=4'))).toBe(false);
  await expectWholePages(1);
});

test('an unreadable robots.txt is no permission: nothing is fetched and the source is DEGRADED', async () => {
  const summary = await crawl([{ target: 'robots', kind: FaultKind.Http500 }]);
  expect(summary).toMatchObject({
    status: CrawlStatus.Degraded,
    stopReason: 'robots.txt unavailable',
    pages: 0,
    inserted: 0,
  });
  expect(server.requests.every((r) => r.path === '/robots.txt')).toBe(true);
  expect((await h.crawlState.get(ListingSource.BlackCat))!.consecutiveFailures).toBe(1);
});

test('only a redirect to a login path is taken for a login wall, not a path that merely contains the word', () => {
  const redirect = (location: string) =>
    new FetchError(FetchErrorKind.Http, 'https://src.test/list', 'HTTP 302', { status: 302, attempts: 1, location });
  expect(loginAnswer(redirect('https://src.test/passport/login?return=%2Flist'))).toEqual({
    httpStatus: 302,
    location: 'https://src.test/passport/login?return=%2Flist',
  });
  expect(loginAnswer(redirect('https://src.test/sso'))).not.toBeNull();
  expect(loginAnswer(redirect('https://src.test/authors/list'))).toBeNull();
  expect(loginAnswer(redirect('https://src.test/news/oauth-explained'))).toBeNull();
  expect(loginAnswer(redirect('http://[x'))).toBeNull();
  // Login services as real sites name them: compound words, a login host, OAuth steps.
  for (const location of [
    'https://open.e.189.cn/api/logbox/oauth2/unifyAccountLogin.do',
    'https://login.sina.com.cn/?r=%2Flist',
    'https://accounts.example.com/ServiceLogin',
    'https://src.test/oauth2/authorize?client_id=x',
    'https://src.test/user-login.html',
    '/login',
  ]) {
    expect([location, loginAnswer(redirect(location))]).toEqual([location, { httpStatus: 302, location }]);
  }
  for (const location of [
    'https://src.test/blogindex',
    'https://src.test/catalog/page/2',
    'https://logistics.example.com/list',
  ]) {
    expect([location, loginAnswer(redirect(location))]).toEqual([location, null]);
  }
  expect(
    loginAnswer(new FetchError(FetchErrorKind.Http, 'https://src.test/list', 'HTTP 401', { status: 401, attempts: 1 })),
  ).toEqual({ httpStatus: 401, location: null });
});
