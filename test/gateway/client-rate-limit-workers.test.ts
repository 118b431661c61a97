/**
 * With GATEWAY_WORKERS=2 the per-client rate limit is one count for the client, not one per worker
 * (gateway/workers.ts sharedClientLimiter): requests on fresh connections, which the primary hands to
 * the workers in turn, are refused once the client's limit is spent, whichever worker gets them.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { Agent, request } from 'undici';
import { startGraph, type TestGraph } from '../support/graph.ts';
import { freePorts, REPO_ROOT, waitForExit } from '../support/process.ts';

let graph: TestGraph;
beforeAll(async () => {
  graph = await startGraph();
});
afterAll(async () => {
  await graph?.stop();
});

/** One request on a connection of its own, so that the primary may hand it to either worker. */
async function readOnNewConnection(url: string): Promise<number> {
  const agent = new Agent();
  try {
    const response = await request(url, {
      method: 'POST',
      dispatcher: agent,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ channel(id: "12315") { id } }' }),
    });
    await response.body.dump();
    return response.statusCode;
  } finally {
    await agent.close();
  }
}

test('two gateway workers share one count per client', async () => {
  const [port] = await freePorts(1);
  const child = spawn(process.execPath, ['gateway/main.ts'], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env.PATH,
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      GATEWAY_PORT: String(port),
      GATEWAY_WORKERS: '2',
      RATE_LIMIT_ANONYMOUS_PER_MINUTE: '4',
      DIRECTORY_URL: graph.urls.directory,
      CASES_URL: graph.urls.cases,
      REPUTATION_URL: graph.urls.reputation,
      ACCOUNTS_URL: graph.urls.accounts,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  try {
    const listening = () => output.split('\n').filter((line) => line.includes('gateway listening')).length;
    while (listening() < 2) {
      if (child.exitCode !== null) throw new Error(`the gateway exited:\n${output}`);
      await once(child.stdout as NodeJS.EventEmitter, 'data');
    }
    const url = `http://127.0.0.1:${port}/graphql`;
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push(await readOnNewConnection(url));
    // Counted apart, each worker would have let its three through.
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
  } finally {
    child.kill('SIGTERM');
    await waitForExit(child);
  }
});
