/**
 * A subgraph down or answering garbage (issue 18, faults), behind a loopback proxy: the gateway
 * answers the rest of a composed query with a SERVICE_UNAVAILABLE error naming the subgraph within
 * its upstream timeout, stays healthy, names the subgraph in /readyz while it is down, and recovers
 * when the subgraph does, without a restart. (Stalls and resets: test/gateway/upstream-policy.test.ts.)
 */
import { request } from 'undici';
import { startGateway, type RunningGateway } from '../../gateway/gateway.ts';
import { loadConfig } from '../../platform/config.ts';
import { createLogger } from '../../platform/logger.ts';
import { type Action, type UpstreamProxy, upstreamProxy } from '../gateway/upstream-proxy.ts';
import { postGraphQL, startGraph, type TestGraph } from '../support/graph.ts';

const TIMEOUT_MS = 1_500;
let graph: TestGraph;
let proxy: UpstreamProxy;
let gateway: RunningGateway;
beforeAll(async () => {
  graph = await startGraph();
  proxy = await upstreamProxy(graph.urls.reputation, []);
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    HOST: '127.0.0.1',
    DATA_DIR: graph.dataDir,
    UPSTREAM_TIMEOUT_MS: String(TIMEOUT_MS),
    // The fault path itself: the response cache would answer the composed query from the recovery before.
    RESPONSE_CACHE: 'false',
  });
  gateway = await startGateway({
    config,
    logger: createLogger('silent', 'test'),
    host: '127.0.0.1',
    port: 0,
    subgraphUrls: { ...graph.urls, reputation: proxy.url },
  });
});
afterEach(() => proxy.setThen('forward'));
afterAll(async () => {
  await gateway?.stop();
  await proxy?.close();
  await graph?.stop();
});

const COMPOSED = `{ channels { id } enterprise(id: "ent1_00000000000000000000") { id } }`;

async function composedQuery() {
  const started = performance.now();
  const response = await postGraphQL<{ channels: Array<{ id: string }>; enterprise: unknown }>(gateway.url, COMPOSED);
  return { response, ms: performance.now() - started };
}

async function statusOf(path: '/healthz' | '/readyz') {
  const response = await request(new URL(path, gateway.url));
  return { status: response.statusCode, body: (await response.body.json()) as Record<string, unknown> };
}

test.each<Action>(['garbage', 'wrong-shape', 'error-500'])(
  'a subgraph answering %s: the rest of the answer, SERVICE_UNAVAILABLE naming it, then recovery',
  async (action) => {
    proxy.setThen(action);
    const { response, ms } = await composedQuery();
    expect(ms).toBeLessThan(TIMEOUT_MS + 1_000);
    expect(response.status).toBe(200);
    expect(response.data?.channels.length).toBeGreaterThan(0);
    expect(response.data?.enterprise).toBeNull();
    expect(response.errors?.map((error) => error.extensions)).toEqual([
      expect.objectContaining({ code: 'SERVICE_UNAVAILABLE', service: 'reputation' }),
    ]);
    expect(JSON.stringify(response.errors)).not.toMatch(/10\.0\.0\.7|<html|unexpected|127\.0\.0\.1/);
    expect((await statusOf('/healthz')).status).toBe(200);

    proxy.setThen('forward');
    const recovered = await composedQuery();
    expect(recovered.response.errors).toBeUndefined();
  },
);

test('a subgraph down: /readyz fails naming it, /healthz stays 200, and both recover when it returns', async () => {
  await proxy.goDown();
  try {
    const { response, ms } = await composedQuery();
    expect(ms).toBeLessThan(TIMEOUT_MS + 1_000);
    expect(response.data?.channels.length).toBeGreaterThan(0);
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'SERVICE_UNAVAILABLE', service: 'reputation' });
    const ready = await statusOf('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({ subgraphs: { reputation: 'unreachable', cases: 'ready', directory: 'ready' } });
    expect((await statusOf('/healthz')).status).toBe(200);
  } finally {
    await proxy.comeBack();
  }
  expect((await statusOf('/readyz')).status).toBe(200);
  expect((await composedQuery()).response.errors).toBeUndefined();
});
