import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

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
