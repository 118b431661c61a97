import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { loadConfig } from '../../platform/config.ts';
import {
  FaultKind,
  FIXTURE_12315_TOKEN,
  startFixtureServer,
  type FixtureServer,
} from '../../scripts/fixture-server.ts';
import { checkSources, formatCanary, parseCanaryArguments } from '../../scripts/sources-check.ts';
import { canaryExitCode } from '../../subgraphs/reputation/sources/canary.ts';

/** The canary, run only against the reconstructed fixtures on loopback (never the real sites). */
let server: FixtureServer;
let closedPort: number;
beforeAll(async () => {
  server = await startFixtureServer();
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  closedPort = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
});
afterAll(async () => server.close());
beforeEach(() => {
  server.setFaults([]);
  server.requests.length = 0;
});

const env = (overrides: Record<string, string> = {}) => ({
  LOG_LEVEL: 'silent',
  SOURCE_BLACKCAT_BASE_URL: server.baseUrls.blackcat,
  SOURCE_12315_BASE_URL: server.baseUrls.samr12315,
  SOURCE_12315_TOKEN: FIXTURE_12315_TOKEN,
  SOURCE_JUTOUSU_BASE_URL: server.baseUrls.jutousu,
  ...overrides,
});

test('every reconstructed format matches, with exactly one request per source', async () => {
  const results = await checkSources(loadConfig(env()), { timeoutMs: 2_000 });
  expect(results.map((r) => [r.source, r.verdict])).toEqual([
    ['blackcat', 'MATCHES'],
    ['12315', 'MATCHES'],
    ['jutousu', 'MATCHES'],
  ]);
  expect(canaryExitCode(results)).toBe(0);
  expect(server.requests.map((r) => r.path.split('?')[0])).toEqual(
    expect.arrayContaining([
      '/blackcat/api/index/feed',
      '/samr/public-web/complaint/list',
      '/21cn/json/indexPcMorePost/order/ctime/pageNo/1',
    ]),
  );
  expect(server.requests).toHaveLength(3);
});

test('a changed format is reported per source and exits 1; a vanished field counts as a change', async () => {
  server.setFaults([
    { target: 'blackcat', kind: FaultKind.ChangedStructure },
    { target: 'samr12315', kind: FaultKind.MissingRequiredFields },
    { target: 'jutousu', kind: FaultKind.Truncated },
  ]);
  const results = await checkSources(loadConfig(env()), { timeoutMs: 2_000 });
  expect(results.map((r) => r.verdict)).toEqual(['CHANGED', 'CHANGED', 'CHANGED']);
  expect(results[0].detail).toContain('no result.data.lists array');
  expect(results[1].detail).toContain('"entName" is missing from every item');
  expect(results[2].detail).toContain('not JSON');
  expect(canaryExitCode(results)).toBe(1);
});

test(
  'a source that cannot be reached is UNREACHABLE at ' + 'once, a login or ban is not a pass, no token is skipped',
  async () => {
    server.setFaults([{ target: 'jutousu', kind: FaultKind.Banned }]);
    const dead = `http://127.0.0.1:${closedPort}/blackcat`;
    const started = performance.now();
    const { SOURCE_12315_TOKEN: _token, ...withoutToken } = env({ SOURCE_BLACKCAT_BASE_URL: dead });
    const results = await checkSources(loadConfig(withoutToken), { timeoutMs: 1_000 });
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(results.map((r) => r.verdict)).toEqual(['UNREACHABLE', 'SKIPPED', 'BLOCKED']);
    expect(results[0].detail).toMatch(/^unreachable: /);
    expect(results[1].detail).toContain('SOURCE_12315_TOKEN');
    expect(canaryExitCode(results)).toBe(3);
    expect(formatCanary(results)).toContain('UNREACHABLE');
  },
);

test(
  'npm run sources:check prints the verdicts and exits ' + '0 on the fixtures, 3 when a site is unreachable',
  async () => {
    const script = fileURLToPath(new URL('../../scripts/sources-check.ts', import.meta.url));
    const run = promisify(execFile);
    const ok = await run(process.execPath, [script, '--timeout', '2000'], { env: { ...process.env, ...env() } });
    expect(ok.stdout).toMatch(/blackcat\s+MATCHES/);
    const dead = `http://127.0.0.1:${closedPort}`;
    const failed = await run(process.execPath, [script, '--timeout', '1000'], {
      env: { ...process.env, ...env({ SOURCE_BLACKCAT_BASE_URL: dead, SOURCE_JUTOUSU_BASE_URL: dead }) },
    }).catch((error: { code: number; stdout: string }) => error);
    expect('code' in failed && failed.code).toBe(3);
    expect(failed.stdout).toMatch(/jutousu\s+UNREACHABLE\s+unreachable/);
  },
);

test('the command line takes a timeout and --json', () => {
  expect(parseCanaryArguments([])).toEqual({ timeoutMs: 8000, json: false });
  expect(parseCanaryArguments(['--timeout', '500', '--json'])).toEqual({ timeoutMs: 500, json: true });
  expect(() => parseCanaryArguments(['--timeout', '5'])).toThrow('--timeout: expected milliseconds');
});
