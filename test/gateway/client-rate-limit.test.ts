/**
 * The per-client rate limit at the gateway (gateway/plugins/client-rate-limit.ts), on the real
 * graph with small limits: anonymous callers per address, apps per key (a key's own limit first),
 * signed-in callers per token subject, each counted apart; past a limit, 429 with Retry-After and a
 * RATE_LIMITED error carrying retryAfterSeconds. Every request here comes from 127.0.0.1, so the
 * anonymous bucket is one address throughout, and each test uses callers no other test uses.
 */
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { clientAddressOf } from '../../gateway/gateway.ts';
import { openSqlite } from '../../platform/store/sqlite.ts';
import { AccountRole } from '../../subgraphs/accounts/domain/account.ts';
import { SqliteAccountStore } from '../../subgraphs/accounts/store/accounts-sqlite.ts';
import { appKeyHeaders, registerAppKey } from '../support/app-keys.ts';
import { startGraph, type GraphQLResponse, type TestGraph } from '../support/graph.ts';

const LIMITS = { anonymous: 3, appKey: 5, signedIn: 4 };
let graph: TestGraph;

beforeAll(async () => {
  graph = await startGraph({
    env: {
      RATE_LIMIT_ANONYMOUS_PER_MINUTE: String(LIMITS.anonymous),
      RATE_LIMIT_APP_KEY_PER_MINUTE: String(LIMITS.appKey),
      RATE_LIMIT_SIGNED_IN_PER_MINUTE: String(LIMITS.signedIn),
    },
  });
});
afterAll(() => graph.stop());

const READ = '{ channel(id: "12315") { id } }';

/** `count` reads one after another, with `token` or `headers`: the statuses in order, and the last answer. */
async function reads(count: number, token?: string, headers?: Record<string, string>) {
  const statuses: number[] = [];
  let last: GraphQLResponse | undefined;
  for (let i = 0; i < count; i++) {
    last = await graph.query(READ, undefined, token, undefined, headers);
    statuses.push(last.status);
  }
  return { statuses, last: last as GraphQLResponse };
}

function expectRateLimited(answer: GraphQLResponse): void {
  expect(answer.status).toBe(429);
  const retryAfter = Number(answer.headers['retry-after']);
  expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60).toBe(true);
  expect(answer.errors).toEqual([
    expect.objectContaining({
      extensions: expect.objectContaining({ code: 'RATE_LIMITED', retryAfterSeconds: retryAfter }),
    }),
  ]);
  expect(answer.data).toBeUndefined();
}

/** A signed-in account of its own, which can register app keys. */
async function accountToken(id: string): Promise<string> {
  const store = new SqliteAccountStore(openSqlite(join(graph.dataDir, 'accounts.db')));
  await store.insertAccount({
    id,
    role: AccountRole.Complainant,
    contact: { kind: 'email', value: `${id}@example.org` },
    passwordHash: null,
    verifiedAt: new Date(),
    createdAt: new Date(),
    deletedAt: null,
  });
  await store.close();
  return graph.tokenFor('complainant', id);
}

describe('one address without a key or token', () => {
  test('gets its limit, then 429 RATE_LIMITED; a forged x-forwarded-for or token does not help', async () => {
    const { statuses, last } = await reads(LIMITS.anonymous + 1);
    expect(statuses).toEqual([200, 200, 200, 429]);
    expectRateLimited(last);
    expectRateLimited((await reads(1, undefined, { 'x-forwarded-for': '203.0.113.9' })).last);
    expectRateLimited((await reads(1, 'not.a.token')).last);
  });

  test('is counted apart from an app key used from the same address, which has its own, higher limit', async () => {
    const { key } = await registerAppKey(graph, await accountToken('limit-app-owner'), 'limited app');
    const { statuses, last } = await reads(LIMITS.appKey + 1, undefined, appKeyHeaders(key));
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    expectRateLimited(last);
    // A second key has its own count.
    const other = await registerAppKey(graph, await accountToken('limit-app-owner-2'), 'other app');
    expect((await reads(1, undefined, appKeyHeaders(other.key))).statuses).toEqual([200]);
  });

  test('is counted apart from a token subject, and one subject apart from another', async () => {
    const alice = await graph.tokenFor('complainant', 'limit-subject-a');
    const { statuses, last } = await reads(LIMITS.signedIn + 1, alice);
    expect(statuses).toEqual([200, 200, 200, 200, 429]);
    expectRateLimited(last);
    // Another token for the same subject shares its count; another subject has its own.
    const aliceAgain = await graph.tokenFor('complainant', 'limit-subject-a');
    expectRateLimited((await reads(1, aliceAgain)).last);
    const bob = await graph.tokenFor('complainant', 'limit-subject-b');
    expect((await reads(1, bob)).statuses).toEqual([200]);
  });
});

test("a key's own limit replaces the default for keys", async () => {
  const owner = await accountToken('limit-own-limit-owner');
  const { id, key } = await registerAppKey(graph, owner, 'small app');
  const staff = await graph.tokenFor('staff', 'limit-staff');
  const set = await graph.query(
    'mutation($id: ID!) { setAppKeyRateLimit(id: $id, requestsPerMinute: 2) { requestsPerMinute } }',
    { id },
    staff,
  );
  expect(set.errors).toBeUndefined();
  const { statuses, last } = await reads(3, undefined, appKeyHeaders(key));
  expect(statuses).toEqual([200, 200, 429]);
  expectRateLimited(last);
});

describe('the client address', () => {
  const request = (peer: string, forwarded?: string) =>
    ({
      socket: { remoteAddress: peer },
      headers: forwarded ? { 'x-forwarded-for': forwarded } : {},
    }) as IncomingMessage;

  test("is the socket's address, whatever x-forwarded-for the client sends", () => {
    expect(clientAddressOf(request('198.51.100.7', '203.0.113.9'), new Set())).toBe('198.51.100.7');
  });

  test('is the last x-forwarded-for address when the peer is a trusted proxy', () => {
    const trusted = new Set(['10.0.0.2']);
    expect(clientAddressOf(request('10.0.0.2', '203.0.113.9, 198.51.100.7'), trusted)).toBe('198.51.100.7');
    expect(clientAddressOf(request('10.0.0.2'), trusted)).toBe('10.0.0.2');
    expect(clientAddressOf(request('10.0.0.3', '203.0.113.9'), trusted)).toBe('10.0.0.3');
  });
});
