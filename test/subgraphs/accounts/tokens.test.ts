/**
 * Access tokens against the verifier every subgraph runs (platform/auth.ts createAuthenticator),
 * with the accounts slice's real keys served as a JWKS over loopback HTTP: each attack fails closed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT, exportJWK, generateKeyPair, importJWK } from 'jose';
import { ACCESS_TOKEN, createAuthenticator, issueToken, type Authenticator } from '../../../platform/auth.ts';
import { openSqlite } from '../../../platform/store/sqlite.ts';
import { SigningKeys } from '../../../subgraphs/accounts/keys.ts';
import { SqliteAccountStore } from '../../../subgraphs/accounts/store/accounts-sqlite.ts';
import { forgedStaffToken, serveJwks } from '../../support/jwks-server.ts';

const DEV_SECRET = 'd'.repeat(40);
const dir = mkdtempSync(join(tmpdir(), 'weiquan-tokens-'));
let store: SqliteAccountStore;
let clock = Date.now() - 200_000;
let keys: SigningKeys;
let jwks: Awaited<ReturnType<typeof serveJwks>>;
let jwksFetches = 0;
let accountsUrl: string;

beforeAll(async () => {
  store = new SqliteAccountStore(openSqlite(join(dir, 'accounts.db')));
  keys = new SigningKeys(store, () => new Date(clock));
  await keys.ensureCurrent();
  jwks = await serveJwks(() => {
    jwksFetches++;
    return new SigningKeys(store, () => new Date(clock)).jwks();
  });
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

function verifier(options: { production?: boolean; jwksCooldownMs?: number } = {}): Authenticator {
  return createAuthenticator({
    production: options.production ?? true,
    developmentSecret: DEV_SECRET,
    developmentMaxLifetimeSeconds: 3600,
    accountsUrl: () => accountsUrl,
    ...(options.jwksCooldownMs !== undefined ? { jwksCooldownMs: options.jwksCooldownMs } : {}),
  });
}
const bearer = (token: string) => `Bearer ${token}`;
const refusedWith = (message: RegExp | string) =>
  expect.objectContaining({ message: expect.stringMatching(message), extensions: { code: 'UNAUTHENTICATED' } });

test('an access token from the accounts keys authenticates as its account, in production', async () => {
  const token = await keys.sign({ id: 'acc_1', role: 'complainant' }, 'fam_1');
  expect(await verifier()(bearer(token))).toEqual({ id: 'acc_1', role: 'complainant' });
});

test('an alg "none" token with the same claims is refused', async () => {
  const [, payload] = (await keys.sign({ id: 'acc_1', role: 'staff' }, 'fam_1')).split('.');
  const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
  await expect(verifier()(bearer(`${header}.${payload}.`))).rejects.toEqual(refusedWith('invalid'));
});

test('a tampered token (role raised to staff, signature kept) is refused', async () => {
  const [header, payload, signature] = (await keys.sign({ id: 'acc_1', role: 'complainant' }, 'fam_1')).split('.');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
  const raised = Buffer.from(JSON.stringify({ ...claims, role: 'staff' })).toString('base64url');
  await expect(verifier()(bearer(`${header}.${raised}.${signature}`))).rejects.toEqual(refusedWith('invalid'));
});

test('an expired access token is refused and says so', async () => {
  clock = Date.now() - 16 * 60_000;
  const token = await keys.sign({ id: 'acc_1', role: 'complainant' }, 'fam_1');
  await expect(verifier()(bearer(token))).rejects.toEqual(refusedWith('expired'));
});

test('a token signed with a key of our own making, under the real kid, is refused', async () => {
  const real = (await keys.jwks()).keys[0];
  const forged = await forgedStaffToken(real.kid as string);
  await expect(verifier()(bearer(forged))).rejects.toEqual(refusedWith('invalid'));
});

test('a system token is refused even when signed with the real key; so is a development one', async () => {
  const key = (await store.signingKeys()).at(-1)!;
  const system = await new SignJWT({ role: 'system' })
    .setProtectedHeader({ alg: 'EdDSA', kid: key.kid })
    .setSubject('scheduler')
    .setIssuer(ACCESS_TOKEN.issuer)
    .setAudience(ACCESS_TOKEN.audience)
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(await importJWK(key.privateJwk, 'EdDSA'));
  await expect(verifier()(bearer(system))).rejects.toEqual(refusedWith('system role'));
  const devSystem = await new SignJWT({ role: 'system' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('scheduler')
    .setIssuer('weiquan')
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(new TextEncoder().encode(DEV_SECRET));
  await expect(verifier({ production: false })(bearer(devSystem))).rejects.toEqual(refusedWith('system role'));
});

test('a token from the real key for another audience or with a lifetime over 15 minutes is refused', async () => {
  const key = (await store.signingKeys()).at(-1)!;
  const sign = (audience: string, ttl: string) =>
    importJWK(key.privateJwk, 'EdDSA').then((privateKey) =>
      new SignJWT({ role: 'complainant' })
        .setProtectedHeader({ alg: 'EdDSA', kid: key.kid })
        .setSubject('acc_1')
        .setIssuer(ACCESS_TOKEN.issuer)
        .setAudience(audience)
        .setIssuedAt()
        .setExpirationTime(ttl)
        .sign(privateKey),
    );
  await expect(verifier()(bearer(await sign('elsewhere', '10m')))).rejects.toEqual(refusedWith('invalid'));
  await expect(verifier()(bearer(await sign(ACCESS_TOKEN.audience, '2h')))).rejects.toEqual(refusedWith('longer'));
});

test('a development (HS256) token is refused in production and accepted in development', async () => {
  const token = await issueToken(DEV_SECRET, { id: 'u1', role: 'staff' });
  await expect(verifier({ production: true })(bearer(token))).rejects.toEqual(refusedWith('refused in production'));
  expect(await verifier({ production: false })(bearer(token))).toEqual({ id: 'u1', role: 'staff' });
});

test('the JWKS is fetched once and cached across verifications', async () => {
  const verify = verifier();
  const before = jwksFetches;
  for (let i = 0; i < 5; i++) await verify(bearer(await keys.sign({ id: `acc_${i}`, role: 'complainant' }, 'f')));
  expect(jwksFetches - before).toBe(1);
});

const kidOf = (token: string): string => JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString()).kid;

test('rotation: tokens of the old key still verify; the new key signs once published a minute', async () => {
  const verify = verifier({ jwksCooldownMs: 0 });
  clock = Date.now() - 150_000;
  const oldToken = await keys.sign({ id: 'acc_old', role: 'complainant' }, 'f');
  await verify(bearer(oldToken));
  clock = Date.now() - 100_000;
  const rotated = await keys.rotate();
  expect(kidOf(await keys.sign({ id: 'a', role: 'complainant' }, 'f'))).toBe(kidOf(oldToken));
  clock = Date.now();
  const newToken = await keys.sign({ id: 'acc_new', role: 'complainant' }, 'f');
  expect(kidOf(newToken)).toBe(rotated.kid);
  expect(await verify(bearer(newToken))).toEqual({ id: 'acc_new', role: 'complainant' });
  expect(await verify(bearer(oldToken))).toEqual({ id: 'acc_old', role: 'complainant' });
  expect((await keys.jwks()).keys.map((key) => key.kid)).toEqual([kidOf(oldToken), rotated.kid]);
  const later = new SigningKeys(store, () => new Date(Date.now() + 17 * 60_000));
  expect((await later.jwks()).keys.map((key) => key.kid)).toEqual([rotated.kid]);
});

test('the JWKS never carries a private key', async () => {
  const { publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  expect(Object.keys(await exportJWK(publicKey))).not.toContain('d');
  for (const key of (await keys.jwks()).keys) expect(key).not.toHaveProperty('d');
});
