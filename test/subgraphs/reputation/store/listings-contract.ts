import { Query, Aggregator } from 'mingo';
import { ListingSource, ListingStatus, type ListingChange } from '../../../../subgraphs/reputation/domain/listing.ts';
import type { ListingRepository } from '../../../../subgraphs/reputation/store/listings.ts';
import {
  countBySourcePipeline,
  listingDocument,
  listingFilter,
  LISTING_SORT,
} from '../../../../subgraphs/reputation/store/listings-mongo.ts';
import { listing } from './listing-fixtures.ts';

/**
 * The listings repository contract, written once and run against every adapter.
 * `makeRepo` returns a fresh, empty repository and a way to dispose of it.
 */
export function describeListingRepositoryContract(
  name: string,
  makeRepo: () => Promise<{ repo: ListingRepository; dispose(): Promise<void> }>,
  enabled = true,
) {
  (enabled ? describe : describe.skip)(`ListingRepository contract (${name})`, () => {
    let repo: ListingRepository;
    let dispose: () => Promise<void>;
    beforeEach(async () => {
      ({ repo, dispose } = await makeRepo());
    });
    afterEach(async () => dispose());

    test('a new record is inserted and reported to onChanges with before = null', async () => {
      const seen: ListingChange[][] = [];
      const result = await repo.upsertBatch([listing()], (changes) => void seen.push(changes));
      expect(result).toMatchObject({ inserted: 1, updated: 0, unchanged: 0 });
      expect(seen).toHaveLength(1);
      expect(seen[0][0].before).toBeNull();
      expect(seen[0][0].after.externalId).toBe('17390000001');
      expect(await repo.get(ListingSource.BlackCat, '17390000001')).toEqual(listing());
    });

    test('re-writing an identical record changes nothing and does not call onChanges', async () => {
      await repo.upsertBatch([listing()]);
      let called = false;
      const result = await repo.upsertBatch([listing()], () => {
        called = true;
      });
      expect(result).toMatchObject({ inserted: 0, updated: 0, unchanged: 1 });
      expect(called).toBe(false);
      expect(await repo.history(ListingSource.BlackCat, '17390000001')).toEqual([]);
    });

    test('a status change upstream updates in place and keeps the old version in history', async () => {
      await repo.upsertBatch([listing()]);
      const replied = listing({
        status: ListingStatus.Completed,
        rawStatus: '7',
        rawHash: 'hash-2',
        completedAt: Date.UTC(2026, 0, 9),
      });
      const seen: ListingChange[] = [];
      const result = await repo.upsertBatch([replied], (changes) => void seen.push(...changes), {
        now: 1_800_000_000_000,
      });
      expect(result).toMatchObject({ inserted: 0, updated: 1, unchanged: 0 });
      expect(seen).toEqual([{ before: listing(), after: replied }]);
      expect(await repo.get(ListingSource.BlackCat, '17390000001')).toEqual(replied);
      expect(await repo.count()).toBe(1);
      expect(await repo.history(ListingSource.BlackCat, '17390000001')).toEqual([
        { record: listing(), replacedAt: 1_800_000_000_000 },
      ]);
    });

    test('duplicates of one (source, externalId) in a batch become one record, the later one winning', async () => {
      const later = listing({ rawHash: 'hash-later', title: 'later' });
      const result = await repo.upsertBatch([listing(), later]);
      expect(result.inserted).toBe(1);
      expect((await repo.get(ListingSource.BlackCat, '17390000001'))?.title).toBe('later');
    });

    test('the same externalId from two sources is two records', async () => {
      await repo.upsertBatch([listing(), listing({ source: ListingSource.Jutousu })]);
      expect(await repo.countBySource()).toEqual({ blackcat: 1, jutousu: 1 });
    });

    test('an onChanges that throws rolls back the whole batch, quarantine included', async () => {
      await expect(
        repo.upsertBatch(
          [listing(), listing({ externalId: '2', rawHash: 'h2' })],
          () => {
            throw new Error('rollup failed');
          },
          { quarantine: [{ source: ListingSource.BlackCat, externalId: null, reason: 'x', raw: '{}', url: null }] },
        ),
      ).rejects.toThrow('rollup failed');
      expect(await repo.count()).toBe(0);
      expect(await repo.countQuarantined()).toBe(0);
    });

    test('quarantined items are kept with reason and raw item, once per distinct raw item', async () => {
      const item = {
        source: ListingSource.Samr12315,
        externalId: 'r1',
        reason: 'missing entName',
        raw: '{"id":"r1"}',
        url: 'http://x/p1',
      };
      await repo.upsertBatch([], undefined, { quarantine: [item], now: 5 });
      const again = await repo.upsertBatch([], undefined, { quarantine: [item], now: 6 });
      expect(again.quarantined).toBe(0);
      const stored = await repo.quarantined(ListingSource.Samr12315);
      expect(stored).toHaveLength(1);
      expect(stored[0]).toMatchObject({ ...item, quarantinedAt: 5 });
      expect(await repo.countQuarantined(ListingSource.Samr12315)).toBe(1);
      expect(await repo.countQuarantined(ListingSource.BlackCat)).toBe(0);
    });

    test('rawHashes returns the stored hash of known ids only', async () => {
      await repo.upsertBatch([listing()]);
      const hashes = await repo.rawHashes(ListingSource.BlackCat, ['17390000001', 'unknown']);
      expect([...hashes]).toEqual([['17390000001', 'hash-1']]);
    });

    test('find pages newest first with a stable cursor, filters agree with the Mongo filter under mingo', async () => {
      const docs = [];
      for (let i = 0; i < 7; i++) {
        const record = listing({
          externalId: `id${i}`,
          rawHash: `h${i}`,
          createdAt: Date.UTC(2026, 0, 1 + (i % 3)),
          enterpriseId: i % 2 ? 'ent1_odd' : 'ent1_even',
          status: i % 2 ? ListingStatus.Completed : ListingStatus.Pending,
          source: i === 6 ? ListingSource.Samr12315 : ListingSource.BlackCat,
        });
        docs.push(listingDocument(record));
        await repo.upsertBatch([record]);
      }
      const queries = [
        {},
        { enterpriseId: 'ent1_odd' },
        { status: ListingStatus.Pending, createdFrom: Date.UTC(2026, 0, 2) },
        { source: ListingSource.BlackCat, createdTo: Date.UTC(2026, 0, 3) },
      ];
      for (const query of queries) {
        const ids: string[] = [];
        let after: string | null = null;
        for (let guard = 0; guard < 10; guard++) {
          const page = await repo.find(query, { first: 2, after });
          ids.push(...page.records.map((r) => `${r.source}:${r.externalId}`));
          if (!page.hasNextPage) break;
          after = page.endCursor;
        }
        const expected = new Query(listingFilter(query))
          .find(docs)
          .sort(LISTING_SORT)
          .all()
          .map((d) => String((d as { _id: unknown })._id));
        expect(ids).toEqual(expected);
        expect(await repo.count(query)).toBe(expected.length);
      }
      const bySource = new Aggregator(countBySourcePipeline()).run(docs) as Array<{ _id: string; count: number }>;
      expect(await repo.countBySource()).toEqual(Object.fromEntries(bySource.map((r) => [r._id, r.count])));
    });
  });
}
