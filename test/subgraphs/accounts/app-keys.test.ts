/**
 * App keys through the real gateway and subgraphs: an account registers an app and sees its key
 * once (the store keeps a hash), lists and revokes its own keys, cannot touch another's; staff list
 * and revoke any and set a key's own limit; a revoked key is refused at the gateway; a key reads
 * public data and nothing personal; deleting the account revokes its keys.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { request } from 'undici';
import { APP_KEY_PATTERN, APP_KEY_VERIFY_PATH } from '../../../platform/app-keys.ts';
import { openSqlite } from '../../../platform/store/sqlite.ts';
import { appKeyHeaders, registerAppKey } from '../../support/app-keys.ts';
import type { TestGraph } from '../../support/graph.ts';
import { CodeInbox, registerAndVerify, startGraphWithInbox } from './support.ts';

const inbox = new CodeInbox();
let graph: TestGraph;
let alice: string;
let bob: string;
let staff: string;
const PASSWORD = 'correct horse battery';

beforeAll(async () => {
  graph = await startGraphWithInbox(inbox);
  alice = (await registerAndVerify(graph, inbox, 'alice@example.org', PASSWORD)).accessToken;
  bob = (await registerAndVerify(graph, inbox, 'bob@example.org', PASSWORD)).accessToken;
  staff = await graph.tokenFor('staff', 'app-keys-staff');
});
afterAll(() => graph.stop());

const codes = (answer: { errors?: Array<{ extensions?: Record<string, unknown> }> }) =>
  (answer.errors ?? []).map((error) => error.extensions?.code);
const MY_KEYS = '{ myAppKeys { id name accountId requestsPerMinute createdAt revokedAt } }';
const REVOKE = 'mutation($id: ID!) { revokeAppKey(id: $id) { id revokedAt } }';
const PUBLIC_READ = '{ channel(id: "12315") { id } }';

/** What the gateway's verification route says of `key`, asked directly as the gateway does. */
async function verification(key: string) {
  const response = await request(new URL(APP_KEY_VERIFY_PATH, graph.urls.accounts), { headers: appKeyHeaders(key) });
  return { status: response.statusCode, body: (await response.body.json()) as Record<string, unknown> };
}

test('a registered key is shown once, listed without itself, and stored only as its hash', async () => {
  const { id, key } = await registerAppKey(graph, alice, '  Price tracker  ');
  expect(key).toMatch(APP_KEY_PATTERN);
  expect(id).toMatch(/^ak_[0-9a-f]{16}$/);

  const listed = await graph.query<{ myAppKeys: Array<Record<string, unknown>> }>(MY_KEYS, undefined, alice);
  const mine = listed.data?.myAppKeys.find((k) => k.id === id);
  expect(mine).toMatchObject({ name: 'Price tracker', requestsPerMinute: null, revokedAt: null });
  expect(JSON.stringify(listed.data)).not.toContain(key);

  const db = openSqlite(join(graph.dataDir, 'accounts.db'));
  try {
    const row = db.prepare('SELECT * FROM app_keys WHERE id = ?').get(id) as Record<string, unknown>;
    expect(row.key_hash).toBe(createHash('sha256').update(key).digest('hex'));
    expect(JSON.stringify(row)).not.toContain(key.slice(4));
  } finally {
    db.close();
  }
  expect(await verification(key)).toEqual({ status: 200, body: { id, requestsPerMinute: null } });
});

test("an account lists only its own keys and cannot revoke another's (NOT_FOUND, as for no key)", async () => {
  const { id } = await registerAppKey(graph, alice, 'Alice only');
  const bobs = await graph.query<{ myAppKeys: Array<{ id: string }> }>(MY_KEYS, undefined, bob);
  expect(bobs.data?.myAppKeys.map((k) => k.id)).not.toContain(id);
  const attempt = await graph.query(REVOKE, { id }, bob);
  expect(codes(attempt)).toEqual(['NOT_FOUND']);
  const stillLive = await graph.query<{ myAppKeys: Array<{ id: string; revokedAt: string | null }> }>(
    MY_KEYS,
    undefined,
    alice,
  );
  expect(stillLive.data?.myAppKeys.find((k) => k.id === id)?.revokedAt).toBeNull();
});

test('a key reads public data through the gateway and nothing personal', async () => {
  const { key } = await registerAppKey(graph, alice, 'Reader');
  const read = await graph.query(PUBLIC_READ, undefined, undefined, undefined, appKeyHeaders(key));
  expect(read.errors).toBeUndefined();
  for (const personal of ['{ me { id } }', '{ myCases(first: 1) { edges { node { id } } } }', MY_KEYS]) {
    const answer = await graph.query(personal, undefined, undefined, undefined, appKeyHeaders(key));
    expect(codes(answer)).toEqual(['UNAUTHENTICATED']);
  }
});

test('the owner revokes a key, and the gateway refuses it from then on (401 UNAUTHENTICATED)', async () => {
  const { id, key } = await registerAppKey(graph, alice, 'Short-lived');
  const revoked = await graph.query<{ revokeAppKey: { revokedAt: string | null } }>(REVOKE, { id }, alice);
  expect(revoked.data?.revokeAppKey.revokedAt).toEqual(expect.any(String));
  expect((await verification(key)).status).toBe(401);

  const refused = await graph.query(PUBLIC_READ, undefined, undefined, undefined, appKeyHeaders(key));
  expect(refused.status).toBe(401);
  expect(codes(refused)).toEqual(['UNAUTHENTICATED']);
  const madeUp = await graph.query(PUBLIC_READ, undefined, undefined, undefined, appKeyHeaders('wqk_not-a-key'));
  expect(madeUp.status).toBe(401);
});

test('a token and a key together are refused: a key is for apps reading public data', async () => {
  const { key } = await registerAppKey(graph, alice, 'Both');
  const answer = await graph.query(PUBLIC_READ, undefined, alice, undefined, appKeyHeaders(key));
  expect(answer.status).toBe(400);
  expect(codes(answer)).toEqual(['BAD_REQUEST']);
});

test("staff list every account's keys, revoke any, and set a key's own limit (validated)", async () => {
  const { id, key } = await registerAppKey(graph, bob, 'Newsroom');
  const all = await graph.query<{ appKeys: Array<{ id: string; accountId: string }> }>(
    '{ appKeys(first: 500) { id accountId } }',
    undefined,
    staff,
  );
  expect(all.data?.appKeys.map((k) => k.id)).toContain(id);

  const SET =
    'mutation($id: ID!, $n: Int) { setAppKeyRateLimit(id: $id, requestsPerMinute: $n) { requestsPerMinute } }';
  expect(codes(await graph.query(SET, { id, n: 0 }, staff))).toEqual(['BAD_USER_INPUT']);
  expect(codes(await graph.query(SET, { id, n: 60 }, bob))).toEqual(['FORBIDDEN']);
  const set = await graph.query<{ setAppKeyRateLimit: { requestsPerMinute: number } }>(SET, { id, n: 60 }, staff);
  expect(set.data?.setAppKeyRateLimit.requestsPerMinute).toBe(60);
  expect((await verification(key)).body).toEqual({ id, requestsPerMinute: 60 });

  const revoked = await graph.query<{ revokeAppKey: { revokedAt: string | null } }>(REVOKE, { id }, staff);
  expect(revoked.data?.revokeAppKey.revokedAt).toEqual(expect.any(String));
  expect((await verification(key)).status).toBe(401);
});

test('deleting an account revokes its keys', async () => {
  const carol = (await registerAndVerify(graph, inbox, 'carol@example.org', PASSWORD)).accessToken;
  const { key } = await registerAppKey(graph, carol, 'Carol app');
  expect((await verification(key)).status).toBe(200);
  const deleted = await graph.query('mutation($p: String!) { deleteAccount(password: $p) }', { p: PASSWORD }, carol);
  expect(deleted.errors).toBeUndefined();
  expect((await verification(key)).status).toBe(401);
});

test('a name that is empty, too long or holds control characters is refused with its argument path', async () => {
  for (const name of ['   ', 'x'.repeat(81), 'tab\there']) {
    const answer = await graph.query(
      'mutation($name: String!) { registerAppKey(name: $name) { key } }',
      { name },
      alice,
    );
    expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentPath: 'name' });
  }
});
