/**
 * HTTP garbage (issue 18), against the gateway and each subgraph reached directly: bodies that are
 * not JSON or not a GraphQL request, wrong content types, a mutation over GET, batches, many
 * operations, too many headers, other methods, and bytes trickled slowly. Each gets a 4xx with a
 * documented code, or a GraphQL error with one (never a 500 or a hang), and the part stays responsive.
 */
import { connect, type Socket } from 'node:net';
import { request } from 'undici';
import { ErrorCode } from '../../platform/errors.ts';
import { startGraph, type TestGraph } from '../support/graph.ts';

const REQUEST_TIMEOUT_MS = 1_500;

let graph: TestGraph;
beforeAll(async () => {
  graph = await startGraph({ env: { HTTP_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS) } });
});
afterAll(async () => {
  await graph?.stop();
});

const ACCEPTABLE_CODES = new Set<string>(
  Object.values(ErrorCode).filter((code) => code !== 'INTERNAL_SERVER_ERROR' && code !== 'SERVICE_UNAVAILABLE'),
);

const PART_NAMES = ['gateway', 'directory', 'cases', 'reputation'] as const;
const parts = (): Record<(typeof PART_NAMES)[number], string> => ({
  gateway: graph.gatewayUrl,
  directory: graph.urls.directory,
  cases: graph.urls.cases,
  reputation: graph.urls.reputation,
});

interface Sent {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  headers?: Record<string, string>;
  body?: string | Buffer;
  path?: string;
}

/** What the rule says of one answer: `ok`, or why not. */
async function judge(url: string, sent: Sent): Promise<string> {
  const target = sent.path ? new URL(sent.path, url) : new URL(url);
  const response = await request(target, {
    method: sent.method ?? 'POST',
    headers: sent.headers ?? { 'content-type': 'application/json' },
    body: sent.body,
    headersTimeout: 5_000,
    bodyTimeout: 5_000,
  });
  const text = await response.body.text();
  if (response.statusCode >= 500) return `HTTP ${response.statusCode}: ${text.slice(0, 200)}`;
  let body: { errors?: Array<{ message?: string; extensions?: { code?: string } }> };
  try {
    body = JSON.parse(text);
  } catch {
    return `HTTP ${response.statusCode} with a body that is not JSON: ${text.slice(0, 200)}`;
  }
  const codes = (body.errors ?? []).map((error) => error.extensions?.code);
  // A GraphQL-level refusal may come as 200 (GraphQL over HTTP, application/json); it must still be an error.
  if (codes.length === 0) return `HTTP ${response.statusCode} without an error`;
  const bad = codes.find((code) => !code || !ACCEPTABLE_CODES.has(code));
  return bad === undefined ? 'ok' : `HTTP ${response.statusCode} coded ${bad ?? '(none)'}`;
}

const json = { 'content-type': 'application/json' };
const preflight = { 'apollo-require-preflight': 'true' };

const GARBAGE: Record<string, Sent> = {
  'a truncated JSON body': { body: '{"query": "{ __typename }"' },
  'a body that is not JSON at all': { body: 'not json' },
  'an empty body': { body: '' },
  'JSON null': { body: 'null' },
  'a JSON string': { body: '"{ __typename }"' },
  'an empty object': { body: '{}' },
  'a query that is a number': { body: '{"query": 1}' },
  'variables that are a string': { body: '{"query": "{ __typename }", "variables": "x"}' },
  'variables that are a list': { body: '{"query": "{ __typename }", "variables": [1]}' },
  'an operation name that is a number': { body: '{"query": "{ __typename }", "operationName": 5}' },
  'extensions that are a string': { body: '{"query": "{ __typename }", "extensions": "x"}' },
  'a body of invalid UTF-8': { body: Buffer.from([0x7b, 0x22, 0x71, 0xff, 0xfe, 0x22, 0x7d]) },
  'a deeply nested JSON body': { body: `${'['.repeat(50_000)}${']'.repeat(50_000)}` },
  'a batch of two operations (an array body)': {
    body: JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]),
  },
  'a batch of 1,000 operations': { body: JSON.stringify(Array(1_000).fill({ query: 'mutation { __typename }' })) },
  'a document of 500 operations and no operation name': {
    body: JSON.stringify({ query: Array.from({ length: 500 }, (_, n) => `query Q${n} { __typename }`).join(' ') }),
  },
  'an operation name naming no operation': {
    body: JSON.stringify({ query: 'query A { __typename }', operationName: 'B' }),
  },
  'text/plain': { headers: { 'content-type': 'text/plain' }, body: '{"query": "{ __typename }"}' },
  'application/xml': { headers: { 'content-type': 'application/xml' }, body: '<query>__typename</query>' },
  'multipart/form-data with a broken boundary': {
    headers: { 'content-type': 'multipart/form-data; boundary=x', ...preflight },
    body: '--y\r\nnothing\r\n',
  },
  'JSON declared as UTF-16': {
    headers: { 'content-type': 'application/json; charset=utf-16', ...preflight },
    body: Buffer.from('{"query": "{ __typename }"}', 'utf16le'),
  },
  'no content type': { headers: {}, body: '{"query": "{ __typename }"}' },
  'a mutation over GET, even with a preflight header': {
    method: 'GET',
    headers: preflight,
    path: `/graphql?query=${encodeURIComponent('mutation { __typename }')}`,
  },
  'GET with a query that does not parse': {
    method: 'GET',
    headers: preflight,
    path: `/graphql?query=${encodeURIComponent('{ __typename')}`,
  },
  'GET with variables that are not JSON': {
    method: 'GET',
    headers: preflight,
    path: `/graphql?query=${encodeURIComponent('{ __typename }')}&variables=%7Bnot`,
  },
  'PUT on /graphql': { method: 'PUT', headers: json, body: '{"query": "{ __typename }"}' },
  'DELETE on /graphql': { method: 'DELETE', headers: preflight },
  'PATCH on /graphql': { method: 'PATCH', headers: json, body: '{"query": "{ __typename }"}' },
};

describe.each(PART_NAMES)('%s', (part) => {
  test.each(Object.keys(GARBAGE))('%s: a 4xx with a documented code', async (name) => {
    expect(`${part}: ${await judge(parts()[part], GARBAGE[name] as Sent)}`).toBe(`${part}: ok`);
  });

  test('it still answers after all that', async () => {
    const response = await graph.query<{ __typename: string }>('{ __typename }', undefined, undefined, parts()[part]);
    expect(response.data).toEqual({ __typename: 'Query' });
  });
});

/** A raw connection; resolves with what the server wrote once it closes the connection. */
function rawConnection(url: string): { socket: Socket; closed: Promise<{ answer: string; ms: number }> } {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  const started = performance.now();
  let answer = '';
  socket.on('data', (data) => {
    answer += data.toString('utf8');
  });
  const closed = new Promise<{ answer: string; ms: number }>((resolve) => {
    socket.on('close', () => resolve({ answer, ms: performance.now() - started }));
    socket.on('error', () => {});
  });
  return { socket, closed };
}

async function healthzMs(url: string): Promise<number> {
  const started = performance.now();
  const response = await request(new URL('/healthz', url), { headersTimeout: 2_000, bodyTimeout: 2_000 });
  await response.body.text();
  expect(response.statusCode).toBe(200);
  return performance.now() - started;
}

/** A body sent a byte every 50 ms: cut with a coded 408 once the request timeout passes. */
async function trickledBody(url: string): Promise<void> {
  const { socket, closed } = rawConnection(url);
  const body = '{"query": "{ __typename }"}'.padEnd(4_000, ' ');
  socket.write(
    `POST /graphql HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n`,
  );
  let sent = 0;
  const trickle = setInterval(() => {
    if (socket.writable && sent < body.length) socket.write(body[sent++] as string);
  }, 50);
  try {
    expect(await healthzMs(url)).toBeLessThan(1_000);
    const { answer, ms } = await closed;
    expect(ms).toBeLessThan(REQUEST_TIMEOUT_MS + 3_000);
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(answer).toContain('"code":"BAD_REQUEST"');
  } finally {
    clearInterval(trickle);
    socket.destroy();
  }
  expect(await healthzMs(url)).toBeLessThan(1_000);
}

/** Headers that never end: cut the same way. */
async function endlessHeaders(url: string): Promise<void> {
  const { socket, closed } = rawConnection(url);
  socket.write('POST /graphql HTTP/1.1\r\nhost: x\r\n');
  const trickle = setInterval(() => {
    if (socket.writable) socket.write('x-slow: y\r\n');
  }, 100);
  try {
    expect(await healthzMs(url)).toBeLessThan(1_000);
    const { answer, ms } = await closed;
    expect(ms).toBeLessThan(REQUEST_TIMEOUT_MS + 3_000);
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
  } finally {
    clearInterval(trickle);
    socket.destroy();
  }
  expect(await healthzMs(url)).toBeLessThan(1_000);
}

describe('slow clients (slowloris), at the gateway and each subgraph at once', () => {
  test('a body trickled byte by byte is cut at HTTP_REQUEST_TIMEOUT_MS, a coded 408; /healthz answers', async () => {
    await Promise.all(Object.values(parts()).map(trickledBody));
  });

  test('headers that never end are cut the same way, and every part stays responsive', async () => {
    await Promise.all(Object.values(parts()).map(endlessHeaders));
  });
});
