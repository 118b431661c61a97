import type { Document } from 'mongodb';
import type { ListingRecord } from '../../../../subgraphs/reputation/domain/listing.ts';
import { RankingMetric } from '../../../../subgraphs/reputation/domain/rankings.ts';
import { createMongoRollups } from '../../../../subgraphs/reputation/store/rollups-mongo.ts';
import { createMemoryDb } from './mongo-in-memory.ts';
import { FIXTURE_INDUSTRIES, progressed, randomListings, seededRandom } from './rollups-fixtures.ts';

/**
 * The MongoDB adapter's rebuild builds into staging collections and swaps them in, so readers never
 * see the rollups empty. Run over the in-memory collection API (mongo-in-memory.ts), whose
 * `beforeWrite` lets a reader in between any two writes of the rebuild.
 */
const AS_OF = Date.parse('2026-11-22T04:00:00Z');

describe('MongoDB rollups: rebuild (issue 18.8)', () => {
  const request = {
    industry: FIXTURE_INDUSTRIES[0],
    window: 'ALL_TIME' as const,
    metric: RankingMetric.WILSON_SCORE,
    order: 'BEST_FIRST' as const,
    minComplaints: 1,
    offset: 0,
    limit: 5,
  };

  async function storeWith(label: string, listings: ListingRecord[]) {
    const memory = createMemoryDb();
    const rollups = createMongoRollups(memory.db);
    const collection = `${label}_listings`;
    await memory.db
      .collection(collection)
      .insertMany(listings.map((r) => ({ _id: `${r.source}:${r.externalId}`, ...r }) as Document));
    await rollups.rebuild(AS_OF, collection);
    return { memory, rollups, collection };
  }

  test('a reader during a rebuild sees the old complete rollups, never an empty set, then the new ones', async () => {
    const random = seededRandom(8);
    const before = randomListings(8, 150, { asOf: AS_OF, enterprises: 10 });
    const after = [
      ...before.map((r) => (random() < 0.5 ? progressed(r, random) : r)),
      // Enterprises the old rollups do not know, in the ranked industry: the new ranking is longer.
      ...randomListings(9, 60, { asOf: AS_OF, enterprises: 6 }).map((r) => ({
        ...r,
        externalId: `new-${r.externalId}`,
        enterpriseId: `new-${r.enterpriseId}`,
        industry: request.industry,
      })),
    ];
    const { memory, rollups, collection } = await storeWith('old', before);
    const oldPage = await rollups.rankings(request);
    expect(oldPage.total).toBeGreaterThan(0);
    const oldEnterprise = await rollups.enterprise(oldPage.rows[0].enterpriseId);
    const { rollups: expected } = await storeWith('new', after);
    const newPage = await expected.rankings(request);
    expect(newPage.total).toBeGreaterThan(oldPage.total);

    await memory.db.collection(collection).deleteMany({});
    await memory.db
      .collection(collection)
      .insertMany(after.map((r) => ({ _id: `${r.source}:${r.externalId}`, ...r }) as Document));
    // Between every two writes of the rebuild, a reader asks for the ranking and one enterprise.
    const seen: number[] = [];
    memory.beforeWrite = async () => {
      const page = await rollups.rankings(request);
      seen.push(page.total);
      expect(page.rows.length).toBeGreaterThan(0);
      expect(await rollups.enterprise(oldPage.rows[0].enterpriseId)).not.toBeNull();
    };
    await rollups.rebuild(AS_OF, collection);
    memory.beforeWrite = null;

    expect(seen.length).toBeGreaterThan(10);
    expect(seen[0]).toBe(oldPage.total);
    expect(new Set(seen)).toEqual(new Set([oldPage.total, newPage.total]));
    expect(await rollups.rankings(request)).toEqual(newPage);
    expect(oldEnterprise).not.toBeNull();
    // Nothing of the build is left beside the live collections.
    expect([...memory.data.keys()].filter((name) => name.endsWith('__rebuild'))).toEqual([]);
  });

  const interrupted = 'a rebuild interrupted before its swap leaves the live rollups as they were';
  test(`${interrupted}; the next one drops its leftovers`, async () => {
    const listings = randomListings(10, 200, { asOf: AS_OF, enterprises: 10 });
    const { memory, rollups, collection } = await storeWith('interrupted', listings);
    const page = await rollups.rankings(request);
    expect(page.total).toBeGreaterThan(0);
    memory.beforeWrite = async (trip) => {
      if (trip.operation === 'rename') throw new Error('connection lost');
    };
    await expect(rollups.rebuild(AS_OF, collection)).rejects.toThrow('connection lost');
    expect(await rollups.rankings(request)).toEqual(page);
    memory.beforeWrite = null;
    const ghost = { _id: 'ghost|幽灵', enterpriseId: 'ghost', name: '幽灵', listings: 1 } as Document;
    await memory.db.collection('rep_enterprise_names__rebuild').insertMany([ghost]);
    await rollups.rebuild(AS_OF, collection);
    expect(memory.data.get('rep_enterprise_names')?.map((doc) => doc._id)).not.toContain(ghost._id);
    expect(await rollups.rankings(request)).toEqual(page);
    expect([...memory.data.keys()].filter((name) => name.endsWith('__rebuild'))).toEqual([]);
  });
});
