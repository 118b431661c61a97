import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Ports the OS says are free right now (the listeners are closed before returning). */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<ReturnType<typeof createServer>>((resolve) => {
          const server = createServer();
          server.listen(0, '127.0.0.1', () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((server) => (server.address() as { port: number }).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

export interface AllInOne {
  child: ChildProcess;
  gatewayUrl: string;
  output(): string;
  /**
   * Resolves once `done(output)` holds, checked at each chunk the child writes; rejects naming
   * `what` after `timeoutMs`.
   */
  whenOutput(done: (output: string) => boolean, what: string, timeoutMs?: number): Promise<void>;
}

/**
 * Starts `npm start`'s entry point (or `command`, e.g. `npm start` itself) as a real child process
 * and waits until the gateway is ready.
 */
export async function startAllInOne(
  env: Record<string, string>,
  timeoutMs = 30_000,
  command: [string, ...string[]] = [process.execPath, 'scripts/start.ts'],
): Promise<AllInOne> {
  const [gateway, directory, cases, reputation, accounts] = await freePorts(5);
  const child = spawn(command[0], command.slice(1), {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      GATEWAY_PORT: String(gateway),
      DIRECTORY_PORT: String(directory),
      CASES_PORT: String(cases),
      REPUTATION_PORT: String(reputation),
      ACCOUNTS_PORT: String(accounts),
      SCHEDULER_ENABLED: 'false',
      CRAWL_ENABLED: 'false',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const whenOutput = (done: (text: string) => boolean, what: string, waitMs = 10_000) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (!done(output)) return;
        clearTimeout(guard);
        child.stdout!.off('data', check);
        child.stderr!.off('data', check);
        resolve();
      };
      const guard = setTimeout(() => {
        child.stdout!.off('data', check);
        child.stderr!.off('data', check);
        reject(new Error(`no ${what} in the output within ${waitMs} ms:\n${output}`));
      }, waitMs);
      child.stdout!.on('data', check);
      child.stderr!.on('data', check);
      check();
    });
  const gatewayUrl = `http://127.0.0.1:${gateway}/graphql`;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`start exited with ${child.exitCode}:\n${output}`);
    try {
      const response = await request(`http://127.0.0.1:${gateway}/readyz`);
      await response.body.dump();
      if (response.statusCode === 200) return { child, gatewayUrl, output: () => output, whenOutput };
    } catch {
      // not listening yet
    }
    // Readiness of another process has no event to await here: poll /readyz as an orchestrator does.
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`the graph was not ready within ${timeoutMs} ms:\n${output}`);
}

export function waitForExit(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null)
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}
