import { FaultKind, startFixtureServer, type FixtureServer } from '../../../../scripts/fixture-server.ts';
import { ListingSource, ListingStatus, type ListingChange } from '../../../../subgraphs/reputation/domain/listing.ts';
import { SOURCE_ADAPTERS } from '../../../../subgraphs/reputation/sources/index.ts';
import { CrawlStatus } from '../../../../subgraphs/reputation/store/crawl-state.ts';
import { createHarness, type Harness } from './harness.ts';

let server: FixtureServer;
let h: Harness;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(async () => server.close());
beforeEach(() => {
  server.setFaults([]);
  server.setRobots('User-agent: *\nAllow: /\n');
  server.requests.length = 0;
  h = createHarness(server);
});
afterEach(async () => h.dispose());

describe('Black Cat', () => {
  test('a first crawl stores every valid record, quarantines the broken ones, and reports OK', async () => {
    const summary = await h.run(ListingSource.BlackCat);
    expect(summary).toMatchObject({
      status: CrawlStatus.Ok,
      pages: 2,
      fetched: 12,
      inserted: 10,
      updated: 0,
      quarantined: 2,
      failedPages: 0,
    });
    expect(await h.listings.count({ source: ListingSource.BlackCat })).toBe(10);
    expect((await h.listings.quarantined(ListingSource.BlackCat)).map((q) => q.reason).sort()).toEqual([
      'missing cotitle',
      'unreadable timestamp "昨天"',
    ]);
    const state = await h.crawlState.get(ListingSource.BlackCat);
    expect(state).toMatchObject({ status: CrawlStatus.Ok, lastError: null, evidence: null });
    expect(state!.lastSuccessAt).not.toBeNull();
    expect(summary.lowConfidenceNames).toContain('美团外卖');
    expect(summary.lowConfidenceNames).not.toContain('京东自营');
  });

  test('detail pages give replied and completed records their times', async () => {
    await h.run(ListingSource.BlackCat);
    const completed = await h.listings.find(
      { source: ListingSource.BlackCat, status: ListingStatus.Completed },
      { first: 10 },
    );
    expect(completed.records.length).toBeGreaterThan(0);
    for (const record of completed.records) {
      expect(record.repliedAt).toBeGreaterThan(record.createdAt);
      expect(record.completedAt).toBeGreaterThan(record.repliedAt!);
    }
    const pending = await h.listings.find(
      { source: ListingSource.BlackCat, status: ListingStatus.Pending },
      { first: 10 },
    );
    expect(pending.records.every((r) => r.repliedAt === null)).toBe(true);
  });

  test('every request identifies itself; a re-run with nothing new stores nothing (conditional request)', async () => {
    await h.run(ListingSource.BlackCat);
    const again = await h.run(ListingSource.BlackCat);
    expect(again).toMatchObject({ status: CrawlStatus.Ok, inserted: 0, updated: 0 });
    expect(server.requests.every((r) => r.userAgent === 'WeiquanBot/0.1 (+test)')).toBe(true);
    expect(server.requests.at(-1)).toMatchObject({ conditional: true, status: 304 });
    expect(await h.listings.count()).toBe(10);
    expect(await h.listings.countQuarantined()).toBe(2);
  });

  test('a status change upstream updates the record in place, keeps history, and reports the change', async () => {
    await h.run(ListingSource.BlackCat);
    const item = server.dataset.blackcatFeed.find((main) => main.status === 6)!;
    const sn = String(item.sn);
    const original = { ...item };
    item.status = 7;
    const steps = server.dataset.blackcatTimeline[sn];
    steps.push({ name: '黑猫用户', status: '评价', date: Number(item.timestamp) + 90_000, text: '已解决' });
    try {
      const changes: ListingChange[] = [];
      const summary = await h.run(ListingSource.BlackCat, {}, { onChanges: (batch) => void changes.push(...batch) });
      expect(summary).toMatchObject({ inserted: 0, updated: 1 });
      expect(changes).toHaveLength(1);
      expect(changes[0].before).toMatchObject({ status: ListingStatus.Replied });
      expect(changes[0].after).toMatchObject({
        status: ListingStatus.Completed,
        completedAt: (Number(item.timestamp) + 90_000) * 1000,
      });
      expect(await h.listings.count()).toBe(10);
      expect((await h.listings.history(ListingSource.BlackCat, sn)).map((entry) => entry.record.status)).toEqual([
        ListingStatus.Replied,
      ]);
    } finally {
      Object.assign(item, original);
      steps.pop();
    }
  });

  test('a status change on a later page is seen even though page 1 answers 304 Not Modified', async () => {
    await h.run(ListingSource.BlackCat);
    const item = server.dataset.blackcatFeed.find((main) => main.sn === '17390000101')!;
    item.status = 4;
    try {
      server.requests.length = 0;
      const summary = await h.run(ListingSource.BlackCat);
      expect(summary).toMatchObject({ status: CrawlStatus.Ok, inserted: 0, updated: 1 });
      expect(server.requests.filter((r) => r.path.includes('/api/index/feed')).map((r) => r.status)).toEqual([
        304, 200,
      ]);
      expect(await h.listings.get(ListingSource.BlackCat, '17390000101')).toMatchObject({
        status: ListingStatus.InProgress,
        rawStatus: '4',
      });
      server.requests.length = 0;
      // Nothing changed since: both pages answer 304, and the crawl stops at the last page it knew.
      expect(await h.run(ListingSource.BlackCat)).toMatchObject({
        status: CrawlStatus.Ok,
        inserted: 0,
        updated: 0,
        failedPages: 0,
      });
      expect(server.requests.filter((r) => r.path.includes('/api/index/feed')).map((r) => r.status)).toEqual([
        304, 304,
      ]);
      // An explicit --since re-reads: no page is skipped as "not modified".
      server.requests.length = 0;
      await h.run(ListingSource.BlackCat, { since: 0 });
      expect(
        server.requests.filter((r) => r.path.includes('/api/index/feed')).map((r) => [r.conditional, r.status]),
      ).toEqual([
        [false, 200],
        [false, 200],
      ]);
    } finally {
      item.status = 3;
    }
  });

  test('an upvote count moving is not a change: no update, no history, no detail page fetched again', async () => {
    await h.run(ListingSource.BlackCat);
    const item = server.dataset.blackcatFeed.find((main) => main.status === 7)!;
    const before = item.upvote_amount;
    item.upvote_amount = Number(before) + 41;
    try {
      server.requests.length = 0;
      expect(await h.run(ListingSource.BlackCat)).toMatchObject({ status: CrawlStatus.Ok, inserted: 0, updated: 0 });
      expect(server.requests.filter((r) => r.path.includes('/complaint/view/'))).toEqual([]);
      expect(await h.listings.history(ListingSource.BlackCat, String(item.sn))).toEqual([]);
    } finally {
      item.upvote_amount = before;
    }
  });

  test('--max-pages stops the crawl early', async () => {
    const summary = await h.run(ListingSource.BlackCat, { maxPages: 1 });
    expect(summary).toMatchObject({ pages: 1, fetched: 10 });
    expect(summary.stopReason).toContain('max-pages');
  });
});

describe('12315, 21CN and our own cases', () => {
  test('12315 rows are stored and re-running is idempotent', async () => {
    expect(await h.run(ListingSource.Samr12315)).toMatchObject({
      status: CrawlStatus.Ok,
      inserted: 10,
      quarantined: 2,
    });
    expect(await h.run(ListingSource.Samr12315)).toMatchObject({ status: CrawlStatus.Ok, inserted: 0, updated: 0 });
    expect(await h.listings.count({ source: ListingSource.Samr12315 })).toBe(10);
  });

  test(
    '21CN posts are completed from their page key and the ' +
      'getPostContent call; one without a business is quarantined',
    async () => {
      const summary = await h.run(ListingSource.Jutousu);
      expect(summary).toMatchObject({ status: CrawlStatus.Ok, inserted: 6, quarantined: 2 });
      const stored = await h.listings.get(ListingSource.Jutousu, '880007');
      expect(stored).toMatchObject({
        enterpriseName: '中国电信股份有限公司',
        issue: '扣费问题、乱扣费',
        demand: '退还费用',
        // No public evidence shows where 21CN publishes a post's state: never guessed.
        status: ListingStatus.Unknown,
      });
      const paths = server.requests.map((r) => r.path);
      expect(paths.filter((p) => p.includes('/json/getPostContent/postKey/'))).toHaveLength(7);
      expect(JSON.stringify(await h.listings.quarantined(ListingSource.Jutousu))).not.toContain('username');
      expect(JSON.stringify(await h.listings.get(ListingSource.Jutousu, '880007'))).not.toContain('用户0000');
      expect(await h.run(ListingSource.Jutousu, { since: 0 })).toMatchObject({ inserted: 0, updated: 0 });
    },
  );

  test('the JSON list form pages by its offset cursor', async () => {
    server.formats.jutousuList = 'postList';
    try {
      expect(await h.run(ListingSource.Jutousu)).toMatchObject({ status: CrawlStatus.Ok, inserted: 6, quarantined: 2 });
      const lists = server.requests.map((r) => r.path).filter((p) => p.includes('/indexPcMorePost/'));
      expect(lists).toEqual([
        '/21cn/json/indexPcMorePost/order/ctime/pageNo/1',
        '/21cn/json/indexPcMorePost/order/ctime/pageNo/2/offset/880003',
        // The last post of page 2 has no id: the page gives no cursor, the next page goes by number.
        '/21cn/json/indexPcMorePost/order/ctime/pageNo/3',
      ]);
    } finally {
      server.formats.jutousuList = 'message';
    }
  });

  test('a change published in getPostContent only is seen on the next run and kept in history', async () => {
    await h.run(ListingSource.Jutousu);
    const detail = server.dataset.jutousuDetails['880001'];
    const original = { ...detail };
    detail.shuqiu = '退还费用并道歉';
    try {
      const summary = await h.run(ListingSource.Jutousu);
      expect(summary).toMatchObject({ status: CrawlStatus.Ok, inserted: 0, updated: 1 });
      expect(await h.listings.get(ListingSource.Jutousu, '880001')).toMatchObject({ demand: '退还费用并道歉' });
      expect((await h.listings.history(ListingSource.Jutousu, '880001')).map((entry) => entry.record.demand)).toEqual([
        '恢复权益',
      ]);
    } finally {
      Object.assign(detail, original);
    }
  });

  test('a failing 21CN detail page is not stored, the source is DEGRADED, the next run picks it up', async () => {
    server.setFaults([{ target: 'jutousu-detail', kind: FaultKind.Http500, id: '880006' }]);
    const summary = await h.run(ListingSource.Jutousu);
    expect(summary).toMatchObject({ status: CrawlStatus.Degraded, inserted: 5 });
    expect(await h.listings.get(ListingSource.Jutousu, '880006')).toBeNull();
    server.setFaults([]);
    expect(await h.run(ListingSource.Jutousu)).toMatchObject({ status: CrawlStatus.Ok, inserted: 1 });
  });

  test('our own published cases are read by cursor from publishedSince on', async () => {
    expect(await h.run(ListingSource.Weiquan)).toMatchObject({ status: CrawlStatus.Ok, inserted: 5 });
    const again = await h.run(ListingSource.Weiquan);
    expect(again).toMatchObject({ inserted: 0, updated: 0, fetched: 1 });
  });
});

test(
  'a parser that throws on a page makes that page malformed: the ' +
    'run goes on, earlier records are kept, the error is reported',
  async () => {
    const real = SOURCE_ADAPTERS[ListingSource.BlackCat];
    const summary = await h.run(
      ListingSource.BlackCat,
      {},
      {
        adapter: {
          ...real,
          parsePage: (body, request, context) => {
            if (request.page === 2) throw new TypeError('Invalid URL');
            return real.parsePage(body, request, context);
          },
        },
      },
    );
    expect(summary).toMatchObject({ failedPages: 1 });
    expect(summary.errors.join('\n')).toContain('page 2: the blackcat page parser failed: Invalid URL');
    expect(await h.listings.count({ source: ListingSource.BlackCat })).toBeGreaterThan(0);
    // The source is reported degraded, not healthy, and its state says so.
    expect(summary.status).toBe(CrawlStatus.Degraded);
    expect(await h.crawlState.get(ListingSource.BlackCat)).toMatchObject({ status: CrawlStatus.Degraded });
  },
);

test('an onChanges failure on a write leaves earlier pages whole and that page entirely unwritten', async () => {
  let calls = 0;
  await expect(
    h.run(
      ListingSource.BlackCat,
      { writeBatchRecords: 1 },
      {
        onChanges: () => {
          if (++calls === 2) throw new Error('rollup store full');
        },
      },
    ),
  ).rejects.toThrow('rollup store full');
  expect(await h.listings.count()).toBe(8);
  expect(await h.listings.countQuarantined()).toBe(2);
  expect(await h.crawlState.get(ListingSource.BlackCat)).toBeNull();
});
