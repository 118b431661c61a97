import type { Logger } from 'pino';
import type { Config } from '../../../platform/config.ts';
import { startPeriodicJob } from '../../../platform/jobs.ts';
import { DEFAULT_RETRY_POLICY, decideAfterFailure, type RetryPolicy } from '../domain/notifications.ts';
import type { OutboxDispatchStore } from '../store/outbox-dispatch.ts';
import type { OutboxRow } from '../store/case-repository.ts';
import { createSmtpTransport } from './smtp.ts';
import { describeError, type NotificationTransport } from './transport.ts';
import { createWebhookTransport } from './webhook.ts';

export interface OutboxDispatcherOptions {
  store: OutboxDispatchStore;
  transports: readonly NotificationTransport[];
  logger: Logger;
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
 * Delivers the transactional outbox. Guarantees:
 * - nothing is lost: a row is marked delivered only after its transport succeeded, so a crash
 *   anywhere before that leaves it pending (or claimed until `claimMs`, then pending again);
 * - at most a redelivery: a crash after sending but before marking sends the row once more,
 *   with the same id, which receivers de-duplicate by (`webhook-id`, Message-ID);
 * - several dispatchers can run on one store: each row is claimed atomically by one of them.
 */
export function createOutboxDispatcher(options: OutboxDispatcherOptions): OutboxDispatcher {
  const now = options.now ?? (() => new Date());
  const random = options.random ?? Math.random;
  const retry = options.retry ?? DEFAULT_RETRY_POLICY;
  const claimMs = options.claimMs ?? DEFAULT_CLAIM_MS;
  const batchSize = options.batchSize ?? 10;
  const transports = new Map(options.transports.map((transport) => [transport.kind, transport]));
  const kinds = [...transports.keys()];
  const { store, logger } = options;

  async function deliver(row: OutboxRow): Promise<'delivered' | 'failed' | 'parked'> {
    const transport = transports.get(row.recipient.kind);
    // claimDue is asked only for the kinds in `transports`, so this cannot happen unless a store breaks that.
    if (!transport) throw new Error(`Claimed a ${row.recipient.kind} notification without a transport for it.`);
    const result = await transport.deliver(row).catch((error: unknown) => ({
      ok: false as const,
      permanent: false,
      error: describeError(error),
      detail: null,
    }));
    const finishedAt = now();
    if (result.ok) {
      await store.markDelivered(row.id, finishedAt, result.detail);
      logger.info(
        { outboxId: row.id, caseId: row.caseId, event: row.event, kind: row.recipient.kind },
        'notification delivered',
      );
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
        outboxId: row.id,
        caseId: row.caseId,
        kind: row.recipient.kind,
        attempt: row.attempts + 1,
        error: result.error,
        nextAttemptAt: decision.nextAttemptAt,
      },
      parked ? 'notification parked: no further retries' : 'notification failed; will retry',
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
          logger.error({ outboxId: rows[index].id, err: outcome.reason }, 'could not record a delivery attempt');
        }
      }
      return report;
    },
  };
}

export interface RunningOutboxDispatcher {
  /** Stops polling, waits for the round in progress, and closes the transports. */
  stop(): Promise<void>;
}

/**
 * Runs the dispatcher every `intervalMs`, and again at once while rounds come back full (a
 * backlog drains without waiting an interval per batch). A failing round is logged, never fatal.
 */
export function startOutboxDispatcher(
  options: OutboxDispatcherOptions & { intervalMs: number },
): RunningOutboxDispatcher {
  const dispatcher = createOutboxDispatcher(options);
  const batchSize = options.batchSize ?? 10;
  const job = startPeriodicJob({
    name: 'outbox-dispatch',
    schedule: { everyMs: options.intervalMs },
    runAtStart: true,
    runAgainAfter: (report) => report.claimed === batchSize,
    run: () => dispatcher.runOnce(),
    logger: options.logger,
  });
  return {
    async stop() {
      await job.stop();
      await Promise.all(options.transports.map((transport) => transport.close?.()));
    },
  };
}

/**
 * The transports the configuration allows: webhooks always (signed with WEBHOOK_SIGNING_SECRET);
 * e-mail only when SMTP_URL is set. Without SMTP, e-mail rows stay pending (not lost, not
 * faked as sent) until a dispatcher with SMTP runs.
 */
export function transportsFromConfig(config: Config): NotificationTransport[] {
  const transports: NotificationTransport[] = [
    createWebhookTransport({ secret: config.WEBHOOK_SIGNING_SECRET, timeoutMs: config.UPSTREAM_TIMEOUT_MS }),
  ];
  if (config.SMTP_URL) {
    transports.push(
      createSmtpTransport({ url: config.SMTP_URL, from: config.MAIL_FROM, timeoutMs: config.UPSTREAM_TIMEOUT_MS }),
    );
  }
  return transports;
}
