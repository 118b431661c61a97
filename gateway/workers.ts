/**
 * Several gateway processes on one port (`node:cluster`: the primary accepts and hands each
 * connection to a worker), so that a multi-core machine runs as many planners and executors as it
 * has cores to spare. `GATEWAY_WORKERS` sets how many; by default, the cores less one (the
 * subgraphs, the OS and the primary need the rest), so a 2-core machine keeps one process.
 */
import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import {
  type RateLimiterAbstract,
  RateLimiterCluster,
  RateLimiterClusterMaster,
  RateLimiterMemory,
} from 'rate-limiter-flexible';

export function defaultGatewayWorkers(cores = availableParallelism()): number {
  return Math.max(1, cores - 1);
}

/**
 * A limiter of the per-client rate limit (plugins/client-rate-limit.ts) whose counts every worker
 * shares: in a worker, rate-limiter-flexible's cluster limiter, which asks the primary's counts over
 * the cluster's IPC channel (the primary holds them from `runGatewayWorkers` on); in a single
 * process, its own memory. Without this, each of N workers would count apart and a client whose
 * connections the primary spreads over them would get N times its limit.
 */
export function sharedClientLimiter(options: { keyPrefix: string; points: number; duration: number }) {
  const limiter: RateLimiterAbstract = cluster.isWorker
    ? new RateLimiterCluster({ ...options, timeoutMs: 1_000 })
    : new RateLimiterMemory(options);
  return limiter;
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
  // The counts of the per-client rate limit, which the workers' limiters ask (sharedClientLimiter).
  new RateLimiterClusterMaster();
  for (let i = 0; i < count; i++) cluster.fork();
}
