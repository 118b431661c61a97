import type { OutboxTransport } from '../../../platform/outbox/transport.ts';
import type { OutboxRow } from '../store/case-repository.ts';

export { describeError, type DeliveryResult } from '../../../platform/outbox/transport.ts';

/** One way of delivering case notifications (e-mail, webhook): the platform outbox's transport over case rows. */
export type NotificationTransport = OutboxTransport<OutboxRow>;
