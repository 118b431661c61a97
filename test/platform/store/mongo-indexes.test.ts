import { leaseIndexes } from '../../../platform/store/leases.ts';
import { changedIndexes } from '../../../platform/store/mongo.ts';
import { CASE_MONGO_INDEXES } from '../../../subgraphs/cases/store/case-repository-mongo-documents.ts';
import { CRAWL_STATE_INDEXES } from '../../../subgraphs/reputation/store/crawl-state-mongo.ts';
import { LISTINGS_INDEXES } from '../../../subgraphs/reputation/store/listings-mongo.ts';
import { ROLLUP_INDEXES } from '../../../subgraphs/reputation/store/rollups-mongo.ts';
import { SNAPSHOT_INDEXES } from '../../../subgraphs/reputation/store/snapshots-mongo.ts';

// No MongoDB server can run here (../shared/reference/stack.md): what a server would refuse at start is checked from
// the declarations themselves.
const DECLARED = {
  ...CASE_MONGO_INDEXES,
  ...LISTINGS_INDEXES,
  ...CRAWL_STATE_INDEXES,
  ...ROLLUP_INDEXES,
  ...SNAPSHOT_INDEXES,
  ...leaseIndexes,
};

test.each(Object.entries(DECLARED))(
  'the %s indexes have distinct names and key patterns (servers before 5.0 refuse two that differ only in options)',
  (_collection, indexes) => {
    const names = indexes.map((index) => index.name);
    const keys = indexes.map((index) => JSON.stringify(index.key));
    expect(new Set(names).size).toBe(names.length);
    expect(new Set(keys).size).toBe(keys.length);
    for (const index of indexes) expect(index.name).toEqual(expect.any(String));
  },
);

test('an index whose definition changed under its name is dropped and created again; unchanged ones are kept', () => {
  // As a server lists them: `cases_enterprise_forwarded` as created before forwardedAt joined its key.
  const existing = [
    { v: 2, key: { _id: 1 }, name: '_id_' },
    { v: 2, key: { reference: 1 }, name: 'cases_reference', unique: true },
    { v: 2, key: { enterpriseId: 1, submittedAt: -1, _id: -1 }, name: 'cases_enterprise' },
    {
      v: 2,
      key: { enterpriseId: 1, submittedAt: -1, _id: -1 },
      name: 'cases_enterprise_forwarded',
      partialFilterExpression: { forwardedAt: { $type: 'string' } },
    },
    { v: 2, key: { publishedAt: 1, _id: 1 }, name: 'cases_published' },
  ];
  expect(changedIndexes(existing, CASE_MONGO_INDEXES.cases)).toEqual(['cases_enterprise_forwarded', 'cases_published']);
  expect(changedIndexes([], CASE_MONGO_INDEXES.cases)).toEqual([]);
});
