import type { Logger } from 'pino';
import type { Config } from '../../../platform/config.ts';
import { startOutboxDispatcher, type RunningOutboxDispatcher } from '../../../platform/outbox/dispatcher.ts';
import type { RetryPolicy } from '../../../platform/outbox/retry.ts';
import { createSmtpTransport } from '../../../platform/outbox/smtp.ts';
import type { DeliveryResult, OutboxTransport } from '../../../platform/outbox/transport.ts';
import { createWebhookTransport } from '../../../platform/outbox/webhook.ts';
import type { CodeDeliveryRow, CodeRecipientKind } from '../domain/code-delivery.ts';
import { CodePurpose } from '../domain/codes.ts';
import { maskContact, type Contact } from '../domain/contact.ts';
import type { CodeSealer } from '../secrets.ts';
import type { CodeOutboxStore } from '../store/code-outbox.ts';

/**
 * Delivers the verification codes waiting in the accounts outbox (store/code-outbox.ts) through
 * the platform's outbox dispatcher: e-mail over SMTP (SMTP_URL, the server the case notifications
 * use), SMS through the provider webhook (SMS_WEBHOOK_URL, signed with WEBHOOK_SIGNING_SECRET like
 * the case webhooks). A failed delivery is retried with backoff until the code expires, then
 * parked. Outside production, a contact kind with no transport gets its code written to the log,
 * so a developer can sign up locally; production never logs a code (its rows wait for a transport).
 */

/** A delivery a test (or an embedding) supplies instead of SMTP and SMS: gets the opened code. */
export type CodeSender = (contact: Contact, code: string, purpose: CodePurpose) => Promise<void>;

const SUBJECTS: Record<CodePurpose, string> = {
  [CodePurpose.VerifyContact]: '维权 Weiquan: 验证码 / verification code',
  [CodePurpose.ResetPassword]: '维权 Weiquan: 重置密码验证码 / password reset code',
};

export function messageFor(code: string, purpose: CodePurpose): string {
  const what = purpose === CodePurpose.ResetPassword ? '重置密码 (password reset)' : '验证 (verification)';
  return `您的${what}验证码是 ${code}，10 分钟内有效。Your code is ${code}; it expires in 10 minutes.`;
}

/**
 * Codes are worth delivering for their 10 minutes only: retries start after a few seconds and
 * stay frequent; a row still undelivered when its code expires is parked (`openCodeTransport`).
 */
export const CODE_RETRY_POLICY: RetryPolicy = { baseDelayMs: 5_000, maxDelayMs: 120_000, maxAttempts: 12 };
/** How often the outbox is polled for retries; a new code is delivered at once (`nudge`). */
export const CODE_POLL_INTERVAL_MS = 2_000;

type OpenRow = CodeDeliveryRow & { code: string };

const contactOf = (row: CodeDeliveryRow): Contact => ({
  kind: row.recipient.kind === 'email' ? 'email' : 'phone',
  value: row.recipient.address,
});

/**
 * Wraps a transport of opened rows: opens the sealed code first, parks a row whose code has
 * expired (or cannot be opened), and keeps the address out of what is logged.
 */
function openCodeTransport(
  kind: CodeRecipientKind,
  sealer: CodeSealer,
  now: () => Date,
  deliver: (row: OpenRow) => Promise<DeliveryResult>,
): OutboxTransport<CodeDeliveryRow> {
  return {
    kind,
    async deliver(row) {
      const code = row.sealedCode ? sealer.open(row.id, row.sealedCode) : null;
      if (!code)
        return { ok: false, permanent: true, error: 'The code cannot be opened under this key.', detail: null };
      if (now().toISOString() >= row.expiresAt) {
        return { ok: false, permanent: true, error: 'The code expired before it could be delivered.', detail: null };
      }
      const result = await deliver({ ...row, code });
      if (result.ok) return result;
      // SMTP servers quote the recipient in their refusals: the log and the row keep a mask instead.
      const masked = maskContact(contactOf(row));
      return { ...result, error: result.error.split(row.recipient.address).join(masked) };
    },
  };
}

export interface CodeTransportOptions {
  config: Config;
  logger: Logger;
  sealer: CodeSealer;
  now: () => Date;
  /** Replaces SMTP and SMS (tests read the codes this way); the rows still go through the outbox. */
  sendCode?: CodeSender;
}

export function codeTransportsFromConfig(options: CodeTransportOptions): Array<OutboxTransport<CodeDeliveryRow>> {
  const { config, logger, sealer, now, sendCode } = options;
  const timeoutMs = config.UPSTREAM_TIMEOUT_MS;
  const open = (kind: CodeRecipientKind, deliver: (row: OpenRow) => Promise<DeliveryResult>) =>
    openCodeTransport(kind, sealer, now, deliver);
  if (sendCode) {
    const viaSender = async (row: OpenRow): Promise<DeliveryResult> => {
      await sendCode(contactOf(row), row.code, row.purpose);
      return { ok: true, detail: 'sent' };
    };
    return [open('email', viaSender), open('sms', viaSender)];
  }
  const transports: Array<OutboxTransport<CodeDeliveryRow>> = [];
  if (config.SMTP_URL) {
    const smtp = createSmtpTransport<OpenRow>({
      url: config.SMTP_URL,
      from: config.MAIL_FROM,
      timeoutMs,
      render: (row, mailDomain) => ({
        subject: SUBJECTS[row.purpose],
        text: messageFor(row.code, row.purpose),
        messageId: `<${row.id}@${mailDomain}>`,
      }),
    });
    transports.push({ ...open('email', (row) => smtp.deliver(row)), close: smtp.close });
  }
  const smsUrl = config.SMS_WEBHOOK_URL;
  if (smsUrl) {
    // Signed like the case webhooks (Standard Webhooks: id, timestamp and body), so a captured
    // message cannot be replayed to the provider; the row id makes a retry recognisable.
    const sms = createWebhookTransport<OpenRow>({
      kind: 'sms',
      secret: config.WEBHOOK_SIGNING_SECRET,
      timeoutMs,
      url: () => smsUrl,
      body: (row) => JSON.stringify({ to: row.recipient.address, text: messageFor(row.code, row.purpose) }),
    });
    transports.push(open('sms', (row) => sms.deliver(row)));
  }
  if (config.NODE_ENV !== 'production') {
    const logged = async (row: OpenRow): Promise<DeliveryResult> => {
      logger.info(
        { to: maskContact(contactOf(row)), purpose: row.purpose, code: row.code },
        'verification code (development: no transport, logged)',
      );
      return { ok: true, detail: 'logged (development)' };
    };
    for (const kind of ['email', 'sms'] as const) {
      if (!transports.some((transport) => transport.kind === kind)) transports.push(open(kind, logged));
    }
  }
  return transports;
}

/** Starts delivering the code outbox; `nudge` after writing a row delivers it without waiting for the poll. */
export function startCodeDispatcher(options: {
  store: CodeOutboxStore;
  transports: Array<OutboxTransport<CodeDeliveryRow>>;
  logger: Logger;
  now: () => Date;
  retry?: RetryPolicy;
  intervalMs?: number;
}): RunningOutboxDispatcher {
  return startOutboxDispatcher<CodeDeliveryRow>({
    name: 'code-outbox-dispatch',
    store: options.store,
    transports: options.transports,
    logger: options.logger,
    logFields: (row) => ({ outboxId: row.id, accountId: row.accountId, purpose: row.purpose }),
    now: options.now,
    retry: options.retry ?? CODE_RETRY_POLICY,
    // A delivery attempt is bounded by UPSTREAM_TIMEOUT_MS; a minute's claim outlasts it.
    claimMs: 60_000,
    intervalMs: options.intervalMs ?? CODE_POLL_INTERVAL_MS,
  });
}
