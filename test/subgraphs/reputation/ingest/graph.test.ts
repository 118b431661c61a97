import {
  startFixtureServer,
  FaultKind,
  type FixtureServer,
  FIXTURE_12315_TOKEN,
} from '../../../../scripts/fixture-server.ts';
import { enterpriseResolver } from '../../../../platform/enterprise/aliases.ts';
import { ListingSource } from '../../../../subgraphs/reputation/domain/listing.ts';
import { createFetcher } from '../../../../subgraphs/reputation/fetch/fetcher.ts';
import { runIngest } from '../../../../subgraphs/reputation/ingest/run.ts';
import { SOURCE_ADAPTERS } from '../../../../subgraphs/reputation/sources/index.ts';
import { openIngestionStore, type IngestionStore } from '../../../../subgraphs/reputation/store/listings-open.ts';
import { startGraph, type TestGraph } from '../../../support/graph.ts';

let graph: TestGraph;
let server: FixtureServer;
let store: IngestionStore;
const fetcher = createFetcher({
  userAgent: 'WeiquanBot/0.1 (+test)',
  minTimeMs: 0,
  retries: 1,
  baseDelayMs: 1,
  maxDelayMs: 2,
  sleep: async () => undefined,
});

beforeAll(async () => {
  graph = await startGraph();
  server = await startFixtureServer({ faults: [{ target: 'samr12315', kind: FaultKind.ChangedStructure }] });
  store = await openIngestionStore(graph.config);
});
afterAll(async () => {
  await fetcher.close();
  await store.close();
  await server.close();
  await graph.stop();
});

const crawl = (source: ListingSource, baseUrl: string) =>
  runIngest({
    adapter: SOURCE_ADAPTERS[source],
    fetcher,
    listings: store.listings,
    crawlState: store.crawlState,
    resolver: enterpriseResolver(),
    baseUrl,
    credential: source === ListingSource.Samr12315 ? FIXTURE_12315_TOKEN : null,
  });

interface SourceStatus {
  source: string;
  dataAgeSeconds: number | null;
  evidence: string | null;
}
const SOURCES =
  `{ sources { source name { zhCN en } status lastSuccessfulCrawlAt dataAgeSeconds recordsHeld ` +
  `quarantined lastError evidence } }`;

test('the weiquan adapter reads the real cases subgraph publication feed', async () => {
  const summary = await crawl(ListingSource.Weiquan, graph.urls.cases);
  expect(summary).toMatchObject({ status: 'OK', failedPages: 0, errors: [] });
});

test('sources gives status, records, last success and data age via the gateway; evidence is staff-only', async () => {
  await crawl(ListingSource.BlackCat, server.baseUrls.blackcat);
  await crawl(ListingSource.Samr12315, server.baseUrls.samr12315);
  const anonymous = await graph.query<{ sources: SourceStatus[] }>(SOURCES);
  expect(anonymous.errors).toBeUndefined();
  const bySource = Object.fromEntries(anonymous.data!.sources.map((s) => [s.source, s]));
  expect(anonymous.data!.sources.map((s) => s.source)).toEqual(['blackcat', '12315', 'jutousu', 'weiquan']);
  expect(bySource.blackcat).toMatchObject({
    status: 'OK',
    recordsHeld: 10,
    quarantined: 2,
    lastError: null,
    evidence: null,
    name: { zhCN: '黑猫投诉' },
  });
  expect(bySource.blackcat.dataAgeSeconds).toBeGreaterThanOrEqual(0);
  expect(bySource['12315']).toMatchObject({
    status: 'DEGRADED',
    recordsHeld: 0,
    lastSuccessfulCrawlAt: null,
    evidence: null,
  });
  expect(bySource.jutousu).toMatchObject({ status: 'PENDING', recordsHeld: 0, dataAgeSeconds: null });
  const staff = await graph.query<{ sources: SourceStatus[] }>(
    SOURCES,
    undefined,
    await graph.tokenFor('staff', 'staff-1'),
  );
  const samr = staff.data!.sources.find((s) => s.source === '12315');
  expect(JSON.parse(samr!.evidence!)).toMatchObject({ reason: 'no rows array' });
});
