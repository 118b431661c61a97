import { randomUUID } from 'node:crypto';
import { Audience, type CaseRecord, type NotificationIntent, type TimelineEvent } from './model.ts';

/** How a notification travels: an e-mail over SMTP, or a signed HTTP POST. */
export type RecipientKind = 'email' | 'webhook';

/**
 * One notification waiting in (or delivered from) the transactional outbox `case_outbox`. It is
 * written in the same transaction as the state change that caused it; the dispatcher delivers it
 * and marks `deliveredAt`. `id` doubles as the idempotency key receivers de-duplicate on.
 */
export interface OutboxRow {
  id: string;
  caseId: string;
  /** The timeline event type that caused it, e.g. FORWARDED. */
  event: string;
  recipient: { kind: RecipientKind; address: string };
  /** What the message says; never more personal data than the recipient may see. */
  payload: OutboxPayload;
  createdAt: string;
  deliveredAt: string | null;
  attempts: number;
  nextAttemptAt: string;
}

export interface OutboxPayload {
  notificationId: string;
  event: string;
  audience: Audience;
  caseId: string;
  reference: string;
  status: string;
  enterpriseId: string;
  title: string;
  at: string;
  /** The reason, reply or remark recorded with the event. */
  note: string | null;
  [key: string]: unknown;
}

/** Where each audience is reached; unset means that audience gets nothing on that path. */
export interface NotificationRecipients {
  /** The desk's shared mailbox for staff notices. */
  staffEmail: string | null;
  /** Where events for an enterprise are POSTed (its integration endpoint), if it registered one. */
  enterpriseWebhook(enterpriseId: string): string | null;
  /** A webhook receiving every event for staff tooling, if configured. */
  staffWebhook: string | null;
}

function addressesFor(
  audience: Audience,
  record: CaseRecord,
  recipients: NotificationRecipients,
): Array<OutboxRow['recipient']> {
  const out: Array<OutboxRow['recipient']> = [];
  switch (audience) {
    case Audience.Complainant:
      if (record.complainant.email) out.push({ kind: 'email', address: record.complainant.email });
      break;
    case Audience.Enterprise: {
      const hook = recipients.enterpriseWebhook(record.respondent.enterpriseId);
      if (hook) out.push({ kind: 'webhook', address: hook });
      break;
    }
    case Audience.Staff:
      if (recipients.staffEmail) out.push({ kind: 'email', address: recipients.staffEmail });
      if (recipients.staffWebhook) out.push({ kind: 'webhook', address: recipients.staffWebhook });
      break;
  }
  return out;
}

/** The outbox rows for a change: one per intent and reachable address, due immediately. */
export function outboxRowsFor(
  record: CaseRecord,
  event: TimelineEvent,
  intents: readonly NotificationIntent[],
  recipients: NotificationRecipients,
  now: Date,
): OutboxRow[] {
  const at = now.toISOString();
  return intents.flatMap((intent) =>
    addressesFor(intent.audience, record, recipients).map((recipient) => {
      const id = randomUUID();
      return {
        id,
        caseId: record.id,
        event: intent.event,
        recipient,
        payload: {
          notificationId: id,
          event: intent.event,
          audience: intent.audience,
          caseId: record.id,
          reference: record.reference,
          status: record.status,
          enterpriseId: record.respondent.enterpriseId,
          title: record.title,
          at: event.at,
          note: event.note,
        },
        createdAt: at,
        deliveredAt: null,
        attempts: 0,
        nextAttemptAt: at,
      };
    }),
  );
}
