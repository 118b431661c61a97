import { authenticate, issueToken, requireRole } from '../../platform/auth.ts';
import { SignJWT } from 'jose';
import { createLogger } from '../../platform/logger.ts';

const SECRET = 'x'.repeat(40);
const logger = createLogger('silent', 'test');

test('a token issued with the secret authenticates as its actor', async () => {
  const token = await issueToken(SECRET, { id: 'u1', role: 'complainant' });
  expect(await authenticate(SECRET, `Bearer ${token}`)).toEqual({ id: 'u1', role: 'complainant' });
});

test('no Authorization header means anonymous', async () => {
  expect(await authenticate(SECRET, undefined)).toBeNull();
});

test('a token signed with another secret is UNAUTHENTICATED', async () => {
  const token = await issueToken('y'.repeat(40), { id: 'u1', role: 'staff' });
  await expect(authenticate(SECRET, `Bearer ${token}`)).rejects.toMatchObject({
    extensions: { code: 'UNAUTHENTICATED' },
  });
});

test('an expired token is UNAUTHENTICATED and says it expired', async () => {
  const token = await issueToken(SECRET, { id: 'u1', role: 'staff' }, -10);
  await expect(authenticate(SECRET, `Bearer ${token}`)).rejects.toThrow(/expired/);
});

test('an enterprise token without its enterprise is refused', async () => {
  const token = await issueToken(SECRET, { id: 'rep', role: 'enterprise' });
  await expect(authenticate(SECRET, `Bearer ${token}`)).rejects.toMatchObject({
    extensions: { code: 'UNAUTHENTICATED' },
  });
});

test('requireRole refuses an anonymous caller with UNAUTHENTICATED and a wrong role with FORBIDDEN', () => {
  expect(() => requireRole({ requestId: 'r', actor: null, logger }, 'staff')).toThrow(
    expect.objectContaining({ extensions: { code: 'UNAUTHENTICATED' } }),
  );
  expect(() => requireRole({ requestId: 'r', actor: { id: 'c', role: 'complainant' }, logger }, 'staff')).toThrow(
    expect.objectContaining({ extensions: { code: 'FORBIDDEN' } }),
  );
});

/** Signs arbitrary claims with the secret, as someone holding it (or a buggy issuer) could. */
function signed(claims: Record<string, unknown>): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(SECRET));
}
const nowSeconds = () => Math.floor(Date.now() / 1000);

test('a signed token without "exp" is refused: it would never expire', async () => {
  const token = await signed({ sub: 'x', role: 'staff', iss: 'weiquan', iat: nowSeconds() });
  await expect(authenticate(SECRET, `Bearer ${token}`)).rejects.toMatchObject({
    message: 'The bearer token must carry the "exp" claim.',
    extensions: { code: 'UNAUTHENTICATED' },
  });
});

test('a signed token without "iat" is refused: its lifetime cannot be told', async () => {
  const token = await signed({ sub: 'x', role: 'staff', iss: 'weiquan', exp: nowSeconds() + 60 });
  await expect(authenticate(SECRET, `Bearer ${token}`)).rejects.toThrow('must carry the "iat" claim');
});

test('a token living longer than the maximum lifetime is refused, one within it accepted', async () => {
  const iat = nowSeconds();
  const tooLong = await signed({ sub: 'x', role: 'staff', iss: 'weiquan', iat, exp: iat + 24 * 3600 + 1 });
  await expect(authenticate(SECRET, `Bearer ${tooLong}`)).rejects.toThrow(/longer than the 86400 s allowed/);
  const day = await signed({ sub: 'x', role: 'staff', iss: 'weiquan', iat, exp: iat + 24 * 3600 });
  expect(await authenticate(SECRET, `Bearer ${day}`)).toEqual({ id: 'x', role: 'staff' });
  const hour = await issueToken(SECRET, { id: 'x', role: 'staff' }, 3600);
  await expect(authenticate(SECRET, `Bearer ${hour}`, { maxLifetimeSeconds: 600 })).rejects.toThrow(/600 s/);
});

test('a token issued longer ago than the maximum lifetime is refused even if "exp" is later', async () => {
  const iat = nowSeconds() - 2 * 24 * 3600;
  const token = await signed({ sub: 'x', role: 'staff', iss: 'weiquan', iat, exp: nowSeconds() + 60 });
  await expect(authenticate(SECRET, `Bearer ${token}`)).rejects.toMatchObject({
    extensions: { code: 'UNAUTHENTICATED' },
  });
});

test('no bearer token may carry the system role, however well signed', async () => {
  const token = await issueToken(SECRET, { id: 'overdue-scheduler', role: 'system' });
  await expect(authenticate(SECRET, `Bearer ${token}`)).rejects.toMatchObject({
    message: expect.stringMatching(/system role/),
    extensions: { code: 'UNAUTHENTICATED' },
  });
});
