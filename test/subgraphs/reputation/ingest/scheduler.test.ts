import { jest } from '@jest/globals';
import { FaultKind, startFixtureServer, type FixtureServer } from '../../../../scripts/fixture-server.ts';
import { loadConfig } from '../../../../platform/config.ts';
import { createSqliteLeaseStore } from '../../../../platform/store/leases.ts';
import { ListingSource } from '../../../../subgraphs/reputation/domain/listing.ts';
import {
  crawlLeaseName,
  parseSourceIntervals,
  startCrawlScheduler,
  type CrawlScheduler,
} from '../../../../subgraphs/reputation/ingest/scheduler.ts';
import type { IngestSummary } from '../../../../subgraphs/reputation/ingest/run.ts';
import { CrawlStatus, initialCrawlState } from '../../../../subgraphs/reputation/store/crawl-state.ts';
import { createHarness, type Harness } from './harness.ts';

let server: FixtureServer;
let h: Harness;
const schedulers: CrawlScheduler[] = [];
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(async () => server.close());
beforeEach(() => {
  h = createHarness(server);
});
afterEach(async () => {
  await Promise.all(schedulers.splice(0).map((s) => s.stop()));
  await h.dispose();
});

const HOUR = 3600_000;

const oneAtATime = 'two instances never crawl one source at once';
test(`${oneAtATime}, and the second does not crawl it again while it is fresh`, async () => {
  const leases = createSqliteLeaseStore(h.db);
  let clock = Date.UTC(2026, 0, 21);
  const now = () => new Date(clock);
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let crawling!: () => void;
  const firstCrawlHoldsTheLease = new Promise<void>((resolve) => (crawling = resolve));
  const crawls: string[] = [];
  const make = (holder: string, wait: boolean) => {
    const scheduler = startCrawlScheduler({
      holder,
      crawl: async (source): Promise<IngestSummary> => {
        crawls.push(holder);
        if (wait) {
          crawling();
          await gate;
        }
        return h.run(source);
      },
      crawlState: h.crawlState,
      leases,
      sources: [ListingSource.Samr12315],
      intervalMs: HOUR,
      checkEveryMs: 3_600_000,
      now,
    });
    schedulers.push(scheduler);
    return scheduler;
  };
  const a = make('instance-a', true);
  const b = make('instance-b', false);
  const first = a.tick();
  await firstCrawlHoldsTheLease;
  expect(await b.tick()).toEqual([{ source: ListingSource.Samr12315, outcome: 'leased-elsewhere' }]);
  release();
  expect((await first)[0]).toMatchObject({ outcome: 'crawled' });
  // The harness clock stamped lastAttemptAt; the scheduler's clock is set just after it.
  clock = (await h.crawlState.get(ListingSource.Samr12315))!.lastAttemptAt! + 60_000;
  expect(await b.tick()).toEqual([{ source: ListingSource.Samr12315, outcome: 'not-due' }]);
  clock += HOUR;
  expect((await b.tick())[0]).toMatchObject({ outcome: 'crawled', summary: { inserted: 0 } });
  expect(crawls).toEqual(['instance-a', 'instance-b']);
  expect(await leases.tryAcquire(crawlLeaseName(ListingSource.Samr12315), 'someone-else', 1000, now())).toBe(true);
});

test('a crawl that throws is logged as failed and releases its lease', async () => {
  const leases = createSqliteLeaseStore(h.db);
  const now = () => new Date(Date.UTC(2026, 0, 21));
  const scheduler = startCrawlScheduler({
    holder: 'a',
    crawl: async () => {
      throw new Error('store unavailable');
    },
    crawlState: h.crawlState,
    leases,
    sources: [ListingSource.BlackCat],
    intervalMs: HOUR,
    checkEveryMs: HOUR,
    now,
  });
  schedulers.push(scheduler);
  expect(await scheduler.tick()).toEqual([{ source: ListingSource.BlackCat, outcome: 'failed' }]);
  expect(await leases.tryAcquire(crawlLeaseName(ListingSource.BlackCat), 'b', 1000, now())).toBe(true);
});

test('a lease store that throws fails that turn only: the timer crawls at its next tick (issue 18.1)', async () => {
  const sqliteLeases = createSqliteLeaseStore(h.db);
  let failures = 1;
  const leases = {
    ...sqliteLeases,
    tryAcquire: async (...args: Parameters<typeof sqliteLeases.tryAcquire>) => {
      if (failures-- > 0) throw new Error('lease store unreachable');
      return sqliteLeases.tryAcquire(...args);
    },
  };
  const crawled: string[] = [];
  jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
  try {
    const scheduler = startCrawlScheduler({
      holder: 'a',
      crawl: async (source) => {
        crawled.push(source);
        return { status: CrawlStatus.Ok } as IngestSummary;
      },
      crawlState: h.crawlState,
      leases,
      sources: [ListingSource.BlackCat],
      intervalMs: HOUR,
      checkEveryMs: 1000,
    });
    schedulers.push(scheduler);
    await jest.advanceTimersByTimeAsync(1000);
    expect(crawled).toEqual([]);
    await jest.advanceTimersByTimeAsync(1000);
    expect(crawled).toEqual([ListingSource.BlackCat]);
  } finally {
    jest.useRealTimers();
  }
});

test('each source is crawled on its own interval', async () => {
  const leases = createSqliteLeaseStore(h.db);
  let clock = Date.UTC(2026, 0, 21);
  const crawled: string[] = [];
  const scheduler = startCrawlScheduler({
    holder: 'a',
    // A stub crawl that only records the attempt, as a real crawl would.
    crawl: async (source) => {
      crawled.push(source);
      const summary = { source, status: 'OK' } as IngestSummary;
      await h.crawlState.save(
        { ...((await h.crawlState.get(source)) ?? initialCrawlState(source)), lastAttemptAt: clock },
        clock,
      );
      return summary;
    },
    crawlState: h.crawlState,
    leases,
    sources: [ListingSource.BlackCat, ListingSource.Samr12315],
    intervalMs: 6 * HOUR,
    intervalsMs: parseSourceIntervals('blackcat=60'),
    checkEveryMs: HOUR,
    now: () => new Date(clock),
  });
  schedulers.push(scheduler);
  const outcomes = async () => (await scheduler.tick()).map((r) => `${r.source}:${r.outcome}`);
  expect(await outcomes()).toEqual(['blackcat:crawled', '12315:crawled']);
  clock += 2 * HOUR;
  expect(await outcomes()).toEqual(['blackcat:crawled', '12315:not-due']);
  clock += 4 * HOUR;
  expect(await outcomes()).toEqual(['blackcat:crawled', '12315:crawled']);
  expect(crawled).toEqual(['blackcat', '12315', 'blackcat', 'blackcat', '12315']);
});

test('CRAWL_SOURCE_INTERVALS is validated at start and read as minutes per source', () => {
  expect(
    parseSourceIntervals(loadConfig({ CRAWL_SOURCE_INTERVALS: 'blackcat=30,12315=720' }).CRAWL_SOURCE_INTERVALS),
  ).toEqual({ blackcat: 30 * 60_000, '12315': 720 * 60_000 });
  expect(parseSourceIntervals(loadConfig({}).CRAWL_SOURCE_INTERVALS)).toEqual({});
  expect(() => loadConfig({ CRAWL_SOURCE_INTERVALS: 'weibo=5' })).toThrow('CRAWL_SOURCE_INTERVALS');
});

const leaseLost = 'a crawl whose lease is lost stops before its next page';
test(`${leaseLost} and leaves the crawl state to the new holder`, async () => {
  await h.dispose();
  // Page 2 hangs until the deadline: time for the renewal to find the lease taken.
  h = createHarness(server, { totalTimeoutMs: 400, headersTimeoutMs: 400, retries: 0 });
  const leases = createSqliteLeaseStore(h.db);
  const clock = Date.UTC(2026, 0, 21);
  const now = () => new Date(clock);
  let pages = 0;
  const scheduler = startCrawlScheduler({
    holder: 'a',
    crawl: (source, signal) =>
      h.run(
        source,
        { signal },
        {
          onPage: () => {
            // Another instance takes the lease after the first page (as if ours had expired) and
            // records a crawl of its own.
            if (++pages === 1) {
              h.db.prepare("UPDATE leases SET holder = 'b'").run();
              void h.crawlState.save(
                {
                  ...initialCrawlState(ListingSource.BlackCat),
                  status: CrawlStatus.Ok,
                  checkpoint: '{"progress":42}',
                  lastSuccessAt: 42,
                },
                42,
              );
            }
          },
        },
      ),
    crawlState: h.crawlState,
    leases,
    sources: [ListingSource.BlackCat],
    intervalMs: HOUR,
    checkEveryMs: HOUR,
    leaseTtlMs: 60_000,
    renewEveryMs: 5,
    now,
  });
  schedulers.push(scheduler);
  server.setFaults([{ target: 'blackcat', kind: FaultKind.Hang, page: 2 }]);
  server.requests.length = 0;
  const [result] = await scheduler.tick();
  server.setFaults([]);
  expect(result).toMatchObject({
    outcome: 'crawled',
    summary: { status: CrawlStatus.Degraded, stopReason: 'crawl interrupted', inserted: 8 },
  });
  expect(server.requests.some((r) => r.path.includes('page=3'))).toBe(false);
  expect(await h.crawlState.get(ListingSource.BlackCat)).toMatchObject({
    status: CrawlStatus.Ok,
    checkpoint: '{"progress":42}',
    lastSuccessAt: 42,
  });
});
