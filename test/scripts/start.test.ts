import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, startAllInOne, waitForExit } from '../support/process.ts';
import { postGraphQL } from '../support/graph.ts';

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'weiquan-start-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

test('npm start serves the composed graph within 20 s of start', async () => {
  const started = Date.now();
  const graph = await startAllInOne({ DATA_DIR: dataDir }, 20_000);
  try {
    expect(Date.now() - started).toBeLessThan(20_000);
    const response = await postGraphQL<{ channel: { id: string } | null }>(
      graph.gatewayUrl,
      '{ channel(id: "12315") { id name { zhCN en } } }',
    );
    expect(response.data?.channel?.id).toBe('12315');
  } finally {
    graph.child.kill('SIGKILL');
    await waitForExit(graph.child);
  }
});

test('SIGTERM stops the whole graph gracefully with exit code 0', async () => {
  const graph = await startAllInOne({ DATA_DIR: dataDir, LOG_LEVEL: 'info' });
  graph.child.kill('SIGTERM');
  const exit = await waitForExit(graph.child);
  expect(exit).toEqual({ code: 0, signal: null });
  expect(graph.output()).toContain('"msg":"stopped"');
});

test('the request id appears on the log lines of the gateway and of the subgraph it reached', async () => {
  const graph = await startAllInOne({ DATA_DIR: dataDir, LOG_LEVEL: 'info' });
  try {
    await postGraphQL(graph.gatewayUrl, '{ channel(id: "12315") { id } }', undefined, undefined, {
      'x-request-id': 'trace-me-4711',
    });
    // The log lines cross a process boundary: wait until the child has written both of them.
    const traced = (output: string) =>
      output
        .split('\n')
        .filter((line) => line.includes('trace-me-4711'))
        .map((line): { part?: string; subgraph?: string } => {
          try {
            return JSON.parse(line);
          } catch {
            return {}; // a line still being written
          }
        });
    await graph.whenOutput(
      (output) =>
        traced(output).some((line) => line.part === 'gateway') &&
        traced(output).some((line) => line.subgraph === 'directory'),
      'gateway and directory log lines with the request id',
    );
    const lines = graph
      .output()
      .split('\n')
      .filter((line) => line.includes('trace-me-4711'))
      .map((line) => JSON.parse(line));
    expect(lines.some((line) => line.part === 'gateway')).toBe(true);
    expect(lines.some((line) => line.subgraph === 'directory')).toBe(true);
  } finally {
    graph.child.kill('SIGKILL');
    await waitForExit(graph.child);
  }
});

test('a bad environment variable stops start-up with its name and what was expected', () => {
  const result = spawnSync(process.execPath, ['scripts/start.ts'], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH, GATEWAY_PORT: 'eighty', DATA_DIR: dataDir },
    encoding: 'utf8',
    timeout: 20_000,
  });
  expect(result.status).toBe(2);
  expect(result.stderr).toMatch(/GATEWAY_PORT: expected .*got "eighty"/);
});

/** Every process below `pid` (npm runs a script through `sh -c`, which may or may not exec node). */
function descendantsOf(pid: number): number[] {
  const table = execFileSync('ps', ['-eo', 'pid=,ppid='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number));
  const children = table.filter(([, parent]) => parent === pid).map(([child]) => child);
  return children.flatMap((child) => [child, ...descendantsOf(child)]);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test('SIGTERM to the npm process of `npm start` stops the node process under it within 10 s', async () => {
  const graph = await startAllInOne({ DATA_DIR: dataDir }, 30_000, ['npm', 'start']);
  const npmPid = graph.child.pid as number;
  const tree = [npmPid, ...descendantsOf(npmPid)];
  try {
    expect(tree.length).toBeGreaterThan(1);
    graph.child.kill('SIGTERM');
    const deadline = Date.now() + 10_000;
    // Only npm is our child, so nothing else has an exit event to wait on: poll the process table.
    while (tree.some(isAlive) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(tree.filter(isAlive)).toEqual([]);
  } finally {
    for (const pid of tree.filter(isAlive)) process.kill(pid, 'SIGKILL');
  }
});
