import { authenticate, issueToken, requireRole } from '../../platform/auth.ts';
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
