import type { Logger } from 'pino';
import { startPeriodicJob } from '../jobs.ts';
import { DEFAULT_RETRY_POLICY, decideAfterFailure, type RetryPolicy } from './retry.ts';
import { describeError, type OutboxItem, type OutboxTransport } from './transport.ts';

export interface ClaimRequest {
  now: Date;
  /**
   * Claimed rows are hidden from other dispatchers until then (a per-row lease). A dispatcher
   * that dies after sending but before marking leaves the row to reappear at `claimUntil`:
   * it is sent again with the same id, never lost.
   */
  claimUntil: Date;
  limit: number;
  /** Only rows this dispatcher has a transport for; others stay pending. */
  kinds: readonly string[];
}

export interface FailedAttempt {
  now: Date;
  error: string;
  detail: string | null;
  /** When to try again, or PARKED_UNTIL. */
  nextAttemptAt: string;
  parked: boolean;
}

/** The dispatcher's view of one slice's outbox, in that slice's own store. */
export interface OutboxStore<Row extends OutboxItem> {
  /** Atomically claims up to `limit` undelivered rows due by `now`, oldest due first. */
  claimDue(request: ClaimRequest): Promise<Row[]>;
  /** Marks a row delivered (and logs the attempt), together. Only ever after a successful send. */
  markDelivered(id: string, now: Date, detail: string | null): Promise<void>;
  /** Records a failed attempt and when to try again (or that the row is parked), together. */
  markFailed(id: string, failure: FailedAttempt): Promise<void>;
}

export interface OutboxDispatcherOptions<Row extends OutboxItem> {
  store: OutboxStore<Row>;
  transports: ReadonlyArray<OutboxTransport<Row>>;
  logger: Logger;
  /** What the log may say about a row: ids and kinds, never its address or its content. */
  logFields?: (row: Row) => Record<string, unknown>;
  now?: () => Date;
  /** In [0, 1): the jitter source. */
  random?: () => number;
  retry?: RetryPolicy;
  /**
   * How long a claimed row stays hidden from other dispatchers: longer than any one delivery
   * takes (transport timeouts), so a live dispatcher never sees its row claimed twice.
   */
  claimMs?: number;
  /** Rows claimed and delivered concurrently per round. */
  batchSize?: number;
}

export interface DispatchReport {
  claimed: number;
  delivered: number;
  failed: number;
  parked: number;
}

export interface OutboxDispatcher {
  /** Claims the rows due now and delivers them; resolves when every claimed row is settled. */
  runOnce(): Promise<DispatchReport>;
}

export const DEFAULT_CLAIM_MS = 5 * 60_000;

/**
 * Delivers a transactional outbox. Guarantees:
 * - nothing is lost: a row is marked delivered only after its transport succeeded, so a crash
 *   anywhere before that leaves it pending (or claimed until `claimMs`, then pending again);
 * - at most a redelivery: a crash after sending but before marking sends the row once more,
 *   with the same id, which receivers de-duplicate by;
 * - failures are retried with backoff (retry.ts) and parked (the dead letter) when refused for
 *   good or out of attempts;
 * - several dispatchers can run on one store: each row is claimed atomically by one of them.
 */
export function createOutboxDispatcher<Row extends OutboxItem>(
  options: OutboxDispatcherOptions<Row>,
): OutboxDispatcher {
  const now = options.now ?? (() => new Date());
  const random = options.random ?? Math.random;
  const retry = options.retry ?? DEFAULT_RETRY_POLICY;
  const claimMs = options.claimMs ?? DEFAULT_CLAIM_MS;
  const batchSize = options.batchSize ?? 10;
  const logFields = options.logFields ?? ((row: Row) => ({ outboxId: row.id }));
  const transports = new Map(options.transports.map((transport) => [transport.kind, transport]));
  const kinds = [...transports.keys()];
  const { store, logger } = options;

  async function deliver(row: Row): Promise<'delivered' | 'failed' | 'parked'> {
    const transport = transports.get(row.recipient.kind);
    // claimDue is asked only for the kinds in `transports`, so this cannot happen unless a store breaks that.
    if (!transport) throw new Error(`Claimed a ${row.recipient.kind} row without a transport for it.`);
    const result = await transport.deliver(row).catch((error: unknown) => ({
      ok: false as const,
      permanent: false,
      error: describeError(error),
      detail: null,
    }));
    const finishedAt = now();
    if (result.ok) {
      await store.markDelivered(row.id, finishedAt, result.detail);
      logger.info({ ...logFields(row), kind: row.recipient.kind }, 'outbox row delivered');
      return 'delivered';
    }
    const decision = decideAfterFailure(retry, row.attempts, result.permanent, finishedAt, random());
    const parked = decision.kind === 'park';
    await store.markFailed(row.id, {
      now: finishedAt,
      error: result.error,
      detail: result.detail,
      nextAttemptAt: decision.nextAttemptAt,
      parked,
    });
    logger[parked ? 'error' : 'warn'](
      {
        ...logFields(row),
        kind: row.recipient.kind,
        attempt: row.attempts + 1,
        error: result.error,
        nextAttemptAt: decision.nextAttemptAt,
      },
      parked ? 'outbox row parked: no further retries' : 'outbox row not delivered; will retry',
    );
    return parked ? 'parked' : 'failed';
  }

  return {
    async runOnce() {
      const report: DispatchReport = { claimed: 0, delivered: 0, failed: 0, parked: 0 };
      const started = now();
      const rows = await store.claimDue({
        now: started,
        claimUntil: new Date(started.getTime() + claimMs),
        limit: batchSize,
        kinds,
      });
      report.claimed = rows.length;
      const outcomes = await Promise.allSettled(rows.map(deliver));
      for (const [index, outcome] of outcomes.entries()) {
        if (outcome.status === 'fulfilled') report[outcome.value]++;
        else {
          // The send may have happened; the row stays claimed and comes back after claimMs, same id.
          report.failed++;
          logger.error({ ...logFields(rows[index]), err: outcome.reason }, 'could not record a delivery attempt');
        }
      }
      return report;
    },
  };
}

export interface RunningOutboxDispatcher {
  /** Runs a round now (queued behind a running one), e.g. right after a row was written. */
  nudge(): void;
  /** Stops polling, waits for the round in progress, and closes the transports. */
  stop(): Promise<void>;
}

/**
 * Runs the dispatcher every `intervalMs` through the project's job runner (platform/jobs.ts: one
 * round at a time, a failing round logged and never fatal), and again at once while rounds come
 * back full, so a backlog drains without waiting an interval per batch.
 */
export function startOutboxDispatcher<Row extends OutboxItem>(
  options: OutboxDispatcherOptions<Row> & { intervalMs: number; name?: string },
): RunningOutboxDispatcher {
  const dispatcher = createOutboxDispatcher(options);
  const batchSize = options.batchSize ?? 10;
  const job = startPeriodicJob({
    name: options.name ?? 'outbox-dispatch',
    schedule: { everyMs: options.intervalMs },
    runAtStart: true,
    runAgainAfter: (report) => report.claimed === batchSize,
    run: () => dispatcher.runOnce(),
    logger: options.logger,
  });
  let stopped = false;
  return {
    nudge() {
      if (stopped) return;
      job.runNow().catch((error: unknown) => {
        options.logger.error({ job: options.name, err: error }, 'outbox round failed; the next round retries');
      });
    },
    async stop() {
      stopped = true;
      await job.stop();
      await Promise.all(options.transports.map((transport) => transport.close?.()));
    },
  };
}
