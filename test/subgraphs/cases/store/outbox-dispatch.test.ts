import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Aggregator } from 'mingo';
import { openSqlite } from '../../../../platform/store/sqlite.ts';
import { connectMongo } from '../../../../platform/store/mongo.ts';
import { PARKED_UNTIL } from '../../../../subgraphs/cases/domain/notifications.ts';
import { createSqliteOutboxDispatchStore } from '../../../../subgraphs/cases/store/outbox-dispatch-sqlite.ts';
import type { OutboxDispatchStore } from '../../../../subgraphs/cases/store/outbox-dispatch.ts';
import {
  DUE_OUTBOX_SORT,
  createMongoOutboxDispatchStore,
  dueOutboxFilter,
  type OutboxDocument,
} from '../../../../subgraphs/cases/store/outbox-dispatch-mongo.ts';
import { OUTBOX_COLLECTION, type OutboxRow } from '../../../../subgraphs/cases/store/case-repository.ts';
import { insertOutboxRows, outboxRow, prepareOutboxDb, storedOutboxRow } from '../outbox-fixtures.ts';

const T0 = new Date('2026-10-01T00:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

interface Harness {
  store: OutboxDispatchStore;
  insert(rows: readonly OutboxRow[]): Promise<void>;
  stored(
    id: string,
  ): Promise<{ deliveredAt: string | null; attempts: number; nextAttemptAt: string; lastError: string | null }>;
  /** A second store on its own connection to the same data, for the claim race. */
  second(): Promise<{ store: OutboxDispatchStore; close(): Promise<void> }>;
  close(): Promise<void>;
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'weiquan-outbox-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What every OutboxDispatchStore adapter must do; run once per adapter. */
function describeOutboxDispatchStoreContract(name: string, makeHarness: () => Promise<Harness>) {
  const maybe = name === 'mongo' && !process.env.MONGODB_URI ? describe.skip : describe;
  maybe(`OutboxDispatchStore contract (${name})`, () => {
    let h: Harness;
    let store: OutboxDispatchStore;
    beforeEach(async () => {
      h = await makeHarness();
      store = h.store;
    });
    afterEach(async () => h.close());
    const claim = (ms: number, kinds: Array<'email' | 'webhook'> = ['email', 'webhook'], limit = 10) =>
      store.claimDue({ now: at(ms), claimUntil: at(ms + 60_000), limit, kinds });

    test('claiming returns the rows that are due and undelivered', async () => {
      const due = outboxRow('webhook', 'http://r/1', at(0));
      const later = outboxRow('webhook', 'http://r/2', at(0), { nextAttemptAt: at(5000).toISOString() });
      const done = outboxRow('webhook', 'http://r/3', at(0), { deliveredAt: at(1).toISOString() });
      await h.insert([due, later, done]);
      expect((await claim(1000)).map((r) => r.id)).toEqual([due.id]);
    });

    test('a claimed row is hidden from a second claim until the claim expires', async () => {
      const row = outboxRow('email', 'a@example.com', at(0));
      await h.insert([row]);
      expect(await claim(0)).toHaveLength(1);
      expect(await claim(59_999)).toHaveLength(0);
      expect((await claim(60_000)).map((r) => r.id)).toEqual([row.id]);
    });

    test('two stores on separate connections never claim the same row', async () => {
      const rows = Array.from({ length: 20 }, (_, i) => outboxRow('webhook', `http://r/${i}`, at(i)));
      await h.insert(rows);
      const other = await h.second();
      const otherStore = other.store;
      const [mine, theirs] = await Promise.all([
        store.claimDue({ now: at(100), claimUntil: at(60_000), limit: 12, kinds: ['webhook'] }),
        otherStore.claimDue({ now: at(100), claimUntil: at(60_000), limit: 12, kinds: ['webhook'] }),
      ]);
      await other.close();
      const ids = [...mine, ...theirs].map((r) => r.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toHaveLength(20);
    });

    test('only rows of the requested kinds are claimed', async () => {
      const mail = outboxRow('email', 'a@example.com', at(0));
      const hook = outboxRow('webhook', 'http://r', at(0));
      await h.insert([mail, hook]);
      expect((await claim(0, ['webhook'])).map((r) => r.id)).toEqual([hook.id]);
    });

    test('claimed rows carry their recipient and payload as written', async () => {
      const row = outboxRow('email', 'a@example.com', at(0));
      await h.insert([row]);
      const [claimed] = await claim(0);
      expect({ ...claimed, nextAttemptAt: row.nextAttemptAt }).toEqual(row);
    });

    test('marking delivered sets deliveredAt, counts the attempt and logs it', async () => {
      const row = outboxRow('webhook', 'http://r', at(0));
      await h.insert([row]);
      await claim(0);
      await store.markDelivered(row.id, at(10), 'HTTP 204');
      expect(await h.stored(row.id)).toMatchObject({ deliveredAt: at(10).toISOString(), attempts: 1 });
      expect(await store.deliveryLog(row.id)).toEqual([
        {
          outboxId: row.id,
          attempt: 1,
          at: at(10).toISOString(),
          outcome: 'delivered',
          detail: 'HTTP 204',
          error: null,
        },
      ]);
      expect(await claim(120_000)).toHaveLength(0);
    });

    test('a failure records the error, counts the attempt and reschedules the row', async () => {
      const row = outboxRow('webhook', 'http://r', at(0));
      await h.insert([row]);
      await claim(0);
      await store.markFailed(row.id, {
        now: at(10),
        error: 'The receiver answered HTTP 500.',
        detail: 'HTTP 500',
        nextAttemptAt: at(30_000).toISOString(),
        parked: false,
      });
      expect(await h.stored(row.id)).toEqual({
        deliveredAt: null,
        attempts: 1,
        nextAttemptAt: at(30_000).toISOString(),
        lastError: 'The receiver answered HTTP 500.',
      });
      expect((await store.deliveryLog(row.id))[0]).toMatchObject({ attempt: 1, outcome: 'failed', detail: 'HTTP 500' });
      expect(await claim(29_999)).toHaveLength(0);
      expect(await claim(30_000)).toHaveLength(1);
    });

    test('a parked row is never claimed again', async () => {
      const row = outboxRow('webhook', 'http://r', at(0));
      await h.insert([row]);
      await claim(0);
      await store.markFailed(row.id, {
        now: at(10),
        error: 'HTTP 410',
        detail: 'HTTP 410',
        nextAttemptAt: PARKED_UNTIL,
        parked: true,
      });
      expect(await claim(10 * 365 * 24 * 3600_000)).toHaveLength(0);
      expect((await store.deliveryLog(row.id))[0].outcome).toBe('parked');
    });

    test('a redelivery of an already delivered row is logged without un-delivering it', async () => {
      const row = outboxRow('webhook', 'http://r', at(0));
      await h.insert([row]);
      await store.markDelivered(row.id, at(10), 'HTTP 200');
      await store.markFailed(row.id, {
        now: at(20),
        error: 'late failure',
        detail: null,
        nextAttemptAt: at(99).toISOString(),
        parked: false,
      });
      expect(await h.stored(row.id)).toMatchObject({ deliveredAt: at(10).toISOString(), attempts: 1 });
      expect((await store.deliveryLog(row.id)).map((e) => e.attempt)).toEqual([1, 2]);
    });
  });
}

let counter = 0;
describeOutboxDispatchStoreContract('sqlite', async () => {
  const file = join(dir, `outbox-${counter++}.db`);
  const db = openSqlite(file);
  prepareOutboxDb(db);
  return {
    store: createSqliteOutboxDispatchStore(db),
    insert: async (rows) => insertOutboxRows(db, rows),
    stored: async (id) => {
      const row = storedOutboxRow(db, id);
      return {
        deliveredAt: row.delivered_at,
        attempts: row.attempts,
        nextAttemptAt: row.next_attempt_at,
        lastError: row.last_error,
      };
    },
    second: async () => {
      const other = openSqlite(file);
      return { store: createSqliteOutboxDispatchStore(other), close: async () => other.close() };
    },
    close: async () => db.close(),
  };
});
describeOutboxDispatchStoreContract('mongo', async () => {
  const dbName = `weiquan_outbox_test_${process.pid}_${counter++}`;
  const { client, db } = await connectMongo(process.env.MONGODB_URI!, dbName);
  const outbox = db.collection<OutboxDocument>(OUTBOX_COLLECTION);
  return {
    store: createMongoOutboxDispatchStore(db),
    insert: async (rows) => {
      await outbox.insertMany(rows.map((row) => ({ ...row, _id: row.id })));
    },
    stored: async (id) => {
      const doc = (await outbox.findOne({ _id: id }))!;
      return {
        deliveredAt: doc.deliveredAt,
        attempts: doc.attempts,
        nextAttemptAt: doc.nextAttemptAt,
        lastError: doc.lastError ?? null,
      };
    },
    second: async () => {
      const other = await connectMongo(process.env.MONGODB_URI!, dbName);
      return { store: createMongoOutboxDispatchStore(other.db), close: () => other.client.close() };
    },
    close: async () => {
      await db.dropDatabase();
      await client.close();
    },
  };
});

describe('the MongoDB due-rows filter, evaluated with mingo', () => {
  test('selects the same rows in the same order as the SQLite claim', async () => {
    const rows: OutboxRow[] = [
      outboxRow('webhook', 'http://a', at(0), { nextAttemptAt: at(300).toISOString() }),
      outboxRow('email', 'b@example.com', at(0), { nextAttemptAt: at(100).toISOString() }),
      outboxRow('webhook', 'http://c', at(0), { nextAttemptAt: at(5000).toISOString() }),
      outboxRow('webhook', 'http://d', at(0), {
        deliveredAt: at(50).toISOString(),
        nextAttemptAt: at(0).toISOString(),
      }),
      outboxRow('webhook', 'http://e', at(0), { nextAttemptAt: at(200).toISOString() }),
    ];
    const db = openSqlite(join(dir, 'mingo.db'));
    prepareOutboxDb(db);
    const store = createSqliteOutboxDispatchStore(db);
    insertOutboxRows(db, rows);
    const docs = rows.map((row) => ({ ...row, _id: row.id }));
    const viaMingo = new Aggregator([
      { $match: dueOutboxFilter(at(1000), ['webhook', 'email']) },
      { $sort: DUE_OUTBOX_SORT },
    ])
      .run(docs as unknown as Record<string, unknown>[])
      .map((doc) => doc._id);
    const claimed = await store.claimDue({
      now: at(1000),
      claimUntil: at(60_000),
      limit: 10,
      kinds: ['webhook', 'email'],
    });
    expect(viaMingo).toEqual([rows[1].id, rows[4].id, rows[0].id]);
    db.close();
    expect(claimed.map((r) => r.id).sort()).toEqual([...viaMingo].sort());
  });
});
