import { jest } from '@jest/globals';
import { pino } from 'pino';
import { nextTickAfter, startPeriodicJob, type PeriodicJob } from '../../platform/jobs.ts';
import type { LeaseStore } from '../../platform/store/leases.ts';

/** A logger whose error lines the test reads back. */
function recordingLogger() {
  const lines: Array<{ level: number; msg: string; job?: string; err?: { message: string } }> = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { logger, errors: () => lines.filter((line) => line.level >= 50) };
}

/** A lease store in memory whose tryAcquire can be made to throw. */
function memoryLeases(failures: { acquire: number }) {
  const held = new Map<string, { holder: string; until: number }>();
  const released: string[] = [];
  const store: LeaseStore = {
    async tryAcquire(name, holder, ttlMs, now) {
      if (failures.acquire > 0) {
        failures.acquire--;
        throw new Error('lease store unreachable');
      }
      const lease = held.get(name);
      if (lease && lease.holder !== holder && lease.until > now.getTime()) return false;
      held.set(name, { holder, until: now.getTime() + ttlMs });
      return true;
    },
    async renew() {
      return true;
    },
    async release(name, holder) {
      if (held.get(name)?.holder === holder) held.delete(name);
      released.push(`${name}:${holder}`);
    },
  };
  return { store, released };
}

const jobs: PeriodicJob<unknown>[] = [];
beforeEach(() => {
  jest.useFakeTimers({ now: Date.UTC(2026, 0, 15, 4) });
});
afterEach(async () => {
  await Promise.all(jobs.splice(0).map((job) => job.stop()));
  jest.useRealTimers();
});

function start<T>(options: Parameters<typeof startPeriodicJob<T>>[0]): PeriodicJob<T> {
  const job = startPeriodicJob(options);
  jobs.push(job as PeriodicJob<unknown>);
  return job;
}

test('a tick that throws is logged and the next tick still runs', async () => {
  const { logger, errors } = recordingLogger();
  let ticks = 0;
  start({
    name: 'flaky',
    schedule: { everyMs: 1000 },
    logger,
    run: async () => {
      ticks++;
      if (ticks === 1) throw new Error('store unavailable');
      return ticks;
    },
  });
  await jest.advanceTimersByTimeAsync(1000);
  expect(ticks).toBe(1);
  expect(errors()).toMatchObject([{ job: 'flaky', err: { message: 'store unavailable' } }]);
  await jest.advanceTimersByTimeAsync(2000);
  expect(ticks).toBe(3);
  expect(errors()).toHaveLength(1);
});

test('a lease call that throws is logged, and the job ticks again once the store answers', async () => {
  const { logger, errors } = recordingLogger();
  const failures = { acquire: 2 };
  const { store } = memoryLeases(failures);
  let ticks = 0;
  start({
    name: 'leased',
    schedule: { everyMs: 1000 },
    lease: { store, name: 'leased-job', holder: 'a', ttlMs: 5000 },
    logger,
    run: async () => ++ticks,
  });
  await jest.advanceTimersByTimeAsync(3000);
  expect(errors().map((line) => line.err?.message)).toEqual(['lease store unreachable', 'lease store unreachable']);
  expect(ticks).toBe(1);
});

test('a job whose lease another instance holds skips its tick', async () => {
  const { store } = memoryLeases({ acquire: 0 });
  await store.tryAcquire('shared', 'other', 60_000, new Date());
  let ticks = 0;
  const job = start({
    name: 'follower',
    schedule: { everyMs: 1000 },
    lease: { store, name: 'shared', holder: 'me', ttlMs: 60_000 },
    logger: pino({ level: 'silent' }),
    run: async () => ++ticks,
  });
  expect(await job.runNow()).toEqual({ ran: false });
  await jest.advanceTimersByTimeAsync(5000);
  expect(ticks).toBe(0);
});

test('ticks never overlap: a slow tick delays the next, and runNow queues behind it', async () => {
  let running = 0;
  let most = 0;
  let ticks = 0;
  const job = start({
    name: 'slow',
    schedule: { everyMs: 100 },
    logger: pino({ level: 'silent' }),
    run: async () => {
      running++;
      most = Math.max(most, running);
      ticks++;
      await new Promise((resolve) => setTimeout(resolve, 250));
      running--;
    },
  });
  await jest.advanceTimersByTimeAsync(100);
  const manual = job.runNow();
  await jest.advanceTimersByTimeAsync(2000);
  await manual;
  expect(most).toBe(1);
  // 100 ms wait, then 250 ms per tick plus 100 ms between ticks: never two at once.
  expect(ticks).toBeGreaterThanOrEqual(5);
  const stopping = job.stop();
  await jest.advanceTimersByTimeAsync(250);
  await stopping;
});

test('stop waits for the running tick, then releases the lease, and nothing ticks after', async () => {
  const { store, released } = memoryLeases({ acquire: 0 });
  let finish!: () => void;
  let ticks = 0;
  let finished = false;
  const job = start({
    name: 'long',
    schedule: { everyMs: 1000 },
    lease: { store, name: 'long-job', holder: 'a', ttlMs: 60_000 },
    logger: pino({ level: 'silent' }),
    run: async () => {
      ticks++;
      await new Promise<void>((resolve) => (finish = resolve));
      finished = true;
    },
  });
  await jest.advanceTimersByTimeAsync(1000);
  expect(ticks).toBe(1);
  let stopped = false;
  const stopping = job.stop().then(() => (stopped = true));
  await jest.advanceTimersByTimeAsync(10);
  expect(stopped).toBe(false);
  expect(released).toEqual([]);
  finish();
  await stopping;
  expect(finished).toBe(true);
  expect(released).toEqual(['long-job:a']);
  await jest.advanceTimersByTimeAsync(10_000);
  expect(ticks).toBe(1);
});

test('runAgainAfter runs the next tick at once while it says so (a backlog drains)', async () => {
  const rounds: number[] = [];
  start({
    name: 'backlog',
    schedule: { everyMs: 60_000 },
    runAtStart: true,
    runAgainAfter: (claimed: number) => claimed === 10,
    logger: pino({ level: 'silent' }),
    run: async () => {
      const claimed = rounds.length < 3 ? 10 : 4;
      rounds.push(claimed);
      return claimed;
    },
  });
  // Timers of 0 ms take 1 ms under fake timers; far less than the minute of the schedule.
  await jest.advanceTimersByTimeAsync(10);
  expect(rounds).toEqual([10, 10, 10, 4]);
});

test('a cron job ticks at CST midnight (16:00 UTC), and a month-long wait is taken in steps', async () => {
  const times: string[] = [];
  start({
    name: 'midnight',
    schedule: { cron: '5 0 0 1 * *', timezone: 'Asia/Shanghai' },
    logger: pino({ level: 'silent' }),
    run: async () => void times.push(new Date().toISOString()),
  });
  // 2026-01-15T04:00Z to 2026-02-28: a wait past 2^31 ms, which a single timer would fire at once.
  await jest.advanceTimersByTimeAsync(44 * 86_400_000);
  expect(times).toEqual(['2026-01-31T16:00:05.000Z']);
});

test('nextTickAfter reads cron patterns in the given timezone', () => {
  const cst = { cron: '0 10 * 1-3 * *', timezone: 'Asia/Shanghai' };
  expect(nextTickAfter(cst, new Date('2026-01-31T12:00:00Z'))?.toISOString()).toBe('2026-01-31T16:10:00.000Z');
  expect(nextTickAfter({ everyMs: 500 }, new Date(0))?.getTime()).toBe(500);
});
