import {
  FaultKind,
  startFixtureServer,
  type FixtureServer,
  type FixtureTarget,
} from '../../../../scripts/fixture-server.ts';
import { ListingSource } from '../../../../subgraphs/reputation/domain/listing.ts';
import { CrawlStatus } from '../../../../subgraphs/reputation/store/crawl-state.ts';
import { createHarness, type Harness } from './harness.ts';

/** The transport and format faults on every other source: each ends in a status, never a crash. */
let server: FixtureServer;
let h: Harness;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(async () => server.close());
beforeEach(() => {
  server.setFaults([]);
  h = createHarness(server, { totalTimeoutMs: 300, headersTimeoutMs: 300 });
});
afterEach(async () => h.dispose());

const SOURCES: Array<[ListingSource, FixtureTarget, number]> = [
  [ListingSource.Samr12315, 'samr12315', 10],
  [ListingSource.Jutousu, 'jutousu', 6],
  [ListingSource.Weiquan, 'weiquan', 5],
];

describe.each(SOURCES)('%s', (source, target, expected) => {
  test('an unreachable first page leaves the store untouched and the source DEGRADED with the error', async () => {
    server.setFaults([{ target, kind: FaultKind.Http500 }]);
    const summary = await h.run(source);
    expect(summary).toMatchObject({ status: CrawlStatus.Degraded, inserted: 0, stopReason: 'source unreachable' });
    expect((await h.crawlState.get(source))!.lastError).toContain('HTTP 500');
    expect(await h.listings.count()).toBe(0);
  });

  test('a reset and a 429 are retried and the crawl completes', async () => {
    server.setFaults([
      { target, kind: FaultKind.Reset, times: 1 },
      { target, kind: FaultKind.Http429, times: 1, retryAfterSeconds: 1 },
    ]);
    expect(await h.run(source)).toMatchObject({ status: CrawlStatus.Ok, inserted: expected });
  });

  test('truncated JSON fails the page, writing none of it; a clean re-run is complete and idempotent', async () => {
    server.setFaults([{ target, kind: FaultKind.Truncated, times: 1 }]);
    const summary = await h.run(source);
    expect(summary.status).toBe(CrawlStatus.Degraded);
    expect(summary.errors.join(' ')).toContain('not JSON');
    server.setFaults([]);
    expect(await h.run(source)).toMatchObject({ status: CrawlStatus.Ok, inserted: expected - summary.inserted });
    expect(await h.listings.count()).toBe(expected);
    expect(await h.run(source)).toMatchObject({ inserted: 0, updated: 0 });
  });

  test('a 401 asking for a login stops the source with LOGIN_REQUIRED and stores nothing', async () => {
    server.setFaults([{ target, kind: FaultKind.Unauthorized }]);
    const summary = await h.run(source);
    expect(summary).toMatchObject({ status: CrawlStatus.LoginRequired, inserted: 0, pages: 1 });
    expect(JSON.parse((await h.crawlState.get(source))!.evidence!)).toMatchObject({ httpStatus: 401 });
    expect(await h.listings.count()).toBe(0);
  });

  test('a timeout fails the page and the source is DEGRADED', async () => {
    server.setFaults([{ target, kind: FaultKind.Hang }]);
    const summary = await h.run(source);
    expect(summary.status).toBe(CrawlStatus.Degraded);
    expect(summary.errors[0]).toContain('TIMEOUT');
  });
});

test.each([
  [ListingSource.Samr12315, 'samr12315', 'no rows array'],
  [ListingSource.Jutousu, 'jutousu', 'neither postList nor message in the answer'],
] as const)('%s: a changed structure is DEGRADED with evidence and stores nothing', async (source, target, reason) => {
  server.setFaults([{ target, kind: FaultKind.ChangedStructure }]);
  expect(await h.run(source)).toMatchObject({
    status: CrawlStatus.Degraded,
    inserted: 0,
    stopReason: 'structure change',
  });
  expect(JSON.parse((await h.crawlState.get(source))!.evidence!)).toMatchObject({ reason });
});

test('12315: the business fields vanishing from a whole page is a structure change', async () => {
  server.setFaults([{ target: 'samr12315', kind: FaultKind.MissingRequiredFields }]);
  const summary = await h.run(ListingSource.Samr12315);
  expect(summary).toMatchObject({ status: CrawlStatus.Degraded, inserted: 0 });
  expect(JSON.parse((await h.crawlState.get(ListingSource.Samr12315))!.evidence!).reason).toContain(
    '"entName" vanished',
  );
});

test('21CN: changed detail pages quarantine the posts and flag the detail structure change', async () => {
  server.setFaults([{ target: 'jutousu-detail', kind: FaultKind.ChangedStructure }]);
  const summary = await h.run(ListingSource.Jutousu);
  expect(summary).toMatchObject({ status: CrawlStatus.Degraded, inserted: 0, stopReason: 'detail structure change' });
  expect(await h.listings.countQuarantined(ListingSource.Jutousu)).toBeGreaterThanOrEqual(7);
});

test('21CN: detail pages redirecting to a login stop the source (LOGIN_REQUIRED), no post half-read', async () => {
  server.setFaults([{ target: 'jutousu-detail', kind: FaultKind.LoginRedirect }]);
  const summary = await h.run(ListingSource.Jutousu);
  expect(summary).toMatchObject({ status: CrawlStatus.LoginRequired, inserted: 0, pages: 1 });
  expect(await h.listings.count()).toBe(0);
});
