import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { jest } from '@jest/globals';
import { pino } from 'pino';
import { createSqliteLeaseStore, type LeaseStore } from '../../../platform/store/leases.ts';
import { openSqlite } from '../../../platform/store/sqlite.ts';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../../platform/config.ts';
import { closeServer } from '../../../platform/server/subgraph-server.ts';
import {
  startCasesBackgroundJobs,
  startCasesScheduler,
  type RunningCasesScheduler,
} from '../../../subgraphs/cases/scheduler.ts';
import { insertOutboxRows, outboxRow, prepareOutboxDb, storedOutboxRow } from './outbox-fixtures.ts';
import { enterpriseResolver } from '../../../platform/enterprise/aliases.ts';
import { flagOverdueCases, submitCase, type CaseCommandDeps } from '../../../subgraphs/cases/commands.ts';
import { SqliteCaseRepository } from '../../../subgraphs/cases/store/case-repository-sqlite.ts';
import { createSqliteOutboxDispatchStore } from '../../../subgraphs/cases/store/outbox-dispatch-sqlite.ts';
import { createOutboxDispatcher } from '../../../subgraphs/cases/notify/dispatcher.ts';
import { createSmtpTransport } from '../../../subgraphs/cases/notify/smtp.ts';
import { complainant, filing, policy } from './fixtures.ts';
import { mailHeaders, startSmtpSink } from './notify/receivers.ts';

const logger = pino({ level: 'silent' });
const T0 = new Date('2026-10-12T01:00:00.000Z');
const HOUR = 3600_000;

let dir: string;
let connections: DatabaseSync[] = [];
let schedulers: RunningCasesScheduler[] = [];
let clock: Date;
let counter = 0;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'weiquan-scheduler-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeEach(() => {
  clock = T0;
  counter++;
});
afterEach(async () => {
  await Promise.all(schedulers.map((s) => s.stop()));
  schedulers = [];
  for (const db of connections) db.close();
  connections = [];
});

/** One "instance": its own connection to the shared store, its own scheduler. */
function instance(
  name: string,
  sweeps: string[],
  sweep?: (now: Date) => Promise<number>,
  intervalMs = HOUR,
): RunningCasesScheduler {
  const db = openSqlite(join(dir, `leases-${counter}.db`));
  connections.push(db);
  const leases: LeaseStore = createSqliteLeaseStore(db);
  const scheduler = startCasesScheduler({
    leases,
    holder: name,
    intervalMs,
    leaseTtlMs: 10 * 60_000,
    logger,
    now: () => clock,
    sweep:
      sweep ??
      (async () => {
        sweeps.push(name);
        return 1;
      }),
  });
  schedulers.push(scheduler);
  return scheduler;
}

test('of two instances ticking together, only one sweeps', async () => {
  const sweeps: string[] = [];
  const a = instance('a', sweeps);
  const b = instance('b', sweeps);
  const ticks = await Promise.all([a.tick(), b.tick()]);
  expect(ticks.filter((t) => t.leader)).toHaveLength(1);
  expect(sweeps).toHaveLength(1);
});

test('the leader keeps sweeping at each tick while the other keeps skipping', async () => {
  const sweeps: string[] = [];
  const a = instance('a', sweeps);
  const b = instance('b', sweeps);
  for (let i = 0; i < 5; i++) {
    clock = new Date(T0.getTime() + i * 60_000);
    await a.tick();
    await b.tick();
  }
  expect(sweeps).toEqual(['a', 'a', 'a', 'a', 'a']);
});

test('when the leader stops, the other instance takes over at its next tick', async () => {
  const sweeps: string[] = [];
  const a = instance('a', sweeps);
  const b = instance('b', sweeps);
  await a.tick();
  await a.stop();
  expect(await b.tick()).toEqual({ leader: true, flagged: 1 });
  expect(sweeps).toEqual(['a', 'b']);
});

test('when the leader dies silently, the other takes over only after the lease runs out', async () => {
  const sweeps: string[] = [];
  const a = instance('a', sweeps);
  const b = instance('b', sweeps);
  await a.tick();
  // "a" stops ticking without releasing (killed).
  clock = new Date(T0.getTime() + 10 * 60_000 - 1);
  expect((await b.tick()).leader).toBe(false);
  clock = new Date(T0.getTime() + 10 * 60_000);
  expect((await b.tick()).leader).toBe(true);
  expect(sweeps).toEqual(['a', 'b']);
});

test('a failing sweep is reported and the scheduler keeps its lease for the next tick', async () => {
  let calls = 0;
  const a = instance('a', [], async () => {
    calls++;
    if (calls === 1) throw new Error('store unavailable');
    return 2;
  });
  await expect(a.tick()).rejects.toThrow('store unavailable');
  expect(await a.tick()).toEqual({ leader: true, flagged: 2 });
});

test('the timer sweeps by itself every interval until stopped', async () => {
  jest.useFakeTimers();
  try {
    const sweeps: string[] = [];
    const a = instance('a', sweeps, undefined, 15);
    await jest.advanceTimersByTimeAsync(14);
    expect(sweeps).toHaveLength(0);
    await jest.advanceTimersByTimeAsync(1 + 2 * 15);
    expect(sweeps).toEqual(['a', 'a', 'a']);
    await a.stop();
    await jest.advanceTimersByTimeAsync(10 * 15);
    expect(sweeps).toHaveLength(3);
  } finally {
    jest.useRealTimers();
  }
});

describe('startCasesBackgroundJobs', () => {
  test('does nothing when SCHEDULER_ENABLED is false', async () => {
    jest.useFakeTimers();
    try {
      let sweeps = 0;
      const db = openSqlite(join(dir, `jobs-off-${counter}.db`));
      connections.push(db);
      const jobs = await startCasesBackgroundJobs({
        config: loadConfig({ SCHEDULER_ENABLED: 'false', SCHEDULER_INTERVAL_MS: '5' }),
        logger,
        store: { kind: 'sqlite', db },
        sweep: async () => ++sweeps,
      });
      // Nothing is scheduled at all, so no amount of waiting could bring a sweep.
      expect(jest.getTimerCount()).toBe(0);
      await jest.advanceTimersByTimeAsync(1000);
      await jobs.stop();
      expect(sweeps).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });

  test('sweeps on its interval and delivers pending notifications until stopped', async () => {
    const received: string[] = [];
    let delivered: () => void = () => undefined;
    const firstDelivery = new Promise<void>((resolve) => {
      delivered = resolve;
    });
    const receiver = createServer((req, res) => {
      received.push(String(req.headers['x-weiquan-delivery']));
      req.resume();
      req.on('end', () => {
        res.writeHead(204).end();
        delivered();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const db = openSqlite(join(dir, `jobs-on-${counter}.db`));
    connections.push(db);
    prepareOutboxDb(db);
    const row = outboxRow('webhook', `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`, new Date());
    insertOutboxRows(db, [row]);
    let sweeps = 0;
    let sweptTwice: () => void = () => undefined;
    const twoSweeps = new Promise<void>((resolve) => {
      sweptTwice = resolve;
    });
    const jobs = await startCasesBackgroundJobs({
      config: loadConfig({ SCHEDULER_ENABLED: 'true', SCHEDULER_INTERVAL_MS: '10' }),
      logger,
      store: { kind: 'sqlite', db },
      sweep: async () => {
        if (++sweeps === 2) sweptTwice();
        return 0;
      },
    });
    // Real timers and a real HTTP receiver: the test waits for the events themselves (jest's
    // timeout bounds it), and stop() waits for the delivery round in progress to be recorded.
    await Promise.all([firstDelivery, twoSweeps]);
    await jobs.stop();
    await closeServer(receiver, 100);
    expect(sweeps).toBeGreaterThanOrEqual(2);
    expect(received).toEqual([row.id]);
    expect(storedOutboxRow(db, row.id).delivered_at).not.toBeNull();
  });
});

describe('the overdue scheduler over the real case store', () => {
  test('two instances flag each overdue case once, and the desk’s reminders arrive by e-mail', async () => {
    const file = join(dir, `overdue-${counter}.db`);
    const recipients = { staffEmail: 'desk@weiquan.test', staffWebhook: null, enterpriseWebhook: () => null };
    /** An instance: its own connection, case repository, lease store and scheduler. */
    const startInstance = (name: string) => {
      const db = openSqlite(file);
      connections.push(db);
      const deps: CaseCommandDeps = {
        repo: new SqliteCaseRepository(db),
        policy,
        recipients,
        resolver: enterpriseResolver(),
        evidence: null,
      };
      const scheduler = startCasesScheduler({
        leases: createSqliteLeaseStore(db),
        holder: name,
        intervalMs: HOUR,
        logger,
        now: () => clock,
        sweep: (at) => flagOverdueCases(deps, at),
      });
      schedulers.push(scheduler);
      return { db, deps, scheduler };
    };
    const a = startInstance('a');
    const b = startInstance('b');
    const filedOn = new Date('2026-11-02T02:00:00Z');
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await submitCase(a.deps, complainant, filing(), filedOn)).id);

    clock = new Date('2026-11-20T02:00:00Z');
    const ticks = await Promise.all([a.scheduler.tick(), b.scheduler.tick()]);
    expect(ticks.map((t) => t.flagged).sort()).toEqual([0, 3]);
    expect((await Promise.all([a.scheduler.tick(), b.scheduler.tick()])).map((t) => t.flagged)).toEqual([0, 0]);
    const timelines = await a.deps.repo.timelines(ids);
    for (const id of ids) expect(timelines.get(id)!.filter((e) => e.type === 'OVERDUE_FLAGGED')).toHaveLength(1);

    const smtp = await startSmtpSink();
    try {
      const transport = createSmtpTransport({ url: smtp.url, from: 'Weiquan <noreply@weiquan.test>', timeoutMs: 2000 });
      const report = await createOutboxDispatcher({
        store: createSqliteOutboxDispatchStore(b.db),
        transports: [transport],
        logger,
        now: () => clock,
        batchSize: 50,
      }).runOnce();
      await transport.close?.();
      expect(report.failed).toBe(0);
      const reminders = smtp.mails.filter((mail) => mailHeaders(mail.raw).subject.includes('案件已超期'));
      expect(reminders).toHaveLength(3);
      for (const mail of reminders) expect(mail.to).toEqual(['desk@weiquan.test']);
    } finally {
      await smtp.stop();
    }
  });
});
