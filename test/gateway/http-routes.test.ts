import { request as httpRequest } from 'node:http';
import { request } from 'undici';
import { httpRouteFor } from '../../gateway/gateway.ts';
import { requestTarget } from '../../platform/server/http.ts';
import { startGraph, type TestGraph } from '../support/graph.ts';

let graph: TestGraph;
beforeAll(async () => {
  graph = await startGraph();
});
afterAll(async () => {
  await graph?.stop();
});

const origin = () => new URL(graph.gatewayUrl).origin;
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489' +
    '0000000d4944415478da63f8cfc0f01f0005000201a7a3bd0a0000000049454e44ae426082',
  'hex',
);

test('the rankings CSV export is served on the gateway origin, UTF-8 with a BOM', async () => {
  const response = await request(
    `${origin()}/export/rankings.csv?industry=ECOMMERCE&window=LAST_90_DAYS&metric=WILSON_SCORE`,
  );
  expect(response.statusCode).toBe(200);
  expect(response.headers['content-type']).toMatch(/text\/csv/);
  const bytes = Buffer.from(await response.body.arrayBuffer());
  expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  expect(bytes.toString('utf8')).toContain('enterprise_id');
});

test('evidence uploads through the gateway origin keep the cases subgraph’s access rules', async () => {
  const anonymous = await request(`${origin()}/evidence`, {
    method: 'POST',
    headers: { 'content-type': 'image/png', 'x-filename': 'receipt.png' },
    body: PNG,
  });
  expect(anonymous.statusCode).toBe(401);
  await anonymous.body.dump();

  const token = await graph.tokenFor('complainant', 'gateway-uploader');
  const uploaded = await request(`${origin()}/evidence`, {
    method: 'POST',
    headers: { 'content-type': 'image/png', 'x-filename': 'receipt.png', authorization: `Bearer ${token}` },
    body: PNG,
  });
  expect(uploaded.statusCode).toBe(201);
  const body = (await uploaded.body.json()) as { id: string; size: number };
  expect(body.size).toBe(PNG.length);

  const downloaded = await request(`${origin()}/evidence/${body.id}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(downloaded.statusCode).toBe(200);
  expect(Buffer.from(await downloaded.body.arrayBuffer())).toEqual(PNG);
});

test('with the reputation subgraph down, its export route is 503 SERVICE_UNAVAILABLE, leaking no address', async () => {
  const own = await startGraph();
  try {
    await own.subgraphs.reputation.stop();
    const response = await request(`${new URL(own.gatewayUrl).origin}/export/rankings.csv?industry=ECOMMERCE`);
    expect(response.statusCode).toBe(503);
    const text = await response.body.text();
    expect(JSON.parse(text).errors[0].extensions).toEqual({ code: 'SERVICE_UNAVAILABLE', service: 'reputation' });
    expect(text).not.toMatch(/127\.0\.0\.1|ECONNREFUSED/);
  } finally {
    await own.stop();
  }
});

test('dot segments never walk a plain HTTP route to a subgraph’s GraphQL; only whole path segments match', async () => {
  const { hostname, port } = new URL(graph.gatewayUrl);
  // Sent raw (node:http keeps the path as written; fetch and undici would normalise it first).
  const raw = (method: string, path: string, body?: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(
        { host: hostname, port, method, path, headers: { 'content-type': 'application/json' } },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  const sdl = JSON.stringify({ query: '{ _service { sdl } }' });
  for (const path of [
    '/export/../graphql',
    '/evidence/../graphql',
    '/export/%2e%2e/graphql',
    '/evidence/%2E%2E/graphql',
  ]) {
    const answer = await raw('POST', path, sdl);
    expect([path, answer.body]).not.toEqual([path, expect.stringContaining('extend schema')]);
    expect([path, answer.body]).not.toEqual([path, expect.stringContaining('"sdl"')]);
  }
  const routeOf = (path: string) => httpRouteFor(requestTarget(path)!);
  expect(routeOf('/export/../graphql')).toBeNull();
  expect(routeOf('/evidence/%2e%2e/graphql')).toBeNull();
  expect(routeOf('/evidencefoo')).toBeNull();
  expect(routeOf('/evidence/ev_1?x=1')).toEqual({ subgraph: 'cases', pathAndQuery: '/evidence/ev_1?x=1' });
  expect(routeOf('/export/a/../rankings.csv?industry=FOOD')).toEqual({
    subgraph: 'reputation',
    pathAndQuery: '/export/rankings.csv?industry=FOOD',
  });
});

test('an unparsable request target is 400 BAD_USER_INPUT on gateway and subgraph, and both go on serving', async () => {
  const get = (origin: string, path: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const { hostname, port } = new URL(origin);
      const req = httpRequest({ host: hostname, port, method: 'GET', path }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.on('error', reject);
      req.end();
    });
  for (const server of [origin(), new URL(graph.urls.cases).origin, new URL(graph.urls.reputation).origin]) {
    for (const path of ['//a:b', '//[', '//:99999/x']) {
      const answer = await get(server, path);
      expect([server, path, answer.status, JSON.parse(answer.body).errors[0].extensions.code]).toEqual([
        server,
        path,
        400,
        'BAD_USER_INPUT',
      ]);
    }
    expect((await get(server, '/healthz')).status).toBe(200);
  }
  expect(() => requestTarget('//a:b')).toThrow(/not a valid URL path/);
});
