/**
 * The MongoDB adapter: the contract against a server when MONGODB_URI is set; its filters, always,
 * evaluated by mingo over the documents it writes (each selects what the SQLite WHERE clause does).
 */
import { Query } from 'mingo';
import { connectMongo } from '../../../../platform/store/mongo.ts';
import {
  liveAppKeyFilter,
  liveAppKeysOfFilter,
  MongoAppKeyStore,
  toAppKeyDocument,
} from '../../../../subgraphs/accounts/store/app-keys-mongo.ts';
import { appKey, describeAppKeyStoreContract } from './app-keys-contract.ts';

const uri = process.env.MONGODB_URI;
if (uri) {
  let n = 0;
  describeAppKeyStoreContract('mongodb', async () => {
    const { db } = await connectMongo(uri, `weiquan_app_keys_test_${process.pid}_${++n}`);
    await db.dropDatabase();
    return MongoAppKeyStore.open(db);
  });
}

const matches = (filter: object, doc: object) =>
  new Query(filter as Record<string, unknown>).test(doc as Record<string, unknown>);

test('the live-key filter matches the key while it is live, never once revoked or another key', () => {
  const live = toAppKeyDocument(appKey('ak_1', 'acc_a', 1));
  const revoked = toAppKeyDocument(appKey('ak_1', 'acc_a', 1, { revokedAt: new Date() }));
  expect(matches(liveAppKeyFilter('ak_1'), live)).toBe(true);
  expect(matches(liveAppKeyFilter('ak_1'), revoked)).toBe(false);
  expect(matches(liveAppKeyFilter('ak_2'), live)).toBe(false);
});

test("the live-keys-of filter matches an account's live keys only", () => {
  expect(matches(liveAppKeysOfFilter('acc_a'), toAppKeyDocument(appKey('ak_1', 'acc_a', 1)))).toBe(true);
  expect(matches(liveAppKeysOfFilter('acc_a'), toAppKeyDocument(appKey('ak_2', 'acc_b', 1)))).toBe(false);
  const revoked = toAppKeyDocument(appKey('ak_3', 'acc_a', 1, { revokedAt: new Date() }));
  expect(matches(liveAppKeysOfFilter('acc_a'), revoked)).toBe(false);
});
