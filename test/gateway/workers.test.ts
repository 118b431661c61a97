/**
 * GATEWAY_WORKERS: several gateway processes share one port, answer queries, and stop together on
 * SIGTERM (issue 17). The gateway runs as a real child process over the test graph.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { defaultGatewayWorkers } from '../../gateway/workers.ts';
import { postGraphQL, startGraph, type TestGraph } from '../support/graph.ts';
import { freePorts, REPO_ROOT, waitForExit } from '../support/process.ts';

let graph: TestGraph;
beforeAll(async () => {
  graph = await startGraph();
});
afterAll(async () => {
  await graph?.stop();
});

test('by default a 2-core machine keeps one gateway process, an 8-core one runs seven', () => {
  expect(defaultGatewayWorkers(2)).toBe(1);
  expect(defaultGatewayWorkers(1)).toBe(1);
  expect(defaultGatewayWorkers(8)).toBe(7);
});

test('GATEWAY_WORKERS=2 runs two processes on one port that answer, and SIGTERM stops both with exit 0', async () => {
  const [port] = await freePorts(1);
  const child = spawn(process.execPath, ['gateway/main.ts'], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env.PATH,
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      GATEWAY_PORT: String(port),
      GATEWAY_WORKERS: '2',
      DIRECTORY_URL: graph.urls.directory,
      CASES_URL: graph.urls.cases,
      REPUTATION_URL: graph.urls.reputation,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  // Each worker logs its own 'gateway listening'; a single process logs it once.
  const listening = () => output.split('\n').filter((line) => line.includes('gateway listening')).length;
  while (listening() < 2) {
    if (child.exitCode !== null) throw new Error(`the gateway exited:\n${output}`);
    await once(child.stdout as NodeJS.EventEmitter, 'data');
  }
  const answers = await Promise.all(
    Array.from({ length: 4 }, () => postGraphQL(`http://127.0.0.1:${port}/graphql`, '{ channel(id: "12315") { id } }')),
  );
  for (const answer of answers) expect(answer.data).toEqual({ channel: { id: '12315' } });
  const signalled = performance.now();
  child.kill('SIGTERM');
  const exit = await waitForExit(child);
  expect(exit).toEqual({ code: 0, signal: null });
  expect(performance.now() - signalled).toBeLessThan(10_000);
});
