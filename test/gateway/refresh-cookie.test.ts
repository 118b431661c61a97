/**
 * The site's refresh cookie through the real gateway (subgraphs/accounts/session-cookie.ts): the
 * accounts subgraph sets it HttpOnly, Secure, SameSite=Strict for /graphql and reads it back; the
 * gateway forwards `Cookie` to the accounts subgraph alone and passes on `Set-Cookie` from it alone.
 * A recording proxy in front of every subgraph shows what each one received.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { startGateway, type RunningGateway } from '../../gateway/gateway.ts';
import { createLogger } from '../../platform/logger.ts';
import { closeServer } from '../../platform/server/http-server.ts';
import type { SubgraphName } from '../../platform/server/subgraph-server.ts';
import { postGraphQL, type TestGraph } from '../support/graph.ts';
import { CodeInbox, registerAndVerify, startGraphWithInbox } from '../subgraphs/accounts/support.ts';

interface Recorder {
  url: string;
  received: IncomingHttpHeaders[];
  close(): Promise<void>;
}

/** Forwards everything to `target`, keeps each request's headers, and adds `extraSetCookie` to each answer. */
async function recordingProxy(target: string, extraSetCookie?: string): Promise<Recorder> {
  const received: IncomingHttpHeaders[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      received.push({ ...req.headers });
      const { host: _host, connection: _connection, 'content-length': _length, ...headers } = req.headers;
      try {
        const upstream = await request(new URL(req.url ?? '/', target), {
          method: req.method as 'POST',
          headers: headers as Record<string, string>,
          body: req.method === 'GET' ? undefined : Buffer.concat(chunks),
        });
        const setCookie = [upstream.headers['set-cookie'] ?? [], extraSetCookie ?? []].flat();
        res.writeHead(upstream.statusCode, {
          'content-type': String(upstream.headers['content-type']),
          ...(setCookie.length > 0 ? { 'set-cookie': setCookie } : {}),
        });
        res.end(Buffer.from(await upstream.body.arrayBuffer()));
      } catch {
        res.destroy();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}${new URL(target).pathname}`, received, close: () => closeServer(server) };
}

const inbox = new CodeInbox();
let graph: TestGraph;
let gateway: RunningGateway;
let proxies: Record<SubgraphName, Recorder>;
const COOKIE_MODE = { 'x-refresh-token-transport': 'cookie' };
const SESSION = 'accessToken refreshToken expiresIn account { id }';

beforeAll(async () => {
  graph = await startGraphWithInbox(inbox);
  const names = ['accounts', 'directory', 'cases', 'reputation'] as const;
  // Every subgraph but accounts tries to set a cookie of its own: the gateway must drop it.
  const recorders = await Promise.all(
    names.map((name) => recordingProxy(graph.urls[name], name === 'accounts' ? undefined : `${name}_cookie=1`)),
  );
  proxies = Object.fromEntries(names.map((name, index) => [name, recorders[index]])) as typeof proxies;
  const urls = Object.fromEntries(names.map((name) => [name, proxies[name].url])) as Record<SubgraphName, string>;
  gateway = await startGateway({
    config: graph.config,
    logger: createLogger('silent', 'test'),
    host: '127.0.0.1',
    port: 0,
    subgraphUrls: urls,
  });
}, 60_000);

afterAll(async () => {
  await gateway?.stop();
  await Promise.all(Object.values(proxies ?? {}).map((proxy) => proxy.close()));
  await graph?.stop();
});

/** The refresh cookie a response sets, as `name=value`, and its whole Set-Cookie line. */
function refreshCookieOf(headers: Record<string, string | string[] | undefined>): { pair: string; line: string } {
  const lines = [headers['set-cookie'] ?? []].flat();
  const line = lines.find((entry) => entry.startsWith('weiquan_refresh=')) ?? '';
  return { pair: line.split(';')[0], line };
}

test('in cookie mode a session leaves its refresh token as an HttpOnly, Secure, Strict cookie only', async () => {
  const contact = 'cookie-mode@example.org';
  await registerAndVerify(graph, inbox, contact, 'a long password 1');
  const signedIn = await postGraphQL<{ signIn: { refreshToken: string | null; accessToken: string } }>(
    gateway.url,
    `mutation($contact: String!) { signIn(contact: $contact, password: "a long password 1") { ${SESSION} } }`,
    { contact },
    undefined,
    COOKIE_MODE,
  );
  expect(signedIn.data?.signIn.refreshToken).toBeNull();
  expect(signedIn.data?.signIn.accessToken).toMatch(/^ey/);
  const first = refreshCookieOf(signedIn.headers);
  expect(first.line).toMatch(/^weiquan_refresh=[\w-]{20,};/);
  expect(first.line).toMatch(/; HttpOnly/);
  expect(first.line).toMatch(/; Secure/);
  expect(first.line).toMatch(/; SameSite=Strict/);
  expect(first.line).toMatch(/; Path=\/graphql/);
  expect(first.line).toMatch(/; Max-Age=259\d{4}/);

  // The cookie alone renews the session, and is rotated.
  const refreshed = await postGraphQL<{ refreshSession: { refreshToken: string | null; accessToken: string } }>(
    gateway.url,
    `mutation { refreshSession { ${SESSION} } }`,
    {},
    undefined,
    { ...COOKIE_MODE, cookie: `other=1; ${first.pair}` },
  );
  expect(refreshed.errors).toBeUndefined();
  expect(refreshed.data?.refreshSession.refreshToken).toBeNull();
  const second = refreshCookieOf(refreshed.headers);
  expect(second.pair).toMatch(/^weiquan_refresh=/);
  expect(second.pair).not.toBe(first.pair);

  // The spent cookie is refused and cleared.
  const reused = await postGraphQL(gateway.url, `mutation { refreshSession { ${SESSION} } }`, {}, undefined, {
    cookie: first.pair,
  });
  expect(reused.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  expect(refreshCookieOf(reused.headers).line).toMatch(/^weiquan_refresh=; .*Max-Age=0/);
});

test('signing out by the cookie ends the sign-in and clears the cookie', async () => {
  const contact = 'cookie-signout@example.org';
  await registerAndVerify(graph, inbox, contact, 'a long password 2');
  const signedIn = await postGraphQL(
    gateway.url,
    `mutation($contact: String!) { signIn(contact: $contact, password: "a long password 2") { ${SESSION} } }`,
    { contact },
    undefined,
    COOKIE_MODE,
  );
  const cookie = refreshCookieOf(signedIn.headers).pair;
  const out = await postGraphQL<{ signOut: boolean }>(gateway.url, 'mutation { signOut }', {}, undefined, {
    ...COOKIE_MODE,
    cookie,
  });
  expect(out.data?.signOut).toBe(true);
  expect(refreshCookieOf(out.headers).line).toMatch(/Max-Age=0/);
  const after = await postGraphQL(gateway.url, `mutation { refreshSession { ${SESSION} } }`, {}, undefined, { cookie });
  expect(after.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
});

test('a client that does not ask for the cookie gets the refresh token in the body and no cookie', async () => {
  const contact = 'body-mode@example.org';
  await registerAndVerify(graph, inbox, contact, 'a long password 3');
  const signedIn = await postGraphQL<{ signIn: { refreshToken: string | null } }>(
    gateway.url,
    `mutation($contact: String!) { signIn(contact: $contact, password: "a long password 3") { ${SESSION} } }`,
    { contact },
  );
  expect(signedIn.data?.signIn.refreshToken).toMatch(/^[\w-]{20,}$/);
  expect(signedIn.headers['set-cookie']).toBeUndefined();
});

test('no subgraph but accounts receives the cookie, and only accounts may set one', async () => {
  const contact = 'cookie-scope@example.org';
  await registerAndVerify(graph, inbox, contact, 'a long password 4');
  const signedIn = await postGraphQL<{ signIn: { accessToken: string } }>(
    gateway.url,
    `mutation($contact: String!) { signIn(contact: $contact, password: "a long password 4") { ${SESSION} } }`,
    { contact },
    undefined,
    COOKIE_MODE,
  );
  const cookie = `${refreshCookieOf(signedIn.headers).pair}; theme=dark`;
  for (const recorder of Object.values(proxies)) recorder.received.length = 0;
  // One request touching all four subgraphs, sent with the cookie as a browser would.
  const answer = await postGraphQL<Record<string, unknown>>(
    gateway.url,
    `{ me { id } channels { id } myCases(first: 1) { edges { node { id } } }
       rankings(industry: ECOMMERCE, window: LAST_90_DAYS, metric: WILSON_SCORE, first: 1) {
         edges { node { name } } } }`,
    {},
    signedIn.data?.signIn.accessToken,
    { cookie },
  );
  expect(answer.errors).toBeUndefined();
  expect(proxies.accounts.received.map((headers) => headers.cookie)).toContain(cookie);
  for (const name of ['directory', 'cases', 'reputation'] as const) {
    expect(proxies[name].received.length).toBeGreaterThan(0);
    expect(proxies[name].received.filter((headers) => headers.cookie !== undefined)).toEqual([]);
  }
  const setCookies = [answer.headers['set-cookie'] ?? []].flat();
  expect(setCookies.filter((line) => /^(directory|cases|reputation)_cookie=/.test(line))).toEqual([]);
});
