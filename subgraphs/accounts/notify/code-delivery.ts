import { randomUUID } from 'node:crypto';
import nodemailer from 'nodemailer';
import type { Logger } from 'pino';
import type { Config } from '../../../platform/config.ts';
import { signWebhook } from '../../../platform/webhook-signature.ts';
import { CodePurpose } from '../domain/codes.ts';
import { maskContact, type Contact } from '../domain/contact.ts';

/**
 * Delivers a verification code to the contact it was issued for: e-mail over SMTP (SMTP_URL, the
 * same server the case notifications use), SMS through the provider webhook (SMS_WEBHOOK_URL,
 * signed with WEBHOOK_SIGNING_SECRET like the case webhooks). Outside production, a contact kind
 * with no transport gets its code written to the log instead, so a developer can sign up locally;
 * production never logs a code.
 */
export type CodeSender = (contact: Contact, code: string, purpose: CodePurpose) => Promise<void>;

const SUBJECTS: Record<CodePurpose, string> = {
  [CodePurpose.VerifyContact]: '维权 Weiquan: 验证码 / verification code',
  [CodePurpose.ResetPassword]: '维权 Weiquan: 重置密码验证码 / password reset code',
};

export function messageFor(code: string, purpose: CodePurpose): string {
  const what = purpose === CodePurpose.ResetPassword ? '重置密码 (password reset)' : '验证 (verification)';
  return `您的${what}验证码是 ${code}，10 分钟内有效。Your code is ${code}; it expires in 10 minutes.`;
}

export function codeSenderFromConfig(config: Config, logger: Logger): CodeSender {
  const production = config.NODE_ENV === 'production';
  const mailer = config.SMTP_URL ? nodemailer.createTransport(config.SMTP_URL) : null;
  const smsUrl = config.SMS_WEBHOOK_URL;
  return async (contact, code, purpose) => {
    if (contact.kind === 'email' && mailer) {
      await mailer.sendMail({
        from: config.MAIL_FROM,
        to: contact.value,
        subject: SUBJECTS[purpose],
        text: messageFor(code, purpose),
      });
      return;
    }
    if (contact.kind === 'phone' && smsUrl) {
      const body = JSON.stringify({ to: contact.value, text: messageFor(code, purpose) });
      // Signed like the case webhooks (Standard Webhooks: id, timestamp and body), so a captured
      // message cannot be replayed to the provider.
      const signed = signWebhook(config.WEBHOOK_SIGNING_SECRET, `code_${randomUUID()}`, new Date(), body);
      const response = await fetch(smsUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...signed },
        body,
        signal: AbortSignal.timeout(10_000),
      });
      if (!response.ok) throw new Error(`SMS webhook answered ${response.status}`);
      return;
    }
    if (production) throw new Error(`no transport for ${contact.kind} codes (set SMTP_URL or SMS_WEBHOOK_URL)`);
    logger.info({ to: maskContact(contact), purpose, code }, 'verification code (development: no transport, logged)');
  };
}
