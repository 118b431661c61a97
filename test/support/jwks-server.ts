import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateKeyPair, SignJWT } from 'jose';
import { ACCESS_TOKEN } from '../../platform/auth.ts';

/**
 * A JWKS served over loopback HTTP, as the accounts subgraph serves its signing keys to the gateway
 * and the subgraphs: `jwks` answers each request (count or vary there). `accountsUrl` is the
 * `/graphql` URL the verifier is given, beside which it asks for the keys.
 */
export async function serveJwks(
  jwks: () => Promise<unknown>,
): Promise<{ accountsUrl: string; close(): Promise<void> }> {
  const server = createServer(async (_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(await jwks()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    accountsUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * A staff access token signed with a key of the attacker's own making under the real key id `kid`:
 * well formed in every other way, so only the signature check can refuse it.
 */
export async function forgedStaffToken(kid: string): Promise<string> {
  const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  return new SignJWT({ role: 'staff' })
    .setProtectedHeader({ alg: 'EdDSA', kid })
    .setSubject('attacker')
    .setIssuer(ACCESS_TOKEN.issuer)
    .setAudience(ACCESS_TOKEN.audience)
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(privateKey);
}
