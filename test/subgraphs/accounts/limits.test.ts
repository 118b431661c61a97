/**
 * The attempt limits on a real SQLite store. The clock is faked (Date only: SQLite and the
 * promises stay real) to step over locks instead of waiting for them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import { createLogger } from '../../../platform/logger.ts';
import { openSqlite } from '../../../platform/store/sqlite.ts';
import type { AttemptLimits } from '../../../subgraphs/accounts/attempt-limits.ts';
import type { Contact } from '../../../subgraphs/accounts/domain/contact.ts';
import { createAttemptLimits, LIMITS } from '../../../subgraphs/accounts/limits.ts';
import { SqliteAccountStore } from '../../../subgraphs/accounts/store/accounts-sqlite.ts';

const dir = mkdtempSync(join(tmpdir(), 'weiquan-limits-'));
const logger = createLogger('silent', 'test');
let n = 0;
let path: string;
let store: SqliteAccountStore;
let limits: AttemptLimits;

function open(): { store: SqliteAccountStore; limits: AttemptLimits } {
  const opened = new SqliteAccountStore(openSqlite(path));
  return { store: opened, limits: createAttemptLimits({ kind: 'sqlite', db: opened.db }, opened, logger) };
}

beforeEach(() => {
  jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask', 'setTimeout', 'setInterval'] });
  jest.setSystemTime(new Date('2026-11-20T08:00:00Z'));
  path = join(dir, `accounts-${++n}.db`);
  ({ store, limits } = open());
});
afterEach(async () => {
  jest.useRealTimers();
  await store.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const alice: Contact = { kind: 'email', value: 'alice@example.org' };
const bob: Contact = { kind: 'email', value: 'bob@example.org' };
const here = { address: '203.0.113.7' };
const elsewhere = { address: '198.51.100.9' };
const minutes = (m: number) => jest.advanceTimersByTime(m * 60_000);

async function failSignIns(contact: Contact, caller: { address: string }, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    await limits.beforeSignIn(contact, caller);
    await limits.onSignInFailure(contact, caller);
  }
}

test('five failed sign-ins lock the contact for 15 minutes, from any address; others are not affected', async () => {
  await failSignIns(alice, here, LIMITS.signInByContact.points);
  const refusal = await limits.beforeSignIn(alice, elsewhere).catch((error: unknown) => error);
  expect(refusal).toMatchObject({ extensions: { code: 'RATE_LIMITED' } });
  expect((refusal as { extensions: { retryAfterSeconds: number } }).extensions.retryAfterSeconds).toBe(900);
  await expect(limits.beforeSignIn(bob, here)).resolves.toBeUndefined();
  minutes(15);
  await expect(limits.beforeSignIn(alice, here)).resolves.toBeUndefined();
  expect((await store.securityEvents(10)).map((event) => [event.kind, event.detail])).toEqual([
    ['locked', 'signInByContact'],
  ]);
});

test('back-off: the second lock within a day lasts twice as long as the first', async () => {
  await failSignIns(alice, here, 5);
  minutes(15);
  await failSignIns(alice, here, 5);
  const refusal = (await limits.beforeSignIn(alice, here).catch((error: unknown) => error)) as {
    extensions: { retryAfterSeconds: number };
  };
  expect(refusal.extensions.retryAfterSeconds).toBe(1800);
});

test('a successful sign-in clears the contact’s failures', async () => {
  await failSignIns(alice, here, 4);
  await limits.onSignInSuccess(alice, here);
  await failSignIns(alice, here, 4);
  await expect(limits.beforeSignIn(alice, here)).resolves.toBeUndefined();
});

test('thirty failed sign-ins from one address lock that address for every contact, not other addresses', async () => {
  for (let i = 0; i < LIMITS.signInByAddress.points; i++) {
    await failSignIns({ kind: 'email', value: `user${i}@example.org` }, here, 1);
  }
  await expect(limits.beforeSignIn(bob, here)).rejects.toMatchObject({ extensions: { code: 'RATE_LIMITED' } });
  await expect(limits.beforeSignIn(bob, elsewhere)).resolves.toBeUndefined();
});

test('the limits hold across restarts: a new connection to the store sees the lock', async () => {
  await failSignIns(alice, here, 5);
  await store.close();
  ({ store, limits } = open());
  await expect(limits.beforeSignIn(alice, here)).rejects.toMatchObject({ extensions: { code: 'RATE_LIMITED' } });
});

test('ten failed code checks lock code checks for the contact for an hour', async () => {
  for (let i = 0; i < LIMITS.codeCheckByContact.points; i++) {
    await limits.beforeCodeCheck(alice, here);
    await limits.onCodeFailure(alice, here);
  }
  await expect(limits.beforeCodeCheck(alice, elsewhere)).rejects.toMatchObject({
    extensions: { code: 'RATE_LIMITED' },
  });
  minutes(60);
  await expect(limits.beforeCodeCheck(alice, elsewhere)).resolves.toBeUndefined();
});

test('codes can be requested five times an hour per contact', async () => {
  for (let i = 0; i < LIMITS.codeSendByContact.points; i++) await limits.beforeCodeSend(alice, here);
  await expect(limits.beforeCodeSend(alice, elsewhere)).rejects.toMatchObject({
    extensions: { code: 'RATE_LIMITED' },
  });
  await expect(limits.beforeCodeSend(bob, here)).resolves.toBeUndefined();
});

test('the limiter tables hold hashes, never a contact or an address', async () => {
  await failSignIns(alice, here, 2);
  await limits.beforeCodeSend(alice, here);
  const tables = store.db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'rate_limit_%'")
    .all() as Array<{ name: string }>;
  const keys = tables.flatMap(({ name }) =>
    (store.db.prepare(`SELECT key FROM ${name}`).all() as Array<{ key: string }>).map((row) => row.key),
  );
  expect(keys.length).toBeGreaterThan(0);
  for (const key of keys) {
    expect(key).not.toContain('alice');
    expect(key).not.toContain('203.0.113');
  }
});
