import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { DatabaseSync } from 'node:sqlite';
import type { Db } from 'mongodb';
import type { Logger } from 'pino';
import type { Config } from '../../platform/config.ts';
import { startPeriodicJob } from '../../platform/jobs.ts';
import { ensureIndexes } from '../../platform/store/mongo.ts';
import {
  createMongoLeaseStore,
  createSqliteLeaseStore,
  leaseIndexes,
  type LeaseStore,
} from '../../platform/store/leases.ts';
import { startOutboxDispatcher, transportsFromConfig } from './notify/dispatcher.ts';
import { createMongoOutboxDispatchStore, outboxDispatchIndexes } from './store/outbox-dispatch-mongo.ts';
import type { OutboxDispatchStore } from './store/outbox-dispatch.ts';
import { createSqliteOutboxDispatchStore } from './store/outbox-dispatch-sqlite.ts';

/** The lease every cases instance competes for; the holder is the one that sweeps. */
export const CASES_SCHEDULER_LEASE = 'cases-scheduler';

export interface CasesSchedulerOptions {
  leases: LeaseStore;
  /**
   * One sweep: flags the cases past their deadline and enqueues their reminders (commands.ts
   * `flagOverdueCases(deps, now)`), returning how many it flagged. It must be idempotent: a
   * leader that lost its lease mid-sweep may overlap with the next one for a moment.
   */
  sweep(now: Date): Promise<number>;
  intervalMs: number;
  logger: Logger;
  now?: () => Date;
  /** Unique per process; defaults to host, pid and a random suffix. */
  holder?: string;
  /** How long leadership outlives a silent leader; default twice the interval (at least 30 s). */
  leaseTtlMs?: number;
}

export interface SchedulerTick {
  /** Whether this instance held the lease and swept. */
  leader: boolean;
  flagged: number;
}

export interface RunningCasesScheduler {
  holder: string;
  /** One tick now (tests, and an operator's "run now"); serialised with the timer's ticks. */
  tick(): Promise<SchedulerTick>;
  /** Stops ticking, waits for a sweep in progress and hands the lease back at once. */
  stop(): Promise<void>;
}

export function defaultHolderId(): string {
  return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

/**
 * Runs the overdue sweep every `intervalMs` on exactly one of the running cases instances.
 * Leadership is a lease in the store: the leader re-takes (extends) it at each tick, the others
 * find it held and skip. If the leader dies, its lease runs out after `leaseTtlMs` and the next
 * instance to tick takes over, so sweeps pause for at most one TTL and never run twice at once
 * while the leader is alive.
 */
export function startCasesScheduler(options: CasesSchedulerOptions): RunningCasesScheduler {
  const now = options.now ?? (() => new Date());
  const holder = options.holder ?? defaultHolderId();
  const { logger } = options;
  const job = startPeriodicJob({
    name: 'cases-overdue-sweep',
    schedule: { everyMs: options.intervalMs },
    lease: {
      store: options.leases,
      name: CASES_SCHEDULER_LEASE,
      holder,
      ttlMs: options.leaseTtlMs ?? Math.max(2 * options.intervalMs, 30_000),
    },
    logger,
    now,
    run: async () => {
      const flagged = await options.sweep(now());
      if (flagged > 0) logger.info({ flagged, holder }, 'overdue cases flagged');
      return flagged;
    },
  });
  return {
    holder,
    tick: async () => {
      const outcome = await job.runNow();
      return outcome.ran ? { leader: true, flagged: outcome.value } : { leader: false, flagged: 0 };
    },
    stop: () => job.stop(),
  };
}

/** How often the outbox is polled: notifications should leave within seconds of the change. */
export const OUTBOX_POLL_INTERVAL_MS = 2000;

/** Where the background jobs keep their leases, claims and delivery log: the cases store. */
export type CasesJobStore = { kind: 'sqlite'; db: DatabaseSync } | { kind: 'mongodb'; db: Db };

/**
 * Starts what the cases subgraph runs in the background, when SCHEDULER_ENABLED: the overdue
 * scheduler (one instance at a time, by lease) and the outbox dispatcher (webhooks always,
 * e-mail when SMTP_URL is set). `stop()` ends both; call it from the subgraph's `close()`
 * before closing the store.
 */
export async function startCasesBackgroundJobs(deps: {
  config: Config;
  logger: Logger;
  store: CasesJobStore;
  /** The overdue sweep of commands.ts, e.g. `(now) => flagOverdueCases(commandDeps, now)`. */
  sweep(now: Date): Promise<number>;
  /** The subgraph's clock (pinned in tests), so outbox due times and deadlines agree with it. */
  now?: () => Date;
}): Promise<{ stop(): Promise<void> }> {
  const { config, logger, store } = deps;
  if (!config.SCHEDULER_ENABLED) return { stop: async () => undefined };
  let leases: LeaseStore;
  let outbox: OutboxDispatchStore;
  if (store.kind === 'sqlite') {
    leases = createSqliteLeaseStore(store.db);
    outbox = createSqliteOutboxDispatchStore(store.db);
  } else {
    await ensureIndexes(store.db, { ...leaseIndexes, ...outboxDispatchIndexes });
    leases = createMongoLeaseStore(store.db);
    outbox = createMongoOutboxDispatchStore(store.db);
  }
  const scheduler = startCasesScheduler({
    leases,
    sweep: deps.sweep,
    intervalMs: config.SCHEDULER_INTERVAL_MS,
    logger: logger.child({ component: 'cases-scheduler' }),
    ...(deps.now ? { now: deps.now } : {}),
  });
  const dispatcher = startOutboxDispatcher({
    store: outbox,
    transports: transportsFromConfig(config),
    intervalMs: OUTBOX_POLL_INTERVAL_MS,
    logger: logger.child({ component: 'outbox-dispatcher' }),
    ...(deps.now ? { now: deps.now } : {}),
  });
  return {
    async stop() {
      await Promise.all([scheduler.stop(), dispatcher.stop()]);
    },
  };
}
