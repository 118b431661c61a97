import nodemailer from 'nodemailer';
import { describeError, type OutboxItem, type OutboxTransport } from './transport.ts';

/** One e-mail as a slice renders it from its outbox row. */
export interface RenderedEmail {
  subject: string;
  text: string;
  /** Stable per row, so a redelivered message is recognisably the same message. */
  messageId: string;
  headers?: Record<string, string>;
}

export interface SmtpTransportOptions<Row extends OutboxItem> {
  /** SMTP_URL, e.g. `smtp://user:pass@mail.example.com:587`. */
  url: string;
  /** MAIL_FROM, e.g. `Weiquan <noreply@example.com>`. */
  from: string;
  timeoutMs: number;
  /** The recipient kind this transport delivers; `email` by default. */
  kind?: Row['recipient']['kind'];
  /** The message for a row; `mailDomain` is MAIL_FROM's domain, for Message-IDs. */
  render(row: Row, mailDomain: string): RenderedEmail;
}

/**
 * Delivers outbox rows as plain-text e-mails over SMTP, to the row's recipient address. A 5xx
 * answer is a permanent refusal (unknown mailbox, policy); 4xx and network errors may pass later.
 */
export function createSmtpTransport<Row extends OutboxItem>(options: SmtpTransportOptions<Row>): OutboxTransport<Row> {
  const transporter = nodemailer.createTransport({
    url: options.url,
    connectionTimeout: options.timeoutMs,
    greetingTimeout: options.timeoutMs,
    socketTimeout: options.timeoutMs,
  });
  const mailDomain = domainOf(options.from);
  return {
    kind: options.kind ?? 'email',
    async deliver(row) {
      const email = options.render(row, mailDomain);
      try {
        const info = await transporter.sendMail({
          from: options.from,
          to: row.recipient.address,
          subject: email.subject,
          text: email.text,
          messageId: email.messageId,
          ...(email.headers ? { headers: email.headers } : {}),
        });
        return { ok: true, detail: String(info.response ?? 'accepted').slice(0, 200) };
      } catch (error) {
        const code = (error as { responseCode?: number }).responseCode;
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
