/**
 * How long the gateway trusts a key (gateway/app-key-verifier.ts), against the real accounts
 * subgraph, on the verifier's own clock: a revoked key keeps working until its cached answer
 * expires (APP_KEY_CACHE_SECONDS) and not a moment after; a failing accounts subgraph is never
 * remembered.
 */
import { createServer } from 'node:http';
import { join } from 'node:path';
import { createAppKeyVerifier } from '../../gateway/app-key-verifier.ts';
import { createLogger } from '../../platform/logger.ts';
import { openSqlite } from '../../platform/store/sqlite.ts';
import { AccountRole } from '../../subgraphs/accounts/domain/account.ts';
import { SqliteAccountStore } from '../../subgraphs/accounts/store/accounts-sqlite.ts';
import { registerAppKey } from '../support/app-keys.ts';
import { startGraph, type TestGraph } from '../support/graph.ts';

let graph: TestGraph;
beforeAll(async () => {
  graph = await startGraph();
});
afterAll(() => graph.stop());

const logger = createLogger('silent', 'test');

test('a revoked key is refused once the cached answer is APP_KEY_CACHE_SECONDS old, and not before', async () => {
  let clock = 1_000_000;
  const verify = createAppKeyVerifier({ accountsUrl: graph.urls.accounts, cacheSeconds: 30, logger, now: () => clock });
  const staff = await graph.tokenFor('staff', 'verifier-staff');
  const owner = await graph.tokenFor('staff', 'verifier-owner');
  // Registering needs an account behind the token: written into the accounts store directly.
  const store = new SqliteAccountStore(openSqlite(join(graph.dataDir, 'accounts.db')));
  await store.insertAccount({
    id: 'verifier-owner',
    role: AccountRole.Staff,
    contact: { kind: 'email', value: 'verifier-owner@example.org' },
    passwordHash: null,
    verifiedAt: new Date(),
    createdAt: new Date(),
    deletedAt: null,
  });
  await store.close();
  const { id, key } = await registerAppKey(graph, owner, 'cached app');

  expect(await verify(key)).toEqual({ kind: 'live', verification: { id, requestsPerMinute: null } });
  const revoked = await graph.query('mutation($id: ID!) { revokeAppKey(id: $id) { id } }', { id }, staff);
  expect(revoked.errors).toBeUndefined();
  clock += 29_999;
  expect((await verify(key)).kind).toBe('live');
  clock += 1;
  expect(await verify(key)).toEqual({ kind: 'invalid' });
});

test('a malformed key is invalid unasked; a failing accounts subgraph is unverified, and asked again', async () => {
  let asked = 0;
  const failing = createServer((_, res) => {
    asked += 1;
    res.writeHead(503).end();
  });
  await new Promise<void>((resolve) => failing.listen(0, '127.0.0.1', resolve));
  const { port } = failing.address() as { port: number };
  try {
    const verify = createAppKeyVerifier({ accountsUrl: `http://127.0.0.1:${port}/graphql`, cacheSeconds: 30, logger });
    expect(await verify('not-a-key')).toEqual({ kind: 'invalid' });
    expect(asked).toBe(0);
    const wellFormed = `wqk_${'A'.repeat(43)}`;
    expect(await verify(wellFormed)).toEqual({ kind: 'unverified' });
    expect(await verify(wellFormed)).toEqual({ kind: 'unverified' });
    expect(asked).toBe(2);
  } finally {
    await new Promise((resolve) => failing.close(resolve));
  }
});
