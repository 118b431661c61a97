/** The code outbox contract, run against every adapter (MongoDB when MONGODB_URI is set). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PARKED_UNTIL } from '../../../../platform/outbox/retry.ts';
import { connectMongo } from '../../../../platform/store/mongo.ts';
import { openSqlite } from '../../../../platform/store/sqlite.ts';
import type { CodeDeliveryRow } from '../../../../subgraphs/accounts/domain/code-delivery.ts';
import { CodePurpose } from '../../../../subgraphs/accounts/domain/codes.ts';
import { Query } from 'mingo';
import { createMongoCodeOutboxStore, dueCodeFilter } from '../../../../subgraphs/accounts/store/code-outbox-mongo.ts';
import { createSqliteCodeOutboxStore } from '../../../../subgraphs/accounts/store/code-outbox-sqlite.ts';
import type { CodeOutboxStore } from '../../../../subgraphs/accounts/store/code-outbox.ts';

const at = (second: number) => new Date(Date.UTC(2026, 10, 20, 8, 0, second));
const row = (id: string, accountId: string, address: string, second = 0): CodeDeliveryRow => ({
  id,
  accountId,
  purpose: CodePurpose.VerifyContact,
  recipient: { kind: address.includes('@') ? 'email' : 'sms', address },
  sealedCode: `v1.sealed-${id}`,
  expiresAt: at(600).toISOString(),
  createdAt: at(second).toISOString(),
  deliveredAt: null,
  attempts: 0,
  nextAttemptAt: at(second).toISOString(),
});
const claim = (store: CodeOutboxStore, second: number, kinds = ['email', 'sms']) =>
  store.claimDue({ now: at(second), claimUntil: at(second + 60), limit: 10, kinds });

function describeContract(name: string, open: () => Promise<CodeOutboxStore>) {
  describe(`CodeOutboxStore contract (${name})`, () => {
    let store: CodeOutboxStore;
    beforeEach(async () => {
      store = await open();
    });

    test('due rows of the kinds asked are claimed once, oldest first, hidden until the claim ends', async () => {
      await store.enqueue(row('c2', 'a1', 'two@example.org', 2));
      await store.enqueue(row('c1', 'a1', 'one@example.org', 1));
      await store.enqueue(row('c3', 'a2', '13800138000', 1));
      expect((await claim(store, 5, ['email'])).map((r) => r.id)).toEqual(['c1', 'c2']);
      expect((await claim(store, 6, ['email'])).map((r) => r.id)).toEqual([]);
      expect((await claim(store, 70, ['email'])).map((r) => r.id)).toEqual(['c1', 'c2']);
      expect((await claim(store, 70, ['sms'])).map((r) => r.id)).toEqual(['c3']);
    });

    test('a delivered row keeps neither the code nor the address, and is never claimed again', async () => {
      await store.enqueue(row('c1', 'a1', 'one@example.org'));
      await claim(store, 1);
      await store.markDelivered('c1', at(2), '250 OK');
      const [delivered] = await store.rowsOf('a1');
      expect(delivered).toMatchObject({ deliveredAt: at(2).toISOString(), sealedCode: null, attempts: 1 });
      expect(delivered.recipient.address).toBe('o***@example.org');
      expect(await claim(store, 9999)).toEqual([]);
    });

    test('a failed row is retried when due; a parked one is erased and never due again', async () => {
      await store.enqueue(row('c1', 'a1', '13800138000'));
      await claim(store, 1);
      const failure = { now: at(2), error: 'HTTP 500', detail: null, parked: false };
      await store.markFailed('c1', { ...failure, nextAttemptAt: at(30).toISOString() });
      expect(await claim(store, 29)).toEqual([]);
      const [retried] = await claim(store, 30);
      expect(retried).toMatchObject({ id: 'c1', attempts: 1, sealedCode: 'v1.sealed-c1' });
      await store.markFailed('c1', { ...failure, parked: true, nextAttemptAt: PARKED_UNTIL });
      const [parked] = await store.rowsOf('a1');
      expect(parked).toMatchObject({ attempts: 2, sealedCode: null, deliveredAt: null });
      expect(parked.recipient.address).toBe('138****8000');
      expect(await claim(store, 10_000_000)).toEqual([]);
    });

    test('purging an account removes its rows only', async () => {
      await store.enqueue(row('c1', 'a1', 'one@example.org'));
      await store.enqueue(row('c2', 'a2', 'two@example.org'));
      await store.purgeAccount('a1');
      expect(await store.rowsOf('a1')).toEqual([]);
      expect((await store.rowsOf('a2')).map((r) => r.id)).toEqual(['c2']);
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), 'weiquan-code-outbox-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
describeContract('sqlite', async () => createSqliteCodeOutboxStore(openSqlite(join(dir, `accounts-${++n}.db`))));

const uri = process.env.MONGODB_URI;
if (uri) {
  describeContract('mongodb', async () => {
    const { db } = await connectMongo(uri, `weiquan_code_outbox_test_${process.pid}_${++n}`);
    await db.dropDatabase();
    return createMongoCodeOutboxStore(db);
  });
} else {
  describe.skip('CodeOutboxStore contract (mongodb): set MONGODB_URI to run', () => {
    test('skipped', () => undefined);
  });
}

test('the MongoDB due filter takes undelivered, unparked rows due now, of the kinds asked (mingo)', () => {
  const doc = (id: string, patch: Record<string, unknown>) => {
    const { id: _id, ...rest } = row(id, 'a1', id.startsWith('s') ? '13800138000' : 'x@example.org', 1);
    return { ...rest, _id: id, parked: false, lastError: null, ...patch };
  };
  const docs = [
    doc('due', {}),
    doc('sms', {}),
    doc('later', { nextAttemptAt: at(90).toISOString() }),
    doc('sent', { deliveredAt: at(2).toISOString() }),
    doc('parked', { parked: true }),
  ];
  const found = new Query(dueCodeFilter(at(5), ['email'])).find(docs).all();
  expect(found.map((d) => (d as { _id: string })._id)).toEqual(['due']);
});
