import { Cron } from 'croner';
import type { Logger } from 'pino';
import type { LeaseStore } from './store/leases.ts';

/**
 * When a job ticks: every `everyMs` after the previous tick ended, or at the times of a cron
 * pattern read in `timezone` (croner computes them, daylight-saving and month lengths included).
 */
export type JobSchedule = { everyMs: number } | { cron: string; timezone: string };

/** The lease a job must hold to tick: one instance at a time among those sharing the store. */
export interface JobLease {
  store: LeaseStore;
  name: string;
  /** Unique per process. */
  holder: string;
  /** How long leadership outlives a silent holder; re-taken (extended) at each tick. */
  ttlMs: number;
}

export interface PeriodicJobOptions<T> {
  /** Names the job in the log. */
  name: string;
  schedule: JobSchedule;
  /** One tick. A throw is logged and the next tick runs as scheduled. */
  run: () => Promise<T>;
  logger: Logger;
  /** When set, a tick runs only while this instance holds the lease; it is released on stop. */
  lease?: JobLease;
  /** Tick as soon as started instead of waiting for the first scheduled time. */
  runAtStart?: boolean;
  /** True when the next tick should follow at once (e.g. a round came back full: a backlog). */
  runAgainAfter?: (result: T) => boolean;
  /**
   * The clock of the lease's timestamps (a subgraph's pinned clock in tests). The timers follow
   * the system clock, which fake timers move, so a pinned clock cannot stop a job from ticking.
   */
  now?: () => Date;
}

/** What one tick did: ran (with its result), or skipped because another instance holds the lease. */
export type TickOutcome<T> = { ran: true; value: T } | { ran: false };

export interface PeriodicJob<T> {
  /** One tick now (tests, an operator's "run now"), queued behind a running one; rejects if it throws. */
  runNow(): Promise<TickOutcome<T>>;
  /** Stops scheduling, waits for the running tick, then hands the lease back. */
  stop(): Promise<void>;
}

/**
 * A timer longer than 2^31 - 1 ms fires at once in Node; a month-end wait is longer, so a job
 * waits at most this long and then looks at the clock again.
 */
export const LONGEST_WAIT_MS = 3_600_000;

/** The time after `from` at which `schedule` next ticks, or null when a cron pattern never matches again. */
export function nextTickAfter(schedule: JobSchedule, from: Date): Date | null {
  if ('everyMs' in schedule) return new Date(from.getTime() + schedule.everyMs);
  return new Cron(schedule.cron, { timezone: schedule.timezone, paused: true }).nextRun(from);
}

/**
 * The one runner of the project's periodic jobs (the cases overdue sweep, the outbox dispatcher,
 * the crawl scheduler, the rollups' day roll, the month-end snapshots). It guarantees that
 * ticks never overlap (the timer's and `runNow`'s share one queue), that a failing tick (or a
 * failing lease call) is logged and never escapes as an unhandled rejection, which would end
 * the process and, under `npm start`, every part with it, and that `stop` waits for the
 * running tick.
 */
export function startPeriodicJob<T>(options: PeriodicJobOptions<T>): PeriodicJob<T> {
  const now = options.now ?? (() => new Date());
  const { lease, logger, name } = options;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let dueAt = 0;
  let queue: Promise<unknown> = Promise.resolve();

  const tickOnce = async (): Promise<TickOutcome<T>> => {
    if (lease && !(await lease.store.tryAcquire(lease.name, lease.holder, lease.ttlMs, now()))) return { ran: false };
    return { ran: true, value: await options.run() };
  };

  const enqueue = (): Promise<TickOutcome<T>> => {
    const tick = queue.then(tickOnce);
    queue = tick.catch(() => undefined);
    return tick;
  };

  const arm = (at: number | null) => {
    if (stopped) return;
    if (at === null) {
      logger.warn({ job: name }, 'periodic job has no further scheduled time; it will not tick again');
      return;
    }
    dueAt = at;
    timer = setTimeout(onTimer, Math.min(Math.max(0, at - Date.now()), LONGEST_WAIT_MS));
    timer.unref();
  };

  const scheduledAfter = (from: Date) => nextTickAfter(options.schedule, from)?.getTime() ?? null;

  async function onTimer() {
    if (stopped) return;
    if (Date.now() < dueAt) return arm(dueAt);
    let next: number | null;
    try {
      const outcome = await enqueue();
      next = outcome.ran && options.runAgainAfter?.(outcome.value) ? Date.now() : scheduledAfter(new Date());
    } catch (error) {
      logger.error({ job: name, err: error }, 'periodic job tick failed; the next tick runs as scheduled');
      next = scheduledAfter(new Date());
    }
    arm(next);
  }

  arm(options.runAtStart ? Date.now() : scheduledAfter(new Date()));

  return {
    runNow: enqueue,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await queue;
      if (lease) {
        await lease.store
          .release(lease.name, lease.holder)
          .catch((error: unknown) => logger.warn({ job: name, err: error }, 'could not release the job lease'));
      }
    },
  };
}
