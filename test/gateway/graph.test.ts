import { request } from 'undici';
import { startGraph, postGraphQL, type TestGraph } from '../support/graph.ts';

let graph: TestGraph;
beforeAll(async () => {
  graph = await startGraph();
});
afterAll(async () => {
  await graph?.stop();
});

test('the gateway answers /healthz while alive', async () => {
  const response = await request(new URL('/healthz', graph.gatewayUrl));
  expect(response.statusCode).toBe(200);
  expect(await response.body.json()).toMatchObject({ status: 'ok' });
});

test('/readyz reports the supergraph loaded and every subgraph ready', async () => {
  const response = await request(new URL('/readyz', graph.gatewayUrl));
  expect(response.statusCode).toBe(200);
  expect(await response.body.json()).toEqual({
    status: 'ready',
    supergraph: 'loaded',
    subgraphs: { directory: 'ready', cases: 'ready', reputation: 'ready', accounts: 'ready' },
  });
});

test('each subgraph answers /healthz and /readyz on its own port', async () => {
  for (const url of Object.values(graph.urls)) {
    expect((await request(new URL('/healthz', url))).statusCode).toBe(200);
    expect((await request(new URL('/readyz', url))).statusCode).toBe(200);
  }
});

test('the gateway echoes the caller request id and generates one when none is sent', async () => {
  const echoed = await postGraphQL(graph.gatewayUrl, '{ __typename }', undefined, undefined, {
    'x-request-id': 'req-123',
  });
  expect(echoed.headers['x-request-id']).toBe('req-123');
  const generated = await postGraphQL(graph.gatewayUrl, '{ __typename }');
  expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
});

test('a malformed JSON body to a subgraph gets a 400 with BAD_REQUEST (as at the gateway), not a crash', async () => {
  const response = await request(graph.urls.cases, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"query": ',
  });
  expect(response.statusCode).toBe(400);
  const body = (await response.body.json()) as { errors: Array<{ extensions: { code: string } }> };
  expect(body.errors[0].extensions.code).toBe('BAD_REQUEST');
});

test('an oversized body to a subgraph gets a 413, not a crash', async () => {
  const response = await request(graph.urls.directory, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: `{ __typename } #${'x'.repeat(2 * 1024 * 1024)}` }),
  });
  expect(response.statusCode).toBe(413);
  await response.body.dump();
});

test('an invalid bearer token is refused with UNAUTHENTICATED, never treated as anonymous', async () => {
  const response = await postGraphQL(graph.urls.cases, '{ __typename }', undefined, 'not-a-jwt');
  expect(response.status).toBe(401);
  expect(response.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
});

const manyAliases = `{ ${Array.from({ length: 40 }, (_, i) => `a${i}: channel(id: "12315") { id }`).join(' ')} }`;

test('an operation with too many aliases is refused by the gateway before any subgraph runs', async () => {
  const response = await postGraphQL(graph.gatewayUrl, manyAliases);
  expect(response.data).toBeUndefined();
  expect(response.errors?.[0].message).toMatch(/aliases/i);
});

test('a subgraph reached directly applies the same alias limit', async () => {
  const response = await postGraphQL(graph.urls.directory, manyAliases);
  expect(response.data).toBeUndefined();
  expect(response.errors?.[0].message).toMatch(/aliases/i);
});

test('an operation with too many tokens is refused by the gateway', async () => {
  const response = await postGraphQL(graph.gatewayUrl, `{ ${'__typename '.repeat(4000)} }`);
  expect(response.errors?.[0].message).toMatch(/token/i);
});

test('an unknown enum value is rejected by validation with GRAPHQL_VALIDATION_FAILED', async () => {
  const response = await postGraphQL(graph.gatewayUrl, '{ channels(filter: { industry: SPACESHIPS }) { id } }');
  expect(response.data).toBeUndefined();
  expect(response.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  expect(response.errors?.[0].message).toMatch(/SPACESHIPS/);
});
