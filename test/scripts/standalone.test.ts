import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { postGraphQL } from '../support/graph.ts';
import { freePorts, REPO_ROOT, waitForExit } from '../support/process.ts';

/** Production runs each part as its own process, wired only through the environment. */
const children: ChildProcess[] = [];
let dataDir: string;

async function waitReady(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited early:\n${output()}`);
    try {
      const response = await request(url);
      await response.body.dump();
      if (response.statusCode === 200) return;
    } catch {
      // not up yet
    }
    // Readiness of another process has no event to await here: poll /readyz as an orchestrator does.
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`not ready: ${url}\n${output()}`);
}

function startPart(script: string, env: Record<string, string>) {
  const child = spawn(process.execPath, [script], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH, LOG_LEVEL: 'warn', SCHEDULER_ENABLED: 'false', DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  children.push(child);
  return { child, output: () => output };
}

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'weiquan-standalone-'));
});
afterAll(async () => {
  for (const child of children) child.kill('SIGTERM');
  await Promise.all(children.map(waitForExit));
  rmSync(dataDir, { recursive: true, force: true });
});

test('each part runs alone and the gateway reaches the subgraphs at the URLs it is given', async () => {
  const [gateway, directory, cases, reputation, accounts] = await freePorts(5);
  const urls = {
    ACCOUNTS_URL: `http://127.0.0.1:${accounts}/graphql`,
    DIRECTORY_URL: `http://127.0.0.1:${directory}/graphql`,
    CASES_URL: `http://127.0.0.1:${cases}/graphql`,
    REPUTATION_URL: `http://127.0.0.1:${reputation}/graphql`,
  };
  const parts: Array<{ script: string; env: Record<string, string>; port: number }> = [
    { script: 'subgraphs/accounts/main.ts', env: { ACCOUNTS_PORT: String(accounts) }, port: accounts },
    { script: 'subgraphs/directory/main.ts', env: { DIRECTORY_PORT: String(directory) }, port: directory },
    { script: 'subgraphs/cases/main.ts', env: { CASES_PORT: String(cases) }, port: cases },
    {
      script: 'subgraphs/reputation/main.ts',
      env: { REPUTATION_PORT: String(reputation), CASES_URL: urls.CASES_URL },
      port: reputation,
    },
  ];
  for (const part of parts) {
    const started = startPart(part.script, part.env);
    await waitReady(`http://127.0.0.1:${part.port}/readyz`, started.child, started.output);
  }
  const started = startPart('gateway/main.ts', { GATEWAY_PORT: String(gateway), ...urls });
  await waitReady(`http://127.0.0.1:${gateway}/readyz`, started.child, started.output);

  const response = await postGraphQL<{ channel: { id: string } | null; rankings: { totalCount: number } }>(
    `http://127.0.0.1:${gateway}/graphql`,
    '{ channel(id: "12315") { id } ' +
      'rankings(industry: ECOMMERCE, window: LAST_90_DAYS, metric: WILSON_SCORE, first: 1) { totalCount } }',
  );
  expect(response.errors).toBeUndefined();
  expect(response.data?.channel?.id).toBe('12315');
  expect(response.data?.rankings.totalCount).toBeGreaterThan(0);
});
