import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { Worker } from 'node:worker_threads';
import {
  backoffDelay,
  createFetcher,
  FetchError,
  FetchErrorKind,
  parseRetryAfter,
  type Fetcher,
  type FetcherOptions,
} from '../../../../subgraphs/reputation/fetch/fetcher.ts';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
let server: Server;
let base: string;
let handler: Handler;
const seen: IncomingMessage[] = [];
const fetchers: Fetcher[] = [];
let delays: number[];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(req);
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  seen.length = 0;
  delays = [];
});
afterEach(async () => {
  await Promise.all(fetchers.splice(0).map((f) => f.close()));
});

function makeFetcher(options: Partial<FetcherOptions> = {}): Fetcher {
  const fetcher = createFetcher({
    userAgent: 'WeiquanBot/0.1 (+test)',
    retries: 2,
    baseDelayMs: 100,
    maxDelayMs: 1000,
    retryAfterCapMs: 1500,
    minTimeMs: 0,
    random: () => 0.5,
    sleep: async (ms) => void delays.push(ms),
    ...options,
  });
  fetchers.push(fetcher);
  return fetcher;
}

test('sends the identifying User-Agent and returns the body with its validators', async () => {
  handler = (_req, res) =>
    res.writeHead(200, { etag: '"v1"', 'last-modified': 'Mon, 05 Jan 2026 00:00:00 GMT' }).end('{"ok":true}');
  const result = await makeFetcher().fetch({ url: `${base}/feed` });
  expect(seen[0].headers['user-agent']).toBe('WeiquanBot/0.1 (+test)');
  expect(result).toMatchObject({
    notModified: false,
    status: 200,
    body: '{"ok":true}',
    etag: '"v1"',
    lastModified: 'Mon, 05 Jan 2026 00:00:00 GMT',
    attempts: 1,
  });
});

test('a conditional request answered 304 is reported as not modified', async () => {
  handler = (req, res) =>
    req.headers['if-none-match'] === '"v1"' ? res.writeHead(304).end() : res.writeHead(200).end('x');
  const result = await makeFetcher().fetch({
    url: `${base}/feed`,
    etag: '"v1"',
    lastModified: 'Mon, 05 Jan 2026 00:00:00 GMT',
  });
  expect(result).toEqual({ notModified: true, status: 304, url: `${base}/feed`, attempts: 1 });
  expect(seen[0].headers['if-modified-since']).toBe('Mon, 05 Jan 2026 00:00:00 GMT');
});

test('5xx is retried with exponential backoff and jitter, then succeeds', async () => {
  let calls = 0;
  handler = (_req, res) => (++calls <= 2 ? res.writeHead(503).end() : res.writeHead(200).end('ok'));
  const result = await makeFetcher().fetch({ url: `${base}/x` });
  expect(result).toMatchObject({ status: 200, attempts: 3 });
  expect(delays).toEqual([75, 150]);
});

test('gives up after the configured retries with an HTTP FetchError', async () => {
  handler = (_req, res) => res.writeHead(500).end();
  const error = await makeFetcher()
    .fetch({ url: `${base}/x` })
    .catch((e: unknown) => e);
  expect(error).toBeInstanceOf(FetchError);
  expect(error).toMatchObject({ kind: FetchErrorKind.Http, status: 500, attempts: 3 });
  expect(seen).toHaveLength(3);
});

test('429 and 503 honour Retry-After as seconds and as a date', async () => {
  let calls = 0;
  handler = (_req, res) =>
    ++calls === 1
      ? res.writeHead(429, { 'retry-after': '1' }).end()
      : calls === 2
        ? // An HTTP date has whole seconds: 3 s ahead is still ≥ 2 s ahead once truncated, however slow the machine.
          res.writeHead(503, { 'retry-after': new Date(Date.now() + 3_000).toUTCString() }).end()
        : res.writeHead(200).end('ok');
  await makeFetcher({ retryAfterCapMs: 5_000 }).fetch({ url: `${base}/x` });
  expect(delays[0]).toBe(1000);
  expect(delays[1]).toBeGreaterThan(500);
  expect(delays[1]).toBeLessThanOrEqual(3_000);
});

test(
  'a Retry-After longer than we wait is not cut short: ' + 'the request fails at once, without asking again',
  async () => {
    handler = (_req, res) => res.writeHead(429, { 'retry-after': '120' }).end();
    await expect(makeFetcher().fetch({ url: `${base}/x` })).rejects.toMatchObject({
      kind: FetchErrorKind.Http,
      status: 429,
      attempts: 1,
      message: expect.stringContaining('Retry-After 120 s'),
    });
    expect(delays).toEqual([]);
    expect(seen).toHaveLength(1);
  },
);

test('a redirect whose Location does not parse is an HTTP FetchError carrying the header as sent', async () => {
  handler = (_req, res) => res.writeHead(302, { location: 'http://[x' }).end();
  await expect(makeFetcher().fetch({ url: `${base}/x` })).rejects.toMatchObject({
    kind: FetchErrorKind.Http,
    status: 302,
    location: 'http://[x',
  });
});

test('a 4xx other than 429 is not retried', async () => {
  handler = (_req, res) => res.writeHead(404).end();
  await expect(makeFetcher().fetch({ url: `${base}/x` })).rejects.toMatchObject({
    kind: FetchErrorKind.Http,
    status: 404,
    attempts: 1,
  });
});

test('a connection reset is retried as a network error', async () => {
  let calls = 0;
  handler = (req, res) => (++calls === 1 ? req.socket.destroy() : res.writeHead(200).end('ok'));
  const result = await makeFetcher().fetch({ url: `${base}/x` });
  expect(result).toMatchObject({ status: 200, attempts: 2 });
});

test('repeated resets end in a NETWORK FetchError', async () => {
  handler = (req) => req.socket.destroy();
  await expect(makeFetcher().fetch({ url: `${base}/x` })).rejects.toMatchObject({
    kind: FetchErrorKind.Network,
    attempts: 3,
  });
});

test('a body over the maximum size fails without retry', async () => {
  handler = (_req, res) => {
    res.writeHead(200);
    res.write('x'.repeat(600));
    res.end('y'.repeat(600));
  };
  await expect(makeFetcher({ maxBodyBytes: 1000 }).fetch({ url: `${base}/big` })).rejects.toMatchObject({
    kind: FetchErrorKind.TooLarge,
    attempts: 1,
  });
});

test('a declared Content-Length over the maximum is refused before reading', async () => {
  handler = (_req, res) => res.writeHead(200, { 'content-length': '5000' }).end('z'.repeat(5000));
  await expect(makeFetcher({ maxBodyBytes: 1000 }).fetch({ url: `${base}/big` })).rejects.toMatchObject({
    kind: FetchErrorKind.TooLarge,
  });
});

test('a server that never answers times out and is retried', async () => {
  handler = () => undefined;
  await expect(
    makeFetcher({ headersTimeoutMs: 100, totalTimeoutMs: 100, retries: 1 }).fetch({ url: `${base}/hang` }),
  ).rejects.toMatchObject({ kind: FetchErrorKind.Timeout, attempts: 2 });
});

test('a slow drip is cut by the whole-response deadline', async () => {
  handler = (_req, res) => {
    res.writeHead(200);
    const timer = setInterval(() => (res.destroyed ? clearInterval(timer) : res.write('.')), 20);
    res.on('close', () => clearInterval(timer));
  };
  await expect(makeFetcher({ totalTimeoutMs: 150, retries: 0 }).fetch({ url: `${base}/drip` })).rejects.toMatchObject({
    kind: FetchErrorKind.Timeout,
  });
});

test('robots.txt disallow is honoured for our User-Agent token only', async () => {
  handler = (req, res) =>
    req.url === '/robots.txt'
      ? res.writeHead(200).end('User-agent: WeiquanBot\nDisallow: /private/\n\nUser-agent: *\nDisallow: /\n')
      : res.writeHead(200).end();
  const fetcher = makeFetcher();
  expect(await fetcher.isAllowedByRobots(`${base}/private/feed`)).toBe(false);
  expect(await fetcher.isAllowedByRobots(`${base}/public/feed`)).toBe(true);
  expect(seen.filter((r) => r.url === '/robots.txt')).toHaveLength(1);
});

test('robots.txt is read again once its cache time has passed, so a new Disallow is obeyed', async () => {
  let rules = 'User-agent: *\nAllow: /\n';
  handler = (req, res) => (req.url === '/robots.txt' ? res.writeHead(200).end(rules) : res.writeHead(200).end());
  const fetcher = makeFetcher({ robotsTtlMs: 80 });
  expect(await fetcher.isAllowedByRobots(`${base}/feed`)).toBe(true);
  rules = 'User-agent: *\nDisallow: /\n';
  expect(await fetcher.isAllowedByRobots(`${base}/feed`)).toBe(true);
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(await fetcher.isAllowedByRobots(`${base}/feed`)).toBe(false);
  expect(seen.filter((r) => r.url === '/robots.txt')).toHaveLength(2);
});

test('a robots.txt that cannot be read (5xx) is not taken as permission', async () => {
  handler = (_req, res) => res.writeHead(503).end();
  await expect(makeFetcher({ retries: 0 }).isAllowedByRobots(`${base}/feed`)).rejects.toMatchObject({
    kind: FetchErrorKind.Http,
    status: 503,
  });
});

test('a missing robots.txt (404) allows everything', async () => {
  handler = (_req, res) => res.writeHead(404).end();
  expect(await makeFetcher().isAllowedByRobots(`${base}/any`)).toBe(true);
});

test('requests to one host are spaced by the rate limit', async () => {
  handler = (_req, res) => res.writeHead(200).end('ok');
  const fetcher = makeFetcher({ minTimeMs: 60, maxConcurrentPerHost: 1 });
  const started = performance.now();
  await Promise.all([1, 2, 3].map((i) => fetcher.fetch({ url: `${base}/r${i}` })));
  expect(performance.now() - started).toBeGreaterThanOrEqual(110);
});

test('backoff grows exponentially, is capped, and Retry-After reads seconds and dates', () => {
  expect([0, 1, 2, 3, 10].map((a) => backoffDelay(a, 100, 1000, () => 1))).toEqual([100, 200, 400, 800, 1000]);
  expect(backoffDelay(2, 100, 1000, () => 0)).toBe(200);
  expect(parseRetryAfter('7', 0)).toBe(7000);
  expect(parseRetryAfter('Thu, 01 Jan 1970 00:00:10 GMT', 4000)).toBe(6000);
  expect(parseRetryAfter('soon', 0)).toBeNull();
});

test('connections to a host are kept alive: sequential requests share one socket', async () => {
  handler = (_req, res) => res.writeHead(200).end('ok');
  const fetcher = makeFetcher({ connectionsPerHost: 1 });
  for (const path of ['/a', '/b', '/c']) await fetcher.fetch({ url: `${base}${path}` });
  expect(seen).toHaveLength(3);
  expect(new Set(seen.map((req) => req.socket.remotePort)).size).toBe(1);
});

describe('with a second host', () => {
  let other: Server;
  let otherBase: string;
  beforeAll(async () => {
    other = createServer((req, res) => {
      seen.push(req);
      res.writeHead(200).end('other');
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    otherBase = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    other.closeAllConnections();
    await new Promise((resolve) => other.close(resolve));
  });

  test('each host has its own pool: with one connection per host, two hosts use two sockets', async () => {
    handler = (_req, res) => res.writeHead(200).end('ok');
    const fetcher = makeFetcher({ connectionsPerHost: 1 });
    await Promise.all(
      [`${base}/1`, `${otherBase}/1`, `${base}/2`, `${otherBase}/2`].map((url) => fetcher.fetch({ url })),
    );
    const ports = (server: Server) =>
      new Set(
        seen
          .filter((req) => req.socket.localPort === (server.address() as AddressInfo).port)
          .map((req) => req.socket.remotePort),
      );
    expect(seen).toHaveLength(4);
    expect([...ports(other)]).toHaveLength(1);
    expect(new Set(seen.map((req) => req.socket.remotePort)).size).toBe(2);
  });

  test('the rate limit is per host: a second host is not held back by the first', async () => {
    handler = (_req, res) => res.writeHead(200).end('ok');
    const fetcher = makeFetcher({ minTimeMs: 400, maxConcurrentPerHost: 1 });
    const started = performance.now();
    await Promise.all([fetcher.fetch({ url: `${base}/x` }), fetcher.fetch({ url: `${otherBase}/x` })]);
    expect(performance.now() - started).toBeLessThan(300);
    await fetcher.fetch({ url: `${base}/y` });
    expect(performance.now() - started).toBeGreaterThanOrEqual(390);
  });
});

test('a body that stops flowing is cut by the body timeout, long before the response deadline', async () => {
  handler = (_req, res) => {
    res.writeHead(200);
    res.write('{"partial":');
  };
  const started = performance.now();
  const error = await makeFetcher({ bodyTimeoutMs: 150, headersTimeoutMs: 5_000, totalTimeoutMs: 5_000, retries: 0 })
    .fetch({ url: `${base}/stall` })
    .catch((e: unknown) => e);
  expect(error).toMatchObject({ kind: FetchErrorKind.Timeout });
  expect(((error as FetchError).cause as { code?: string }).code).toBe('UND_ERR_BODY_TIMEOUT');
  expect(performance.now() - started).toBeLessThan(2_000);
});

test('a host that accepts no connection is cut by the connect timeout', async () => {
  // A listener whose thread is blocked never accepts: once its backlog is full, SYNs go unanswered.
  const worker = new Worker(
    `const net = require('node:net'); const { parentPort } = require('node:worker_threads');
     const server = net.createServer();
     server.listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => {
       parentPort.postMessage(server.address().port);
       setTimeout(() => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 15000), 20);
     });`,
    { eval: true },
  );
  const port = await new Promise<number>((resolve) => worker.once('message', resolve));
  await new Promise((resolve) => setTimeout(resolve, 60));
  const fillers = Array.from({ length: 4 }, () => connect(port, '127.0.0.1').on('error', () => undefined));
  try {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = performance.now();
    const error = await makeFetcher({
      connectTimeoutMs: 200,
      headersTimeoutMs: 8_000,
      totalTimeoutMs: 8_000,
      retries: 0,
    })
      .fetch({ url: `http://127.0.0.1:${port}/` })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: FetchErrorKind.Timeout });
    expect(((error as FetchError).cause as { code?: string }).code).toBe('UND_ERR_CONNECT_TIMEOUT');
    expect(performance.now() - started).toBeLessThan(4_000);
  } finally {
    for (const socket of fillers) socket.destroy();
    await worker.terminate();
  }
});
