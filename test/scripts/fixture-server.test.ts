import { request } from 'node:http';
import { parseFixtureServerArguments, startFixtureServer, type FixtureServer } from '../../scripts/fixture-server.ts';

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(async () => server.close());

/** A raw GET: fetch() would normalise the path, and the point is what the server does with it as sent. */
function get(path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}${path}`, { method: 'GET' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('a path segment that is not percent-encoded UTF-8 (%E0) gets a 400, and the server keeps serving', async () => {
  for (const path of [
    '/blackcat/complaint/view/%E0/',
    '/21cn/tousu/show/id/%E0',
    '/21cn/json/getPostContent/postKey/%E0',
  ]) {
    const answer = await get(path);
    expect(answer.status).toBe(400);
    expect(answer.body).toContain('not valid percent-encoded UTF-8');
  }
  expect((await get('/robots.txt')).status).toBe(200);
});

test('the command line is read by parseArgs: port, repeated volumes, and clear errors', () => {
  expect(parseFixtureServerArguments([])).toEqual({ port: 4010, volume: {} });
  expect(parseFixtureServerArguments(['--port', '0', '--volume', '12315=100', '--volume', 'blackcat=30'])).toEqual({
    port: 0,
    volume: { samr12315: 100, blackcat: 30 },
  });
  expect(() => parseFixtureServerArguments(['--port', '70000'])).toThrow('--port: expected 0-65535, got "70000"');
  expect(() => parseFixtureServerArguments(['--port', 'x'])).toThrow('--port: expected 0-65535');
  expect(() => parseFixtureServerArguments(['--volume', 'nowhere=1'])).toThrow('--volume: expected source=count');
  expect(() => parseFixtureServerArguments(['--prot', '1'])).toThrow(/Unknown option '--prot'/);
});
