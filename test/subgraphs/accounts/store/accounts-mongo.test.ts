import { connectMongo } from '../../../../platform/store/mongo.ts';
import { MongoAccountStore } from '../../../../subgraphs/accounts/store/accounts-mongo.ts';
import { describeAccountStoreContract } from './accounts-contract.ts';

const uri = process.env.MONGODB_URI;

if (uri) {
  let n = 0;
  describeAccountStoreContract('mongodb', async () => {
    const { client, db } = await connectMongo(uri, `weiquan_accounts_test_${process.pid}_${++n}`);
    await db.dropDatabase();
    return MongoAccountStore.open(client, db);
  });
} else {
  describe.skip('AccountStore contract (mongodb): set MONGODB_URI to run', () => {
    test('skipped', () => undefined);
  });
}
