import type { CodePurpose } from './codes.ts';
import type { ContactKind } from './contact.ts';

/** How a code travels: e-mail over SMTP, or SMS through the provider's webhook. */
export type CodeRecipientKind = 'email' | 'sms';

export const recipientKindFor = (contact: ContactKind): CodeRecipientKind => (contact === 'email' ? 'email' : 'sms');

/**
 * One verification code waiting in (or delivered from) the accounts slice's outbox. The code is
 * sealed (secrets.ts: AES-256-GCM under a key derived from AUTH_SECRET, bound to the row id), so a
 * dump of the store shows no live code; once the row is delivered or parked, the sealed code is
 * erased and the address masked: the row stays only as a record that a code went out.
 */
export interface CodeDeliveryRow {
  /** `code_<uuid>`: the webhook id and Message-ID, the same on every retry. */
  id: string;
  accountId: string;
  purpose: CodePurpose;
  recipient: { kind: CodeRecipientKind; address: string };
  /** Null once the row is finished (delivered or parked). */
  sealedCode: string | null;
  /** The code's own expiry: a row still undelivered then is parked, never sent late. */
  expiresAt: string;
  createdAt: string;
  deliveredAt: string | null;
  attempts: number;
  nextAttemptAt: string;
}
