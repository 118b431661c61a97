/**
 * The load generator: undici in this process, a bounded number of requests in flight, bounded in
 * time, to loopback only. Closed loop (each worker sends its next request when the last one
 * answered) for the peak; open loop at a fixed rate for the latency at a given load, timed from
 * when each request was due so that a stalled server cannot hide its queue (coordinated omission).
 */
import { Pool } from 'undici';

/** Sends one unit of work (a GraphQL request, or the bound's fetches in plan order); false on failure. */
export type Exchange = (pool: Pool, index: number) => Promise<boolean>;

export interface LoadResult {
  requests: number;
  failures: number;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
  /** CPU ms per answered request of the probed processes (`cpuProbe`), over the measured part only. */
  cpuMsPerRequest?: number;
  /** The same figures per kind of request (`kindOf`), so a tail can be traced to an operation. */
  byKind?: Record<string, { requests: number; p50: number; p99: number }>;
  /** Requests sent in the warm-up before the measured part (for per-request figures of a CPU profile). */
  warmupRequests?: number;
}

function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

function summarise(latencies: number[], failures: number, seconds: number): LoadResult {
  const sorted = Float64Array.from(latencies).sort();
  const round = (value: number) => Math.round(value * 100) / 100;
  return {
    requests: latencies.length,
    failures,
    seconds: round(seconds),
    rps: Math.round(latencies.length / seconds),
    p50: round(percentile(sorted, 0.5)),
    p99: round(percentile(sorted, 0.99)),
  };
}

export function poolFor(origin: string, connections: number): Pool {
  if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(origin)) throw new Error(`load goes to loopback only, got ${origin}`);
  return new Pool(origin, { connections, pipelining: 1 });
}

/** `concurrency` workers for `seconds` (and at most `maxRequests`), after `warmupSeconds` not counted. */
export async function closedLoop(
  pool: Pool,
  exchange: Exchange,
  options: {
    concurrency: number;
    seconds: number;
    warmupSeconds: number;
    maxRequests: number;
    cpuProbe?: () => number;
  },
): Promise<LoadResult> {
  let next = 0;
  const run = async (until: number, record: (ms: number, ok: boolean) => void) => {
    const worker = async () => {
      while (performance.now() < until && next < options.maxRequests) {
        const started = performance.now();
        const ok = await exchange(pool, next++).catch(() => false);
        record(performance.now() - started, ok);
      }
    };
    await Promise.all(Array.from({ length: options.concurrency }, worker));
  };
  let warmupRequests = 0;
  await run(performance.now() + options.warmupSeconds * 1000, () => warmupRequests++);
  const latencies: number[] = [];
  let failures = 0;
  const started = performance.now();
  const cpuBefore = options.cpuProbe?.();
  next = 0;
  await run(started + options.seconds * 1000, (ms, ok) => (ok ? latencies.push(ms) : failures++));
  const result = { ...summarise(latencies, failures, (performance.now() - started) / 1000), warmupRequests };
  if (cpuBefore === undefined || !options.cpuProbe || latencies.length === 0) return result;
  const cpuMs = options.cpuProbe() - cpuBefore;
  return { ...result, cpuMsPerRequest: Math.round((cpuMs / latencies.length) * 100) / 100 };
}

/**
 * `rate` requests a second for `seconds`, at most `maxInFlight` outstanding (beyond that, counted as
 * failures); with `kindOf`, the latencies are also summarised per kind of request.
 */
export async function openLoop(
  pool: Pool,
  exchange: Exchange,
  options: { rate: number; seconds: number; maxInFlight: number; kindOf?: (index: number) => string },
): Promise<LoadResult> {
  const latencies: number[] = [];
  const kinds = new Map<string, number[]>();
  let failures = 0;
  let inFlight = 0;
  const pending = new Set<Promise<void>>();
  const started = performance.now();
  const total = Math.floor(options.rate * options.seconds);
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / options.rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    if (inFlight >= options.maxInFlight) {
      failures++;
      continue;
    }
    inFlight++;
    const sent: Promise<void> = exchange(pool, i)
      .catch(() => false)
      .then((ok) => {
        inFlight--;
        pending.delete(sent);
        if (!ok) {
          failures++;
          return;
        }
        const ms = performance.now() - due;
        latencies.push(ms);
        const kind = options.kindOf?.(i);
        if (kind === undefined) return;
        const ofKind = kinds.get(kind) ?? [];
        ofKind.push(ms);
        kinds.set(kind, ofKind);
      });
    pending.add(sent);
  }
  await Promise.all(pending);
  const seconds = (performance.now() - started) / 1000;
  const result = summarise(latencies, failures, seconds);
  if (kinds.size === 0) return result;
  const byKind = Object.fromEntries(
    [...kinds].map(([kind, ms]) => {
      const { requests, p50, p99 } = summarise(ms, 0, seconds);
      return [kind, { requests, p50, p99 }];
    }),
  );
  return { ...result, byKind };
}
