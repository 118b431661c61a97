/**
 * gateway/web-assets.ts on a real HTTP server over a small built site in a temporary folder: which
 * requests it answers, with which caching, compression, language and headers.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import { request } from 'undici';
import { createWebAssets, preferredLanguage } from '../../gateway/web-assets.ts';

let dir: string;
let server: Server;
let origin: string;
let graphiqlServer: Server;
let graphiqlOrigin: string;
const SCRIPT = `console.log(${JSON.stringify('x'.repeat(2000))});`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'weiquan-web-assets-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html><html lang="zh-CN"><head><script type="module" src="/assets/app-1a2b3c.js"></script></head></html>',
  );
  writeFileSync(join(dir, 'assets', 'app-1a2b3c.js'), SCRIPT);
  mkdirSync(join(dir, 'assets', 'graphiql'));
  writeFileSync(join(dir, 'graphiql.html'), '<!doctype html><html lang="en"><title>GraphiQL</title></html>');
  writeFileSync(join(dir, 'assets', 'graphiql', 'graphiql-4d5e6f.js'), SCRIPT);
  [server, origin] = await serveSite(createWebAssets(dir));
  [graphiqlServer, graphiqlOrigin] = await serveSite(createWebAssets(dir, { graphiql: true }));
});

async function serveSite(serve: ReturnType<typeof createWebAssets>): Promise<[Server, string]> {
  const site = createServer((req, res) => {
    if (!serve(req, res, new URL(req.url ?? '/', 'http://localhost'))) {
      res.writeHead(418);
      res.end('not the site');
    }
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  return [site, `http://127.0.0.1:${(site.address() as AddressInfo).port}`];
}

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await new Promise((resolve) => graphiqlServer.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

const get = (path: string, headers: Record<string, string> = {}, method: 'GET' | 'HEAD' | 'POST' = 'GET') =>
  request(`${origin}${path}`, { method, headers });

test('a page route answers index.html, no-cache, in the language Accept-Language prefers', async () => {
  const chinese = await get('/channels/12315', { 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.8' });
  expect(chinese.statusCode).toBe(200);
  expect(chinese.headers['cache-control']).toBe('no-cache');
  await expect(chinese.body.text()).resolves.toContain('<html lang="zh-CN">');
  const english = await get('/', { 'accept-language': 'en-US,en;q=0.9' });
  await expect(english.body.text()).resolves.toContain('<html lang="en">');
  expect(english.headers.vary).toContain('Accept-Language');
});

test('the language is Chinese unless the client prefers English to it', () => {
  expect(preferredLanguage(undefined)).toBe('zh-CN');
  expect(preferredLanguage('fr-FR,de;q=0.8')).toBe('zh-CN');
  expect(preferredLanguage('fr-FR,en;q=0.5,zh;q=0.4')).toBe('en');
  expect(preferredLanguage('en;q=0.3,zh-TW;q=0.8')).toBe('zh-CN');
  expect(preferredLanguage('en-GB')).toBe('en');
});

test('a hashed asset is cached for a year and sent brotli-compressed to a client that accepts it', async () => {
  const response = await get('/assets/app-1a2b3c.js', { 'accept-encoding': 'gzip, br' });
  expect(response.statusCode).toBe(200);
  expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  expect(response.headers['content-type']).toBe('text/javascript; charset=utf-8');
  expect(response.headers['content-encoding']).toBe('br');
  expect(brotliDecompressSync(Buffer.from(await response.body.arrayBuffer())).toString()).toBe(SCRIPT);
});

test('index.html revalidates with its ETag (304)', async () => {
  const first = await get('/');
  await first.body.dump();
  const again = await get('/', { 'if-none-match': String(first.headers.etag) });
  expect(again.statusCode).toBe(304);
  await again.body.dump();
});

test('a missing asset is 404 and an unknown page gets the site with 404, both with the security headers', async () => {
  const asset = await get('/assets/gone-000000.js');
  expect(asset.statusCode).toBe(404);
  await asset.body.dump();
  const page = await get('/no-such-page');
  expect(page.statusCode).toBe(404);
  await expect(page.body.text()).resolves.toContain('<html');
  for (const response of [asset, page]) {
    expect(response.headers['content-security-policy']).toContain("script-src 'self'");
    expect(response.headers['content-security-policy']).not.toContain('unsafe-inline');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-frame-options']).toBe('DENY');
  }
});

test('GraphQL, health, the forwarded routes and non-GET methods are left to the gateway', async () => {
  for (const path of ['/graphql', '/healthz', '/readyz', '/evidence/abc', '/export/rankings.csv']) {
    const response = await get(path);
    expect(response.statusCode).toBe(418);
    await response.body.dump();
  }
  const post = await get('/', {}, 'POST');
  expect(post.statusCode).toBe(418);
  await post.body.dump();
});

test('HEAD answers the headers without a body', async () => {
  const response = await get('/', {}, 'HEAD');
  expect(response.statusCode).toBe(200);
  await expect(response.body.text()).resolves.toBe('');
});

test('with GraphiQL on, a browser GET /graphql gets its page: inline styles allowed, scripts our own', async () => {
  const page = await request(`${graphiqlOrigin}/graphql`, { headers: { accept: 'text/html,*/*' } });
  expect(page.statusCode).toBe(200);
  await expect(page.body.text()).resolves.toContain('<title>GraphiQL</title>');
  const policy = String(page.headers['content-security-policy']);
  expect(policy).toContain("script-src 'self';");
  expect(policy).toContain("style-src 'self' 'unsafe-inline'");
  const file = await request(`${graphiqlOrigin}/assets/graphiql/graphiql-4d5e6f.js`, {
    headers: { 'accept-encoding': 'br' },
  });
  expect(file.statusCode).toBe(200);
  expect(file.headers['content-encoding']).toBe('br');
  expect(brotliDecompressSync(Buffer.from(await file.body.arrayBuffer())).toString()).toBe(SCRIPT);
  const client = await request(`${graphiqlOrigin}/graphql`, { headers: { accept: 'application/json' } });
  expect(client.statusCode).toBe(418);
  await client.body.dump();
});

test('with GraphiQL off (production), neither its page nor its files are served', async () => {
  const page = await get('/graphql', { accept: 'text/html' });
  expect(page.statusCode).toBe(418);
  await page.body.dump();
  for (const path of ['/graphiql.html', '/assets/graphiql/graphiql-4d5e6f.js']) {
    const response = await get(path);
    expect({ path, status: response.statusCode }).toEqual({ path, status: 404 });
    await response.body.dump();
  }
});
