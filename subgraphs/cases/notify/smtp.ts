import nodemailer from 'nodemailer';
import { DELIVERY_HEADER, renderEmail } from '../domain/notifications.ts';
import { describeError, type NotificationTransport } from './transport.ts';

export interface SmtpTransportOptions {
  /** SMTP_URL, e.g. `smtp://user:pass@mail.example.com:587`. */
  url: string;
  /** MAIL_FROM, e.g. `Weiquan <noreply@example.com>`. */
  from: string;
  timeoutMs: number;
}

/**
 * Delivers a notification as a plain-text e-mail over SMTP. The Message-ID is derived from the
 * outbox id, so a redelivered message (after a crash between send and mark) is the same
 * message to mail clients, and `X-Weiquan-Delivery` carries the id for automated mailboxes.
 */
export function createSmtpTransport(options: SmtpTransportOptions): NotificationTransport {
  const transporter = nodemailer.createTransport({
    url: options.url,
    connectionTimeout: options.timeoutMs,
    greetingTimeout: options.timeoutMs,
    socketTimeout: options.timeoutMs,
  });
  const mailDomain = domainOf(options.from);
  return {
    kind: 'email',
    async deliver(row) {
      const email = renderEmail(row, mailDomain);
      try {
        const info = await transporter.sendMail({
          from: options.from,
          to: row.recipient.address,
          subject: email.subject,
          text: email.text,
          messageId: email.messageId,
          headers: { [DELIVERY_HEADER]: row.id },
        });
        return { ok: true, detail: String(info.response ?? 'accepted').slice(0, 200) };
      } catch (error) {
        const code = (error as { responseCode?: number }).responseCode;
        // 5xx: the server refuses this message (unknown mailbox, policy); 4xx and network errors may pass later.
        const permanent = typeof code === 'number' && code >= 500 && code < 600;
        return { ok: false, permanent, error: describeError(error), detail: code ? `SMTP ${code}` : null };
      }
    },
    async close() {
      transporter.close();
    },
  };
}

function domainOf(from: string): string {
  const match = /@([^>\s]+)>?\s*$/.exec(from);
  return match ? match[1] : 'weiquan.invalid';
}
