import { leaseIndexes } from '../../../platform/store/leases.ts';
import { CASE_MONGO_INDEXES } from '../../../subgraphs/cases/store/mongo.ts';
import { CRAWL_STATE_INDEXES } from '../../../subgraphs/reputation/store/crawl-state-mongo.ts';
import { LISTINGS_INDEXES } from '../../../subgraphs/reputation/store/listings-mongo.ts';
import { ROLLUP_INDEXES } from '../../../subgraphs/reputation/store/rollups-mongo.ts';
import { SNAPSHOT_INDEXES } from '../../../subgraphs/reputation/store/snapshots-mongo.ts';

// No MongoDB server can run here (stack.md): what a server would refuse at start is checked from
// the declarations themselves.
const DECLARED = { ...CASE_MONGO_INDEXES, ...LISTINGS_INDEXES, ...CRAWL_STATE_INDEXES, ...ROLLUP_INDEXES, ...SNAPSHOT_INDEXES, ...leaseIndexes };

test.each(Object.entries(DECLARED))('the %s indexes have distinct names and key patterns (servers before 5.0 refuse two that differ only in options)', (_collection, indexes) => {
  const names = indexes.map((index) => index.name);
  const keys = indexes.map((index) => JSON.stringify(index.key));
  expect(new Set(names).size).toBe(names.length);
  expect(new Set(keys).size).toBe(keys.length);
  for (const index of indexes) expect(index.name).toEqual(expect.any(String));
});
