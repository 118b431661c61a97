import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePorts, REPO_ROOT, waitForExit } from '../../support/process.ts';

function listen(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

const close = (server: Server) => new Promise((resolve) => server.close(resolve));

test('when the fourth part fails to start, the three started are stopped (store closed, ports released) ' +
  'and the process exits 1 naming the cause', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'weiquan-partial-start-'));
  const [gateway, accounts, directory, cases, reputation] = await freePorts(5);
  // The reputation subgraph, started fourth (after accounts, directory and cases), finds its port taken.
  const blocker = await listen(reputation);
  try {
    const child = spawn(process.execPath, ['scripts/start.ts'], {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        LOG_LEVEL: 'info',
        HOST: '127.0.0.1',
        GATEWAY_PORT: String(gateway),
        ACCOUNTS_PORT: String(accounts),
        DIRECTORY_PORT: String(directory),
        CASES_PORT: String(cases),
        REPUTATION_PORT: String(reputation),
        SCHEDULER_ENABLED: 'false',
        CRAWL_ENABLED: 'false',
        DATA_DIR: dataDir,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const { code } = await waitForExit(child);
    expect(code).toBe(1);
    expect(output).toContain('stopping the 3 part(s) already started');
    expect(output).toMatch(/weiquan did not start: listen EADDRINUSE[^"]*:\d+/);
    expect(output).not.toContain('error while stopping');
    // A SQLite store closed cleanly checkpoints and removes its write-ahead log; one left open does not.
    expect(existsSync(join(dataDir, 'cases.db'))).toBe(true);
    expect(existsSync(join(dataDir, 'cases.db-wal'))).toBe(false);
    await Promise.all([listen(accounts), listen(directory), listen(cases)].map(async (server) => close(await server)));
  } finally {
    await close(blocker);
    rmSync(dataDir, { recursive: true, force: true });
  }
}, 60_000);
