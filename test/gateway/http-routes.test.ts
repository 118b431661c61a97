import { request } from 'undici';
import { startGraph, type TestGraph } from '../support/graph.ts';

let graph: TestGraph;
beforeAll(async () => {
  graph = await startGraph();
});
afterAll(async () => {
  await graph?.stop();
});

const origin = () => new URL(graph.gatewayUrl).origin;
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a7a3bd0a0000000049454e44ae426082', 'hex');

test('the rankings CSV export is served on the gateway origin, UTF-8 with a BOM', async () => {
  const response = await request(`${origin()}/export/rankings.csv?industry=ECOMMERCE&window=LAST_90_DAYS&metric=WILSON_SCORE`);
  expect(response.statusCode).toBe(200);
  expect(response.headers['content-type']).toMatch(/text\/csv/);
  const bytes = Buffer.from(await response.body.arrayBuffer());
  expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  expect(bytes.toString('utf8')).toContain('enterprise_id');
});

test('evidence uploads through the gateway origin keep the cases subgraph’s access rules', async () => {
  const anonymous = await request(`${origin()}/evidence`, { method: 'POST', headers: { 'content-type': 'image/png', 'x-filename': 'receipt.png' }, body: PNG });
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

  const downloaded = await request(`${origin()}/evidence/${body.id}`, { headers: { authorization: `Bearer ${token}` } });
  expect(downloaded.statusCode).toBe(200);
  expect(Buffer.from(await downloaded.body.arrayBuffer())).toEqual(PNG);
});

test('with the reputation subgraph stopped, its export route answers 503 SERVICE_UNAVAILABLE without leaking the address', async () => {
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
