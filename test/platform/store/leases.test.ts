import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import fc from 'fast-check';
import { Query } from 'mingo';
import { openSqlite } from '../../../platform/store/sqlite.ts';
import { connectMongo } from '../../../platform/store/mongo.ts';
import {
  createMongoLeaseStore,
  createSqliteLeaseStore,
  leaseAcquireFilter,
  leaseRenewFilter,
  withLease,
  type LeaseDocument,
  type LeaseStore,
} from '../../../platform/store/leases.ts';

const T0 = new Date('2026-10-01T00:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

/** The behaviour every LeaseStore adapter must have; run once per adapter. */
function describeLeaseStoreContract(
  name: string,
  makeStore: () => Promise<{ store: LeaseStore; close(): Promise<void> }>,
) {
  const maybe = name === 'mongo' && !process.env.MONGODB_URI ? describe.skip : describe;
  maybe(`LeaseStore contract (${name})`, () => {
    let store: LeaseStore;
    let close: () => Promise<void>;
    beforeEach(async () => {
      ({ store, close } = await makeStore());
    });
    afterEach(async () => close());

    test('a free lease is acquired', async () => {
      expect(await store.tryAcquire('job', 'a', 1000, at(0))).toBe(true);
    });
    test('a lease held by another holder and unexpired is refused', async () => {
      await store.tryAcquire('job', 'a', 1000, at(0));
      expect(await store.tryAcquire('job', 'b', 1000, at(999))).toBe(false);
    });
    test('the holder may re-acquire its own lease', async () => {
      await store.tryAcquire('job', 'a', 1000, at(0));
      expect(await store.tryAcquire('job', 'a', 1000, at(500))).toBe(true);
    });
    test('an expired lease can be taken by another holder', async () => {
      await store.tryAcquire('job', 'a', 1000, at(0));
      expect(await store.tryAcquire('job', 'b', 1000, at(1000))).toBe(true);
      expect(await store.tryAcquire('job', 'a', 1000, at(1500))).toBe(false);
    });
    test('renewing extends the lease so others stay out past the original expiry', async () => {
      await store.tryAcquire('job', 'a', 1000, at(0));
      expect(await store.renew('job', 'a', 1000, at(900))).toBe(true);
      expect(await store.tryAcquire('job', 'b', 1000, at(1500))).toBe(false);
      expect(await store.tryAcquire('job', 'b', 1000, at(1900))).toBe(true);
    });
    test('renewing fails for a holder that lost the lease', async () => {
      await store.tryAcquire('job', 'a', 1000, at(0));
      await store.tryAcquire('job', 'b', 1000, at(2000));
      expect(await store.renew('job', 'a', 1000, at(2100))).toBe(false);
    });
    test('releasing lets another holder in at once', async () => {
      await store.tryAcquire('job', 'a', 1000, at(0));
      await store.release('job', 'a');
      expect(await store.tryAcquire('job', 'b', 1000, at(1))).toBe(true);
    });
    test('releasing a lease one does not hold leaves it with its holder', async () => {
      await store.tryAcquire('job', 'a', 1000, at(0));
      await store.release('job', 'b');
      expect(await store.tryAcquire('job', 'b', 1000, at(1))).toBe(false);
    });
    test('different lease names are independent', async () => {
      expect(await store.tryAcquire('one', 'a', 1000, at(0))).toBe(true);
      expect(await store.tryAcquire('two', 'b', 1000, at(0))).toBe(true);
    });
    test('a non-positive TTL is refused', async () => {
      await expect(store.tryAcquire('job', 'a', 0, at(0))).rejects.toThrow(RangeError);
    });
  });
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'weiquan-leases-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let counter = 0;
describeLeaseStoreContract('sqlite', async () => {
  const db = openSqlite(join(dir, `contract-${counter++}.sqlite`));
  return { store: createSqliteLeaseStore(db), close: async () => db.close() };
});
describeLeaseStoreContract('mongo', async () => {
  const { client, db } = await connectMongo(
    process.env.MONGODB_URI!,
    `weiquan_leases_test_${process.pid}_${counter++}`,
  );
  return {
    store: createMongoLeaseStore(db),
    close: async () => {
      await db.dropDatabase();
      await client.close();
    },
  };
});

describe('two holders racing over separate SQLite connections', () => {
  let first: DatabaseSync;
  let second: DatabaseSync;
  beforeAll(() => {
    const file = join(dir, 'race.sqlite');
    first = openSqlite(file);
    second = openSqlite(file);
  });
  afterAll(() => {
    first.close();
    second.close();
  });

  test('only one wins each round, and after expiry the loser can take it', async () => {
    const a = createSqliteLeaseStore(first);
    const b = createSqliteLeaseStore(second);
    for (let round = 0; round < 20; round++) {
      const now = at(round * 10_000);
      const results = await Promise.all([
        a.tryAcquire(`race-${round}`, 'a', 1000, now),
        b.tryAcquire(`race-${round}`, 'b', 1000, now),
      ]);
      expect(results.filter(Boolean)).toHaveLength(1);
      const loser = results[0] ? b : a;
      const loserName = results[0] ? 'b' : 'a';
      expect(await loser.tryAcquire(`race-${round}`, loserName, 1000, at(round * 10_000 + 999))).toBe(false);
      expect(await loser.tryAcquire(`race-${round}`, loserName, 1000, at(round * 10_000 + 1000))).toBe(true);
    }
  });

  test('withLease runs the work on one holder only while the other holds the lease', async () => {
    const a = createSqliteLeaseStore(first);
    const b = createSqliteLeaseStore(second);
    const ran: string[] = [];
    await withLease(a, { name: 'exclusive', holder: 'a', ttlMs: 1000, now: () => at(0) }, async () => {
      ran.push('a');
      const inner = await withLease(b, { name: 'exclusive', holder: 'b', ttlMs: 1000, now: () => at(1) }, async () =>
        ran.push('b'),
      );
      expect(inner).toBeUndefined();
    });
    expect(ran).toEqual(['a']);
    // Released at the end, so the other holder gets it without waiting for expiry.
    expect(await b.tryAcquire('exclusive', 'b', 1000, at(2))).toBe(true);
  });
});

describe('the MongoDB lease filters, evaluated with mingo', () => {
  const docs: LeaseDocument[] = [
    { _id: 'expired', holder: 'a', expiresAt: at(1000) },
    { _id: 'held-by-a', holder: 'a', expiresAt: at(5000) },
    { _id: 'held-by-b', holder: 'b', expiresAt: at(5000) },
  ];
  const matches = (filter: object) =>
    docs
      .filter((doc) => new Query(filter as Record<string, unknown>).test(doc as unknown as Record<string, unknown>))
      .map((d) => d._id);

  test('acquire matches an expired lease, whoever held it', () => {
    expect(matches(leaseAcquireFilter('expired', 'b', at(2000)))).toEqual(['expired']);
  });
  test('acquire matches a lease already held by the same holder', () => {
    expect(matches(leaseAcquireFilter('held-by-a', 'a', at(2000)))).toEqual(['held-by-a']);
  });
  test('acquire matches nothing for a lease another holder still holds, so the upsert collides', () => {
    expect(matches(leaseAcquireFilter('held-by-b', 'a', at(2000)))).toEqual([]);
  });
  test('acquire treats the exact expiry instant as expired, like the SQLite adapter', () => {
    expect(matches(leaseAcquireFilter('held-by-b', 'a', at(5000)))).toEqual(['held-by-b']);
  });
  test('renew matches only the holder’s own unexpired lease', () => {
    expect(matches(leaseRenewFilter('held-by-a', 'a', at(2000)))).toEqual(['held-by-a']);
    expect(matches(leaseRenewFilter('held-by-a', 'b', at(2000)))).toEqual([]);
    expect(matches(leaseRenewFilter('expired', 'a', at(2000)))).toEqual([]);
  });
});

describe('the SQLite lease store against a reference model', () => {
  type Op = { kind: 'acquire' | 'renew' | 'release'; holder: string; advanceMs: number; ttlMs: number };
  const op = fc.record({
    kind: fc.constantFrom('acquire' as const, 'renew' as const, 'release' as const),
    holder: fc.constantFrom('a', 'b', 'c'),
    advanceMs: fc.integer({ min: 0, max: 1500 }),
    ttlMs: fc.integer({ min: 1, max: 2000 }),
  });

  test('every operation answers as the model does, so at most one holder holds the lease at any time', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 40 }), async (ops: Op[]) => {
        const db = openSqlite(join(dir, `model-${run++}.sqlite`));
        const store = createSqliteLeaseStore(db);
        let model: { holder: string; expiresAt: number } | null = null;
        let now = 0;
        try {
          for (const { kind, holder, advanceMs, ttlMs } of ops) {
            now += advanceMs;
            const live = model !== null && model.expiresAt > now;
            if (kind === 'acquire') {
              const expected = !live || model!.holder === holder;
              expect(await store.tryAcquire('job', holder, ttlMs, at(now))).toBe(expected);
              if (expected) model = { holder, expiresAt: now + ttlMs };
            } else if (kind === 'renew') {
              const expected = live && model!.holder === holder;
              expect(await store.renew('job', holder, ttlMs, at(now))).toBe(expected);
              if (expected) model = { holder, expiresAt: now + ttlMs };
            } else {
              await store.release('job', holder);
              if (model?.holder === holder) model = null;
            }
          }
        } finally {
          db.close();
        }
      }),
      { numRuns: 60 },
    );
  });
});
