/**
 * SIGTERM drains the gateway process: it stops accepting, lets in-flight requests finish (their
 * subgraph calls are not aborted), closes kept-alive connections once idle, and exits within 10 s.
 * The gateway runs as a real child process (`gateway/main.ts`) over the test graph; the directory
 * sits behind a proxy that holds the request until the test releases it.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { request } from 'undici';
import { postGraphQL, startGraph, type TestGraph } from '../support/graph.ts';
import { freePorts, REPO_ROOT, waitForExit } from '../support/process.ts';
import { type UpstreamProxy, upstreamProxy } from './upstream-proxy.ts';

/** Taken before this file starts any gateway. */
const signalListenersBefore = {
  SIGTERM: new Set(process.listeners('SIGTERM')),
  SIGINT: new Set(process.listeners('SIGINT')),
};

let graph: TestGraph;
let directory: UpstreamProxy;
beforeAll(async () => {
  graph = await startGraph();
});
afterEach(async () => {
  await directory?.close();
});
afterAll(async () => {
  await graph?.stop();
});

async function startGatewayProcess(directoryUrl: string) {
  const [port] = await freePorts(1);
  const child = spawn(process.execPath, ['gateway/main.ts'], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env.PATH,
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      GATEWAY_PORT: String(port),
      DIRECTORY_URL: directoryUrl,
      CASES_URL: graph.urls.cases,
      REPUTATION_URL: graph.urls.reputation,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  /** Resolves when the process has logged a line containing `text`. */
  const logged = async (text: string) => {
    while (!output.includes(text)) {
      if (child.exitCode !== null) throw new Error(`the gateway exited:\n${output}`);
      await once(child.stdout as NodeJS.EventEmitter, 'data');
    }
  };
  await logged('gateway listening');
  return { child, url: `http://127.0.0.1:${port}/graphql`, logged, output: () => output };
}

test('SIGTERM lets an in-flight request finish with 200 and the gateway exits within 10 s', async () => {
  directory = await upstreamProxy(graph.urls.directory, ['hold']);
  const gateway = await startGatewayProcess(directory.url);
  const answer = postGraphQL(gateway.url, '{ channel(id: "12315") { id } }');
  await directory.held();
  const signalled = performance.now();
  gateway.child.kill('SIGTERM');
  await gateway.logged('shutting down');
  directory.release();
  const response = await answer;
  expect(response.status).toBe(200);
  expect(response.errors).toBeUndefined();
  expect(response.data).toEqual({ channel: { id: '12315' } });
  const exit = await waitForExit(gateway.child);
  expect(performance.now() - signalled).toBeLessThan(10_000);
  expect(exit).toEqual({ code: 0, signal: null });
});

test('after SIGTERM, an idle kept-alive connection is closed and the process exits promptly', async () => {
  directory = await upstreamProxy(graph.urls.directory, []);
  const gateway = await startGatewayProcess(directory.url);
  // One request leaves a kept-alive connection open and idle.
  const first = await request(gateway.url.replace('/graphql', '/healthz'));
  await first.body.dump();
  expect(first.headers.connection).toBe('keep-alive');
  const signalled = performance.now();
  gateway.child.kill('SIGTERM');
  const exit = await waitForExit(gateway.child);
  expect(performance.now() - signalled).toBeLessThan(5_000);
  expect(exit).toEqual({ code: 0, signal: null });
});

test('starting a gateway adds no SIGTERM or SIGINT handler (the runtime would dispose itself mid-request)', () => {
  expect(graph.gateway).toBeDefined();
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    const added = process.listeners(signal).filter((listener) => !signalListenersBefore[signal].has(listener));
    expect(added.map((listener) => listener.name)).toEqual([]);
  }
});
