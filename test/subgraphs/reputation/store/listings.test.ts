import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectMongo } from '../../../../platform/store/mongo.ts';
import { openSqlite } from '../../../../platform/store/sqlite.ts';
import { createSqliteListingRepository } from '../../../../subgraphs/reputation/store/listings-sqlite.ts';
import {
  createMongoListingRepository,
  LISTINGS_INDEXES,
} from '../../../../subgraphs/reputation/store/listings-mongo.ts';
import { ensureIndexes } from '../../../../platform/store/mongo.ts';
import { describeListingRepositoryContract } from './listings-contract.ts';

describeListingRepositoryContract('sqlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'listings-'));
  const db = openSqlite(join(dir, 'reputation.db'));
  const repo = createSqliteListingRepository(db);
  return {
    repo,
    async dispose() {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

const mongoUri = process.env.MONGODB_URI;
describeListingRepositoryContract(
  'mongodb',
  async () => {
    const dbName = `weiquan_test_listings_${process.pid}_${Math.random().toString(36).slice(2)}`;
    const { client, db } = await connectMongo(mongoUri!, dbName);
    await ensureIndexes(db, LISTINGS_INDEXES);
    return {
      repo: createMongoListingRepository(client, db),
      async dispose() {
        await db.dropDatabase();
        await client.close();
      },
    };
  },
  Boolean(mongoUri),
);
