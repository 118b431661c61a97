import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { pino } from 'pino';
import { openSqlite } from '../../../../platform/store/sqlite.ts';
import { DELIVERY_HEADER, type WebhookBody } from '../../../../subgraphs/cases/domain/notifications.ts';
import {
  createOutboxDispatcher,
  startOutboxDispatcher,
  type OutboxDispatcherOptions,
} from '../../../../subgraphs/cases/notify/dispatcher.ts';
import { createSmtpTransport } from '../../../../subgraphs/cases/notify/smtp.ts';
import { createWebhookTransport } from '../../../../subgraphs/cases/notify/webhook.ts';
import { webhookSignatureProblem } from '../../../../platform/webhook-signature.ts';
import { createSqliteOutboxDispatchStore } from '../../../../subgraphs/cases/store/outbox-dispatch-sqlite.ts';
import type { OutboxDispatchStore } from '../../../../subgraphs/cases/store/outbox-dispatch.ts';
import { insertOutboxRows, outboxRow, prepareOutboxDb, storedOutboxRow } from '../outbox-fixtures.ts';
import {
  mailHeaders,
  startSmtpSink,
  startWebhookReceiver,
  whenReceived,
  type ReceivedHook,
  type ReceivedMail,
} from './receivers.ts';

const SECRET = 'webhook-secret-for-tests';
const T0 = new Date('2026-10-01T00:00:00.000Z');
const logger = pino({ level: 'silent' });
const RETRY = { baseDelayMs: 1000, maxDelayMs: 8000, maxAttempts: 5 };
const CLAIM_MS = 60_000;

let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let smtpUrl: string;
let hookUrl: string;
let mails: ReceivedMail[];
let hooks: ReceivedHook[];
let processed: Set<string>;

beforeAll(async () => {
  smtp = await startSmtpSink();
  receiver = await startWebhookReceiver(SECRET);
  smtpUrl = smtp.url;
  hookUrl = `${receiver.url}/hooks/weiquan`;
  ({ mails } = smtp);
  ({ hooks, processed } = receiver);
});

afterAll(async () => {
  await receiver.stop();
  await smtp.stop();
});

let dir: string;
let db: DatabaseSync;
let store: OutboxDispatchStore;
let clock: Date;
let counter = 0;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'weiquan-dispatch-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeEach(() => {
  mails.length = 0;
  hooks.length = 0;
  processed.clear();
  receiver.answers.length = 0;
  clock = T0;
  db = openSqlite(join(dir, `dispatch-${counter++}.db`));
  prepareOutboxDb(db);
  store = createSqliteOutboxDispatchStore(db);
});
afterEach(() => db.close());

function dispatcherOptions(overrides: Partial<OutboxDispatcherOptions> = {}): OutboxDispatcherOptions {
  return {
    store,
    transports: [
      createWebhookTransport({ secret: SECRET, timeoutMs: 2000 }),
      createSmtpTransport({ url: smtpUrl, from: 'Weiquan <noreply@weiquan.test>', timeoutMs: 2000 }),
    ],
    logger,
    now: () => clock,
    random: () => 0.5,
    retry: RETRY,
    claimMs: CLAIM_MS,
    ...overrides,
  };
}

test('an e-mail notification arrives at the SMTP server with its subject, recipient and stable ids', async () => {
  const row = outboxRow('email', 'consumer@example.com', T0);
  insertOutboxRows(db, [row]);
  const transports = dispatcherOptions().transports;
  const report = await createOutboxDispatcher(dispatcherOptions({ transports })).runOnce();
  await Promise.all(transports.map((t) => t.close?.()));

  expect(report).toEqual({ claimed: 1, delivered: 1, failed: 0, parked: 0 });
  expect(mails).toHaveLength(1);
  expect(mails[0].to).toEqual(['consumer@example.com']);
  const headers = mailHeaders(mails[0].raw);
  expect(headers.subject).toBe(
    '[维权 Weiquan] WQ-20261001-000001: 投诉已转交商家 / complaint forwarded to the business',
  );
  expect(headers.from).toBe('Weiquan <noreply@weiquan.test>');
  expect(headers['message-id']).toBe(`<${row.id}@weiquan.test>`);
  expect(headers[DELIVERY_HEADER]).toBe(row.id);
  expect(storedOutboxRow(db, row.id)).toMatchObject({ delivered_at: T0.toISOString(), attempts: 1 });
});

test('a webhook arrives signed with the shared secret and carrying the outbox id', async () => {
  const row = outboxRow('webhook', hookUrl, T0);
  insertOutboxRows(db, [row]);
  await createOutboxDispatcher(dispatcherOptions()).runOnce();

  expect(hooks).toHaveLength(1);
  expect(hooks[0].delivery).toBe(row.id);
  expect(hooks[0]).toMatchObject({ webhookId: row.id, signatureProblem: null });
  expect(hooks[0].signature).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
  const headers = {
    'webhook-id': row.id,
    'webhook-timestamp': hooks[0].timestamp,
    'webhook-signature': hooks[0].signature,
  };
  expect(webhookSignatureProblem('another-secret-entirely', hooks[0].body, headers)).toBe(
    'No matching signature found',
  );
  const body = JSON.parse(hooks[0].body) as WebhookBody;
  expect(body).toMatchObject({
    id: row.id,
    event: 'FORWARDED',
    caseId: 'case-1',
    data: { reference: 'WQ-20261001-000001', enterpriseId: 'ent1_abc' },
  });
  expect(await store.deliveryLog(row.id)).toEqual([
    { outboxId: row.id, attempt: 1, at: T0.toISOString(), outcome: 'delivered', detail: 'HTTP 200', error: null },
  ]);
});

test('a webhook answered 500 is retried after the backoff and then delivered', async () => {
  const row = outboxRow('webhook', hookUrl, T0);
  insertOutboxRows(db, [row]);
  receiver.answers.push(500, 200);
  const dispatcher = createOutboxDispatcher(dispatcherOptions());

  expect(await dispatcher.runOnce()).toMatchObject({ failed: 1, delivered: 0 });
  // random 0.5 → 750 ms after the first failure (base 1000 ms, equal jitter).
  expect(storedOutboxRow(db, row.id)).toMatchObject({
    delivered_at: null,
    attempts: 1,
    next_attempt_at: '2026-10-01T00:00:00.750Z',
  });
  clock = new Date(T0.getTime() + 749);
  expect(await dispatcher.runOnce()).toMatchObject({ claimed: 0 });
  clock = new Date(T0.getTime() + 750);
  expect(await dispatcher.runOnce()).toMatchObject({ delivered: 1 });

  expect(hooks.map((h) => h.delivery)).toEqual([row.id, row.id]);
  // Each attempt is signed afresh under the same webhook-id, so receivers de-duplicate by it.
  expect(hooks.map((h) => [h.webhookId, h.signatureProblem])).toEqual([
    [row.id, null],
    [row.id, null],
  ]);
  expect((await store.deliveryLog(row.id)).map((e) => [e.attempt, e.outcome, e.detail])).toEqual([
    [1, 'failed', 'HTTP 500'],
    [2, 'delivered', 'HTTP 200'],
  ]);
});

test('a captured delivery cannot be replayed: five minutes old, or under a new id, it is refused (18.7)', async () => {
  const row = outboxRow('webhook', hookUrl, T0);
  insertOutboxRows(db, [row]);
  // A delivery signed six minutes ago reaching the receiver now is what a replay looks like.
  const sixMinutesAgo = () => new Date(Date.now() - 6 * 60_000);
  const transports = [createWebhookTransport({ secret: SECRET, timeoutMs: 2000, now: sixMinutesAgo })];
  expect(await createOutboxDispatcher(dispatcherOptions({ transports })).runOnce()).toMatchObject({ parked: 1 });
  expect(hooks.map((h) => [h.webhookId, h.signatureProblem])).toEqual([[row.id, 'Message timestamp too old']]);
  expect(processed.size).toBe(0);

  // A fresh capture replayed at once under another id (to pass de-duplication) does not verify.
  hooks.length = 0;
  const second = outboxRow('webhook', hookUrl, T0, { id: 'outbox-replayed' });
  insertOutboxRows(db, [second]);
  await createOutboxDispatcher(dispatcherOptions()).runOnce();
  const [captured] = hooks;
  expect(captured.signatureProblem).toBeNull();
  const replay = { 'webhook-timestamp': captured.timestamp, 'webhook-signature': captured.signature };
  expect(webhookSignatureProblem(SECRET, captured.body, { ...replay, 'webhook-id': 'another-id' })).toBe(
    'No matching signature found',
  );
  expect(webhookSignatureProblem(SECRET, captured.body, { ...replay, 'webhook-id': captured.webhookId })).toBeNull();
});

test('a webhook the receiver refuses (410) is parked, not retried', async () => {
  const row = outboxRow('webhook', hookUrl, T0);
  insertOutboxRows(db, [row]);
  receiver.answers.push(410);
  const dispatcher = createOutboxDispatcher(dispatcherOptions());
  expect(await dispatcher.runOnce()).toMatchObject({ parked: 1 });
  clock = new Date(T0.getTime() + 365 * 24 * 3600_000);
  expect(await dispatcher.runOnce()).toMatchObject({ claimed: 0 });
  expect(hooks).toHaveLength(1);
});

test('an unreachable receiver counts as a failed attempt and is retried', async () => {
  const row = outboxRow('webhook', 'http://127.0.0.1:1/closed', T0);
  insertOutboxRows(db, [row]);
  expect(await createOutboxDispatcher(dispatcherOptions()).runOnce()).toMatchObject({ failed: 1 });
  expect(storedOutboxRow(db, row.id).last_error).toMatch(/ECONNREFUSED|connect/i);
});

const crashBetween = 'a crash after sending but before marking redelivers once with the same id';
test(`${crashBetween}, which the receiver de-duplicates`, async () => {
  const row = outboxRow('webhook', hookUrl, T0);
  insertOutboxRows(db, [row]);
  const crashingStore: OutboxDispatchStore = {
    ...store,
    markDelivered: async () => {
      throw new Error('process killed between send and mark');
    },
  };
  const first = createOutboxDispatcher(dispatcherOptions({ store: crashingStore }));
  await first.runOnce();
  expect(hooks).toHaveLength(1);
  expect(storedOutboxRow(db, row.id).delivered_at).toBeNull();

  // A restarted dispatcher sees the row again once the dead one's claim has run out.
  const restarted = createOutboxDispatcher(dispatcherOptions());
  expect(await restarted.runOnce()).toMatchObject({ claimed: 0 });
  clock = new Date(T0.getTime() + CLAIM_MS);
  expect(await restarted.runOnce()).toMatchObject({ delivered: 1 });

  expect(hooks.map((h) => h.delivery)).toEqual([row.id, row.id]);
  expect(processed).toEqual(new Set([row.id]));
  expect(storedOutboxRow(db, row.id).delivered_at).toBe(clock.toISOString());
  clock = new Date(T0.getTime() + 10 * CLAIM_MS);
  expect(await restarted.runOnce()).toMatchObject({ claimed: 0 });
});

test('a crash after the state change but before any delivery loses nothing: a later dispatcher sends it', async () => {
  const row = outboxRow('email', 'consumer@example.com', T0);
  insertOutboxRows(db, [row]);
  // The dead dispatcher had claimed the row and never sent it.
  await store.claimDue({ now: T0, claimUntil: new Date(T0.getTime() + CLAIM_MS), limit: 10, kinds: ['email'] });
  clock = new Date(T0.getTime() + CLAIM_MS);
  const transports = dispatcherOptions().transports;
  expect(await createOutboxDispatcher(dispatcherOptions({ transports })).runOnce()).toMatchObject({ delivered: 1 });
  await Promise.all(transports.map((t) => t.close?.()));
  expect(mails).toHaveLength(1);
});

test('without an SMTP transport, e-mail rows stay pending instead of being marked sent', async () => {
  const row = outboxRow('email', 'consumer@example.com', T0);
  insertOutboxRows(db, [row]);
  const report = await createOutboxDispatcher(
    dispatcherOptions({ transports: [createWebhookTransport({ secret: SECRET, timeoutMs: 2000 })] }),
  ).runOnce();
  expect(report.claimed).toBe(0);
  expect(storedOutboxRow(db, row.id)).toMatchObject({ delivered_at: null, attempts: 0 });
});

test('the running dispatcher delivers pending rows by itself and stops cleanly', async () => {
  const rows = [outboxRow('webhook', hookUrl, T0), outboxRow('email', 'consumer@example.com', T0)];
  insertOutboxRows(db, rows);
  const running = startOutboxDispatcher({ ...dispatcherOptions(), intervalMs: 20 });
  await whenReceived(() => hooks.length >= 1 && mails.length >= 1, 'the webhook and the e-mail');
  await running.stop();
  expect(hooks.map((h) => h.delivery)).toEqual([rows[0].id]);
  expect(mails).toHaveLength(1);
  for (const row of rows) expect(storedOutboxRow(db, row.id).delivered_at).not.toBeNull();
});
