/**
 * Several gateway processes on one port (`node:cluster`: the primary accepts and hands each
 * connection to a worker), so that a multi-core machine runs as many planners and executors as it
 * has cores to spare. `GATEWAY_WORKERS` sets how many; by default, the cores less one (the
 * subgraphs, the OS and the primary need the rest), so a 2-core machine keeps one process.
 */
import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';

export function defaultGatewayWorkers(cores = availableParallelism()): number {
  return Math.max(1, cores - 1);
}

/**
 * In the primary: forks `count` workers, replaces a worker that dies after it was listening, and on
 * SIGINT/SIGTERM passes SIGTERM to each worker (which drains as a single process would) and exits
 * once all have. A worker that fails before listening (a bad configuration, a busy port) stops
 * them all with its exit code, instead of being restarted in a loop.
 */
export function runGatewayWorkers(count: number): void {
  let stopping = false;
  let exitCode = 0;
  const listening = new WeakSet<object>();
  const remaining = () => Object.values(cluster.workers ?? {}).filter(Boolean).length;
  const stopAll = (code: number) => {
    if (stopping) return;
    stopping = true;
    exitCode = code;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
    if (remaining() === 0) process.exit(exitCode);
  };
  cluster.on('listening', (worker) => listening.add(worker));
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (remaining() === 0) process.exit(exitCode);
      return;
    }
    if (!listening.has(worker)) {
      console.error(`gateway worker ${worker.process.pid} failed to start (${code ?? signal}); stopping`);
      stopAll(code || 1);
      return;
    }
    console.error(`gateway worker ${worker.process.pid} exited (${code ?? signal}); starting another`);
    cluster.fork();
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => stopAll(0));
  for (let i = 0; i < count; i++) cluster.fork();
}
