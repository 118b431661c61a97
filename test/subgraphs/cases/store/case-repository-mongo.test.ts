import { connectMongo } from '../../../../platform/store/mongo.ts';
import { MongoCaseRepository } from '../../../../subgraphs/cases/store/case-repository-mongo.ts';
import { describeCaseRepositoryContract } from './case-repository-contract.ts';

const uri = process.env.MONGODB_URI;

if (uri) {
  let n = 0;
  describeCaseRepositoryContract('mongodb', async () => {
    const { client, db } = await connectMongo(uri, `weiquan_cases_test_${process.pid}_${++n}`);
    await db.dropDatabase();
    return MongoCaseRepository.open(client, db);
  });
} else {
  describe.skip('CaseRepository contract (mongodb): set MONGODB_URI to run', () => {
    test('skipped', () => undefined);
  });
}
