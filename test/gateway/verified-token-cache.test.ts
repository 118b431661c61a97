/**
 * The gateway's memory of verified bearer tokens (gateway/verified-token-cache.ts), over the real
 * verifier with the accounts slice's real keys served as a JWKS over loopback HTTP: a token that
 * verified is not verified again until its `exp`; an expired, refused, tampered or foreign-signed
 * token never passes through it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import { generateKeyPair, SignJWT } from 'jose';
import { cacheVerifiedTokens } from '../../gateway/verified-token-cache.ts';
import { type Authenticator, createAuthenticator } from '../../platform/auth.ts';
import { openSqlite } from '../../platform/store/sqlite.ts';
import { SigningKeys } from '../../subgraphs/accounts/keys.ts';
import { SqliteAccountStore } from '../../subgraphs/accounts/store/accounts-sqlite.ts';
import { forgedStaffToken, serveJwks } from '../support/jwks-server.ts';

const dir = mkdtempSync(join(tmpdir(), 'weiquan-token-cache-'));
let store: SqliteAccountStore;
let clock = Date.now();
let keys: SigningKeys;
let jwks: Awaited<ReturnType<typeof serveJwks>>;
let accountsUrl: string;

beforeAll(async () => {
  store = new SqliteAccountStore(openSqlite(join(dir, 'accounts.db')));
  keys = new SigningKeys(store, () => new Date(clock));
  await keys.ensureCurrent();
  jwks = await serveJwks(() => keys.jwks());
  accountsUrl = jwks.accountsUrl;
});
afterAll(async () => {
  await jwks.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  clock = Date.now();
});
afterEach(() => {
  jest.useRealTimers();
});

/** The real production verifier, counting the tokens it is asked about, behind the cache. */
function cachedVerifier(maxEntries?: number): { verify: Authenticator; verifications: () => number } {
  const real = createAuthenticator({
    production: true,
    developmentSecret: 'd'.repeat(40),
    developmentMaxLifetimeSeconds: 3600,
    accountsUrl: () => accountsUrl,
  });
  let verifications = 0;
  const counting: Authenticator = (authorization) => {
    verifications++;
    return real(authorization);
  };
  return { verify: cacheVerifiedTokens(counting, { maxEntries }), verifications: () => verifications };
}
const bearer = (token: string) => `Bearer ${token}`;
const refused = (message: RegExp) =>
  expect.objectContaining({ message: expect.stringMatching(message), extensions: { code: 'UNAUTHENTICATED' } });

test('a token that verified is not verified again while it is valid', async () => {
  const { verify, verifications } = cachedVerifier();
  const token = bearer(await keys.sign({ id: 'acc_1', role: 'complainant' }, 'fam_1'));
  expect(await verify(token)).toEqual({ id: 'acc_1', role: 'complainant' });
  expect(await verify(token)).toEqual({ id: 'acc_1', role: 'complainant' });
  expect(verifications()).toBe(1);
});

test('a remembered token is refused once its exp has passed', async () => {
  const { verify, verifications } = cachedVerifier();
  // Signed 14 minutes ago: a minute of its 15 left.
  clock = Date.now() - 14 * 60_000;
  const token = bearer(await keys.sign({ id: 'acc_1', role: 'complainant' }, 'fam_1'));
  const { exp } = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { exp: number };
  expect(await verify(token)).toEqual({ id: 'acc_1', role: 'complainant' });
  // Only Date moves: the JWKS fetch and its timers run on the real clock.
  jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'setTimeout', 'setInterval', 'queueMicrotask'] });
  jest.setSystemTime(exp * 1000);
  await expect(verify(token)).rejects.toEqual(refused(/expired/));
  expect(verifications()).toBe(2);
});

test('a refused token is verified again each time it is sent, never remembered', async () => {
  const { verify, verifications } = cachedVerifier();
  const real = (await keys.jwks()).keys[0];
  const forged = await forgedStaffToken(real.kid as string);
  await expect(verify(bearer(forged))).rejects.toEqual(refused(/invalid/));
  await expect(verify(bearer(forged))).rejects.toEqual(refused(/invalid/));
  expect(verifications()).toBe(2);
});

test('with a good token remembered, the same claims signed by another key or tampered are refused', async () => {
  const { verify } = cachedVerifier();
  const good = await keys.sign({ id: 'acc_1', role: 'complainant' }, 'fam_1');
  await verify(bearer(good));
  const [header, payload, signature] = good.split('.');
  const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  const foreign = await new SignJWT(JSON.parse(Buffer.from(payload, 'base64url').toString()))
    .setProtectedHeader(JSON.parse(Buffer.from(header, 'base64url').toString()))
    .sign(privateKey);
  expect(foreign.split('.').slice(0, 2)).toEqual([header, payload]);
  await expect(verify(bearer(foreign))).rejects.toEqual(refused(/invalid/));
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
  const raised = Buffer.from(JSON.stringify({ ...claims, role: 'staff' })).toString('base64url');
  await expect(verify(bearer(`${header}.${raised}.${signature}`))).rejects.toEqual(refused(/invalid/));
  expect(await verify(bearer(good))).toEqual({ id: 'acc_1', role: 'complainant' });
});

test('no header is anonymous, and is asked of the verifier as before', async () => {
  const { verify } = cachedVerifier();
  expect(await verify(undefined)).toBeNull();
});

test('at most maxEntries tokens are remembered; the oldest is forgotten first', async () => {
  const { verify, verifications } = cachedVerifier(2);
  const tokens = await Promise.all(
    ['acc_1', 'acc_2', 'acc_3'].map(async (id) => bearer(await keys.sign({ id, role: 'complainant' }, 'fam_1'))),
  );
  for (const token of tokens) await verify(token);
  expect(verifications()).toBe(3);
  await verify(tokens[2]);
  await verify(tokens[1]);
  expect(verifications()).toBe(3);
  await verify(tokens[0]);
  expect(verifications()).toBe(4);
});
