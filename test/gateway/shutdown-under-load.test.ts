/**
 * SIGTERM under sustained load (issue 18): sixteen clients send requests back to back on kept-alive
 * connections when the gateway, or a subgraph, is told to stop. Every request is either answered
 * 200 (those already sent, and those that reach a kept-alive connection during the drain, which
 * are answered with `Connection: close`) or refused a new connection; none is reset, and the
 * process exits 0 within 10 s. The parts under test run as real child processes.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { RATE_LIMITS_OUT_OF_THE_WAY, startGraph, type TestGraph } from '../support/graph.ts';
import { freePorts, REPO_ROOT, waitForExit } from '../support/process.ts';

let graph: TestGraph;
let dataDir: string;
beforeAll(async () => {
  graph = await startGraph();
  dataDir = mkdtempSync(join(tmpdir(), 'weiquan-shutdown-load-'));
});
afterAll(async () => {
  await graph?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Starts `entry` as a child process and resolves once it has logged `listening`. */
async function startPart(entry: string, env: Record<string, string>, listening: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [entry], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env.PATH,
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      ...RATE_LIMITS_OUT_OF_THE_WAY,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr?.on('data', (chunk) => (output += chunk));
  child.stdout?.on('data', (chunk) => (output += chunk));
  const exited = once(child, 'exit');
  while (!output.includes(listening)) {
    const event = await Promise.race([once(child.stdout as NodeJS.EventEmitter, 'data'), exited.then(() => 'exit')]);
    if (event === 'exit') throw new Error(`${entry} exited:\n${output}`);
  }
  return child;
}

type Outcome = 'ok' | 'refused' | string;
interface Sent {
  startedAt: number;
  outcome: Outcome;
}

const CLIENTS = 16;

/**
 * CLIENTS loops posting `query` to `url` back to back over one kept-alive pool, each until its
 * first refused connection (or `stopAfterMs`). Outcomes: `ok` (200 with data and no error),
 * `refused`, else the status and error code, or the transport error's code.
 */
function sustainedLoad(url: string, query: string, stopAfterMs = 12_000) {
  const agent = new Agent({ connections: CLIENTS, keepAliveTimeout: 30_000 });
  const sent: Sent[] = [];
  const until = performance.now() + stopAfterMs;
  const client = async () => {
    while (performance.now() < until) {
      const entry: Sent = { startedAt: performance.now(), outcome: 'pending' };
      sent.push(entry);
      try {
        const response = await request(url, {
          method: 'POST',
          dispatcher: agent,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query }),
        });
        const body = (await response.body.json()) as {
          data?: unknown;
          errors?: Array<{ extensions?: { code?: string } }>;
        };
        entry.outcome =
          response.statusCode === 200 && body.data && !body.errors
            ? 'ok'
            : `${response.statusCode} ${body.errors?.map((error) => error.extensions?.code).join(',')}`;
      } catch (error) {
        const code = (error as { code?: string }).code ?? String(error);
        entry.outcome = code === 'ECONNREFUSED' ? 'refused' : code;
        if (code === 'ECONNREFUSED') return;
      }
    }
  };
  const clients = Array.from({ length: CLIENTS }, client);
  return {
    sent,
    async finished() {
      await Promise.all(clients);
      await agent.close();
      return sent;
    },
  };
}

/** Load, SIGTERM after 1.5 s, and what the clients and the process saw. */
async function terminateUnderLoad(child: ChildProcess, url: string, query: string) {
  const load = sustainedLoad(url, query);
  const answered = () => load.sent.filter((entry) => entry.outcome === 'ok').length;
  const deadline = performance.now() + 15_000;
  // Polled: the clients' answers are counted, not awaited one by one.
  while (answered() < 50) {
    if (performance.now() > deadline) {
      child.kill('SIGKILL');
      await load.finished();
      throw new Error(`50 answers not reached: ${JSON.stringify(load.sent.slice(-5))}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const signalledAt = performance.now();
  child.kill('SIGTERM');
  const exit = await waitForExit(child);
  const exitedAfterMs = performance.now() - signalledAt;
  const sent = await load.finished();
  const count = (entries: Sent[]) =>
    entries.reduce<Record<string, number>>((counts, { outcome }) => {
      counts[outcome] = (counts[outcome] ?? 0) + 1;
      return counts;
    }, {});
  return {
    exit,
    exitedAfterMs,
    before: count(sent.filter((entry) => entry.startedAt < signalledAt)),
    after: count(sent.filter((entry) => entry.startedAt >= signalledAt)),
  };
}

/**
 * Sent before the signal: all 200. After it: answered on a kept-alive connection during the drain,
 * or a refused new connection (each client stops at its first), nothing else.
 */
function expectNoFailure(result: Awaited<ReturnType<typeof terminateUnderLoad>>) {
  const { ok: _answered, ...failedBefore } = result.before;
  const { ok: _answeredAfter, refused, ...failedAfter } = result.after;
  expect({ failedBefore, failedAfter, refused }).toEqual({ failedBefore: {}, failedAfter: {}, refused: CLIENTS });
  expect(result.before.ok).toBeGreaterThan(50);
}

test('the gateway under load: all sent before SIGTERM answer 200, none is reset, exit within 10 s', async () => {
  const [port] = await freePorts(1);
  const gateway = await startPart(
    'gateway/main.ts',
    {
      GATEWAY_PORT: String(port),
      GATEWAY_WORKERS: '1',
      DIRECTORY_URL: graph.urls.directory,
      CASES_URL: graph.urls.cases,
      REPUTATION_URL: graph.urls.reputation,
      ACCOUNTS_URL: graph.urls.accounts,
    },
    'gateway listening',
  );
  const result = await terminateUnderLoad(
    gateway,
    `http://127.0.0.1:${port}/graphql`,
    '{ channels { id kind } publishedCases(first: 3) { edges { node { id } } } }',
  );
  expect(result.exit).toEqual({ code: 0, signal: null });
  expect(result.exitedAfterMs).toBeLessThan(10_000);
  expectNoFailure(result);
}, 60_000);

test('a subgraph under load: all sent before SIGTERM answer 200, none is reset, exit within 10 s', async () => {
  const [port] = await freePorts(1);
  const directory = await startPart(
    'subgraphs/directory/main.ts',
    { DIRECTORY_PORT: String(port), ACCOUNTS_URL: graph.urls.accounts },
    'directory subgraph listening',
  );
  const result = await terminateUnderLoad(directory, `http://127.0.0.1:${port}/graphql`, '{ channels { id kind } }');
  expect(result.exit).toEqual({ code: 0, signal: null });
  expect(result.exitedAfterMs).toBeLessThan(10_000);
  expectNoFailure(result);
}, 60_000);
