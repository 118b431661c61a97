import { createSmtpTransport as createOutboxSmtpTransport } from '../../../platform/outbox/smtp.ts';
import { DELIVERY_HEADER, renderEmail } from '../domain/notifications.ts';
import type { OutboxRow } from '../store/case-repository.ts';
import type { NotificationTransport } from './transport.ts';

export interface SmtpTransportOptions {
  /** SMTP_URL, e.g. `smtp://user:pass@mail.example.com:587`. */
  url: string;
  /** MAIL_FROM, e.g. `Weiquan <noreply@example.com>`. */
  from: string;
  timeoutMs: number;
}

/**
 * Delivers a case notification as a plain-text e-mail over SMTP (platform/outbox/smtp.ts). The
 * Message-ID is derived from the outbox id, so a redelivered message (after a crash between send
 * and mark) is the same message to mail clients, and `X-Weiquan-Delivery` carries the id for
 * automated mailboxes.
 */
export function createSmtpTransport(options: SmtpTransportOptions): NotificationTransport {
  return createOutboxSmtpTransport<OutboxRow>({
    ...options,
    render: (row, mailDomain) => ({ ...renderEmail(row, mailDomain), headers: { [DELIVERY_HEADER]: row.id } }),
  });
}
