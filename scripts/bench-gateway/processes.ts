/** Starting and stopping the benchmark's processes: each subgraph and each gateway on its own, on loopback. */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

export interface Child {
  name: string;
  process: ChildProcess;
  /** CPU time (user and system) the process has used so far, in ms; NaN where /proc cannot tell. */
  cpuMs(): number;
  stop(): Promise<void>;
}

/**
 * A process's CPU time from /proc/<pid>/stat (utime and stime, in clock ticks of 10 ms). On a
 * machine other engineers load, CPU per request moves far less than requests per second do.
 */
function cpuMsOf(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

/**
 * Runs `node <args>` with `env`; its output is dropped unless BENCH_VERBOSE is set, or written to
 * `stdoutFile` (where `--trace-gc` puts its lines), but its exit is reported.
 */
export function startNode(name: string, args: string[], env: NodeJS.ProcessEnv, stdoutFile?: string): Child {
  const verbose = Boolean(process.env.BENCH_VERBOSE);
  const stdout = stdoutFile ? openSync(stdoutFile, 'w') : verbose ? 'inherit' : 'ignore';
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', stdout, 'inherit', 'ipc'] });
  if (typeof stdout === 'number') closeSync(stdout);
  let stopped = false;
  child.on('exit', (code, signal) => {
    if (!stopped) console.error(`${name} exited early (${code ?? signal})`);
  });
  return {
    name,
    process: child,
    cpuMs: () => cpuMsOf(child.pid),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      stopped = true;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Polls `url` with `{ __typename }` until it answers 200, for at most `timeoutMs`. */
export async function waitForGraphQL(url: string, child: Child, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.process.exitCode !== null) throw new Error(`${child.name} exited with ${child.process.exitCode}`);
    try {
      const response = await request(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      await response.body.dump();
      if (response.statusCode === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  throw new Error(`${child.name} did not answer at ${url} within ${timeoutMs} ms`);
}
