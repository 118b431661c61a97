import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { DatabaseSync } from 'node:sqlite';
import { pino } from 'pino';
import { SMTPServer } from 'smtp-server';
import { openSqlite } from '../../../../platform/store/sqlite.ts';
import { closeServer } from '../../../../platform/server/subgraph-server.ts';
import { DELIVERY_HEADER, SIGNATURE_HEADER, verifyWebhookSignature, type WebhookBody } from '../../../../subgraphs/cases/domain/notifications.ts';
import { createOutboxDispatcher, startOutboxDispatcher, type OutboxDispatcherOptions } from '../../../../subgraphs/cases/notify/dispatcher.ts';
import { createSmtpTransport } from '../../../../subgraphs/cases/notify/smtp.ts';
import { createWebhookTransport } from '../../../../subgraphs/cases/notify/webhook.ts';
import { createSqliteOutboxDispatchStore, type OutboxDispatchStore } from '../../../../subgraphs/cases/store/outbox-dispatch.ts';
import { insertOutboxRows, outboxRow, prepareOutboxDb, storedOutboxRow } from '../outbox-fixtures.ts';

const SECRET = 'webhook-secret-for-tests';
const T0 = new Date('2026-10-01T00:00:00.000Z');
const logger = pino({ level: 'silent' });
const RETRY = { baseDelayMs: 1000, maxDelayMs: 8000, maxAttempts: 5 };
const CLAIM_MS = 60_000;

/** A real SMTP server on loopback that keeps every message it accepts. */
interface ReceivedMail { to: string[]; raw: string }
const mails: ReceivedMail[] = [];
let smtp: SMTPServer;
let smtpUrl: string;

/** A real webhook receiver that answers from a script and de-duplicates by delivery id, as receivers should. */
interface ReceivedHook { delivery: string; signature: string | undefined; body: string }
const hooks: ReceivedHook[] = [];
const processed = new Set<string>();
let answers: number[] = [];
let receiver: Server;
let hookUrl: string;

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
  smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;

  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const delivery = String(req.headers[DELIVERY_HEADER]);
      hooks.push({ delivery, signature: req.headers[SIGNATURE_HEADER] as string | undefined, body: Buffer.concat(chunks).toString('utf8') });
      const status = answers.shift() ?? 200;
      if (status < 300) processed.add(delivery);
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/weiquan`;
});

afterAll(async () => {
  await closeServer(receiver, 100);
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
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
  answers = [];
  clock = T0;
  db = openSqlite(join(dir, `dispatch-${counter++}.db`));
  prepareOutboxDb(db);
  store = createSqliteOutboxDispatchStore(db);
});
afterEach(() => db.close());

function dispatcherOptions(overrides: Partial<OutboxDispatcherOptions> = {}): OutboxDispatcherOptions {
  return {
    store,
    transports: [createWebhookTransport({ secret: SECRET, timeoutMs: 2000 }), createSmtpTransport({ url: smtpUrl, from: 'Weiquan <noreply@weiquan.test>', timeoutMs: 2000 })],
    logger,
    now: () => clock,
    random: () => 0.5,
    retry: RETRY,
    claimMs: CLAIM_MS,
    ...overrides,
  };
}

/** The headers of a raw message, unfolded, with RFC 2047 encoded words decoded. */
function mailHeaders(raw: string): Record<string, string> {
  const head = raw.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, ' ');
  const decode = (value: string) =>
    value
      .replace(/\?=\s+=\?/g, '?==?')
      .replace(/=\?utf-8\?([bq])\?([^?]*)\?=/gi, (_, encoding: string, text: string) =>
        encoding.toLowerCase() === 'b'
          ? Buffer.from(text, 'base64').toString('utf8')
          : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9a-f]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1').toString('utf8'),
      );
  return Object.fromEntries(
    head.split(/\r?\n/).map((line) => {
      const colon = line.indexOf(':');
      return [line.slice(0, colon).toLowerCase(), decode(line.slice(colon + 1).trim())];
    }),
  );
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
  expect(headers.subject).toBe('[维权 Weiquan] WQ-20261001-000001: 投诉已转交商家 / complaint forwarded to the business');
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
  expect(verifyWebhookSignature(SECRET, hooks[0].body, hooks[0].signature)).toBe(true);
  expect(verifyWebhookSignature('another-secret-entirely', hooks[0].body, hooks[0].signature)).toBe(false);
  const body = JSON.parse(hooks[0].body) as WebhookBody;
  expect(body).toMatchObject({ id: row.id, event: 'FORWARDED', caseId: 'case-1', data: { reference: 'WQ-20261001-000001', enterpriseId: 'ent1_abc' } });
  expect(await store.deliveryLog(row.id)).toEqual([{ outboxId: row.id, attempt: 1, at: T0.toISOString(), outcome: 'delivered', detail: 'HTTP 200', error: null }]);
});

test('a webhook answered 500 is retried after the backoff and then delivered', async () => {
  const row = outboxRow('webhook', hookUrl, T0);
  insertOutboxRows(db, [row]);
  answers = [500, 200];
  const dispatcher = createOutboxDispatcher(dispatcherOptions());

  expect(await dispatcher.runOnce()).toMatchObject({ failed: 1, delivered: 0 });
  // random 0.5 → 750 ms after the first failure (base 1000 ms, equal jitter).
  expect(storedOutboxRow(db, row.id)).toMatchObject({ delivered_at: null, attempts: 1, next_attempt_at: '2026-10-01T00:00:00.750Z' });
  clock = new Date(T0.getTime() + 749);
  expect(await dispatcher.runOnce()).toMatchObject({ claimed: 0 });
  clock = new Date(T0.getTime() + 750);
  expect(await dispatcher.runOnce()).toMatchObject({ delivered: 1 });

  expect(hooks.map((h) => h.delivery)).toEqual([row.id, row.id]);
  expect((await store.deliveryLog(row.id)).map((e) => [e.attempt, e.outcome, e.detail])).toEqual([
    [1, 'failed', 'HTTP 500'],
    [2, 'delivered', 'HTTP 200'],
  ]);
});

test('a webhook the receiver refuses (410) is parked, not retried', async () => {
  const row = outboxRow('webhook', hookUrl, T0);
  insertOutboxRows(db, [row]);
  answers = [410];
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

test('a crash after sending but before marking redelivers once with the same id, which the receiver de-duplicates', async () => {
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
  const report = await createOutboxDispatcher(dispatcherOptions({ transports: [createWebhookTransport({ secret: SECRET, timeoutMs: 2000 })] })).runOnce();
  expect(report.claimed).toBe(0);
  expect(storedOutboxRow(db, row.id)).toMatchObject({ delivered_at: null, attempts: 0 });
});

test('the running dispatcher delivers pending rows by itself and stops cleanly', async () => {
  const rows = [outboxRow('webhook', hookUrl, T0), outboxRow('email', 'consumer@example.com', T0)];
  insertOutboxRows(db, rows);
  const running = startOutboxDispatcher({ ...dispatcherOptions(), intervalMs: 20 });
  const deadline = Date.now() + 5000;
  while ((hooks.length < 1 || mails.length < 1) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  await running.stop();
  expect(hooks.map((h) => h.delivery)).toEqual([rows[0].id]);
  expect(mails).toHaveLength(1);
  for (const row of rows) expect(storedOutboxRow(db, row.id).delivered_at).not.toBeNull();
});
