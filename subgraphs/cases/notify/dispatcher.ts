import type { Config } from '../../../platform/config.ts';
import {
  createOutboxDispatcher as createPlatformOutboxDispatcher,
  startOutboxDispatcher as startPlatformOutboxDispatcher,
  type OutboxDispatcher,
  type OutboxDispatcherOptions as PlatformDispatcherOptions,
  type RunningOutboxDispatcher,
} from '../../../platform/outbox/dispatcher.ts';
import type { OutboxRow } from '../store/case-repository.ts';
import type { OutboxDispatchStore } from '../store/outbox-dispatch.ts';
import { createSmtpTransport } from './smtp.ts';
import type { NotificationTransport } from './transport.ts';
import { createWebhookTransport } from './webhook.ts';

export {
  DEFAULT_CLAIM_MS,
  type DispatchReport,
  type OutboxDispatcher,
  type RunningOutboxDispatcher,
} from '../../../platform/outbox/dispatcher.ts';

/**
 * The case notifications' dispatcher: the platform's outbox dispatcher (platform/outbox/: claims,
 * retries with backoff, parking, one round at a time) over `case_outbox` and its delivery log.
 */
export type OutboxDispatcherOptions = Omit<PlatformDispatcherOptions<OutboxRow>, 'store' | 'transports'> & {
  store: OutboxDispatchStore;
  transports: readonly NotificationTransport[];
};

/** What the log says about a case notification: ids and the event, never an address or content. */
const logFields = (row: OutboxRow) => ({ outboxId: row.id, caseId: row.caseId, event: row.event });

export function createOutboxDispatcher(options: OutboxDispatcherOptions): OutboxDispatcher {
  return createPlatformOutboxDispatcher<OutboxRow>({ logFields, ...options });
}

export function startOutboxDispatcher(
  options: OutboxDispatcherOptions & { intervalMs: number },
): RunningOutboxDispatcher {
  return startPlatformOutboxDispatcher<OutboxRow>({ logFields, name: 'outbox-dispatch', ...options });
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
