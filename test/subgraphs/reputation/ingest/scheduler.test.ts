import { startFixtureServer, type FixtureServer } from '../../../../scripts/fixture-server.ts';
import { createSqliteLeaseStore } from '../../../../platform/store/leases.ts';
import { ListingSource } from '../../../../subgraphs/reputation/domain/listing.ts';
import { crawlLeaseName, startCrawlScheduler, type CrawlScheduler } from '../../../../subgraphs/reputation/ingest/scheduler.ts';
import type { IngestSummary } from '../../../../subgraphs/reputation/ingest/run.ts';
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

test('two instances never crawl one source at once, and the second does not crawl it again while it is fresh', async () => {
  const leases = createSqliteLeaseStore(h.db);
  let clock = Date.UTC(2026, 0, 21);
  const now = () => new Date(clock);
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const crawls: string[] = [];
  const make = (holder: string, wait: boolean) => {
    const scheduler = startCrawlScheduler({
      holder,
      crawl: async (source): Promise<IngestSummary> => {
        crawls.push(holder);
        if (wait) await gate;
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
  await new Promise((resolve) => setTimeout(resolve, 20));
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
