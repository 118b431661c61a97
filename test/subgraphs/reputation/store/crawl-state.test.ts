import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectMongo } from '../../../../platform/store/mongo.ts';
import { openSqlite } from '../../../../platform/store/sqlite.ts';
import { ListingSource } from '../../../../subgraphs/reputation/domain/listing.ts';
import {
  CrawlStatus,
  initialCrawlState,
  type CrawlStateRepository,
} from '../../../../subgraphs/reputation/store/crawl-state.ts';
import { createSqliteCrawlStateRepository } from '../../../../subgraphs/reputation/store/crawl-state-sqlite.ts';
import {
  createMongoCrawlStateRepository,
  crawlStateDocument,
  crawlStateFromDocument,
} from '../../../../subgraphs/reputation/store/crawl-state-mongo.ts';

function describeCrawlStateContract(
  name: string,
  make: () => Promise<{ repo: CrawlStateRepository; dispose(): Promise<void> }>,
  enabled = true,
) {
  (enabled ? describe : describe.skip)(`CrawlStateRepository contract (${name})`, () => {
    let repo: CrawlStateRepository;
    let dispose: () => Promise<void>;
    beforeEach(async () => ({ repo, dispose } = await make()));
    afterEach(async () => dispose());

    test('an unknown source has no state', async () => {
      expect(await repo.get(ListingSource.BlackCat)).toBeNull();
    });

    test('a saved state reads back whole, validators keyed by URL included', async () => {
      const state = {
        ...initialCrawlState(ListingSource.BlackCat),
        status: CrawlStatus.Degraded,
        checkpoint: '{"newestCreatedAt":1}',
        validators: { 'http://a.example/api/feed?page=1&x=$.y': { etag: '"abc"', lastModified: null } },
        lastError: 'HTTP 500',
        evidence: '{"url":"x"}',
        consecutiveFailures: 2,
      };
      await repo.save(state, 10);
      expect(await repo.get(ListingSource.BlackCat)).toEqual(state);
      await repo.save({ ...state, status: CrawlStatus.Ok }, 11);
      expect((await repo.list()).map((s) => s.status)).toEqual([CrawlStatus.Ok]);
    });
  });
}

describeCrawlStateContract('sqlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'crawl-'));
  const db = openSqlite(join(dir, 'reputation.db'));
  return {
    repo: createSqliteCrawlStateRepository(db),
    dispose: async () => {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describeCrawlStateContract(
  'mongodb',
  async () => {
    const { client, db } = await connectMongo(process.env.MONGODB_URI!, `weiquan_test_crawl_${process.pid}`);
    return {
      repo: createMongoCrawlStateRepository(db),
      dispose: async () => {
        await db.dropDatabase();
        await client.close();
      },
    };
  },
  Boolean(process.env.MONGODB_URI),
);

test("the Mongo crawl-state round-trips URLs with dots and dollars, each page's newest time and next page", () => {
  const state = {
    ...initialCrawlState(ListingSource.Jutousu),
    validators: {
      'http://h/a.b?$x=1': {
        etag: 'e',
        lastModified: 'Mon',
        newest: 1_767_000_000_000,
        next: { url: 'http://h/a.b?$x=2', page: 2 },
      },
    },
  };
  const doc = crawlStateDocument(state, 1);
  expect(Array.isArray(doc.validators)).toBe(true);
  expect(crawlStateFromDocument(doc)).toEqual(state);
});
