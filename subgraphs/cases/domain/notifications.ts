import type { OutboxRow } from './outbox.ts';

/**
 * How outbox rows become messages, and the retry policy. Pure: no network, no clock (`random`
 * and times are passed in), so the dispatcher's decisions can be tested exactly.
 */

/** The outbox row id: the same on every retry of one notification, so receivers de-duplicate by it. */
export const DELIVERY_HEADER = 'x-weiquan-delivery';
/** The event name, for receivers that route before parsing the body. */
export const EVENT_HEADER = 'x-weiquan-event';

/** What a webhook receiver gets as the JSON body. */
export interface WebhookBody {
  /** The outbox row id (also in the delivery header). */
  id: string;
  event: string;
  caseId: string;
  createdAt: string;
  data: OutboxRow['payload'];
}

export function webhookBody(row: OutboxRow): string {
  const body: WebhookBody = {
    id: row.id,
    event: row.event,
    caseId: row.caseId,
    createdAt: row.createdAt,
    data: row.payload,
  };
  return JSON.stringify(body);
}

/** Localised phrases for each event a notification can be about (TimelineEventType values). */
const EVENT_PHRASES: Record<string, { zh: string; en: string }> = {
  SUBMITTED: { zh: '投诉已提交', en: 'complaint submitted' },
  EDITED: { zh: '投诉已修改', en: 'complaint edited' },
  ACCEPTED: { zh: '投诉已受理', en: 'complaint accepted' },
  REJECTED: { zh: '投诉未予受理', en: 'complaint rejected' },
  FORWARDED: { zh: '投诉已转交商家', en: 'complaint forwarded to the business' },
  RESPONDED: { zh: '商家已回复', en: 'the business replied' },
  RESOLUTION_CONFIRMED: { zh: '消费者确认已解决', en: 'resolution confirmed by the consumer' },
  REPORTED_UNSATISFIED: { zh: '消费者表示未解决', en: 'consumer reports the matter unresolved' },
  APPEALED: { zh: '消费者已申诉', en: 'consumer appealed' },
  WITHDRAWN: { zh: '投诉已撤回', en: 'complaint withdrawn' },
  CLOSED: { zh: '投诉已结案', en: 'case closed' },
  PUBLISHED: { zh: '处理结果已公开', en: 'result published' },
  OVERDUE_FLAGGED: { zh: '案件已超期', en: 'case overdue' },
  OVERDUE_REMINDER: { zh: '案件已超期，请尽快处理', en: 'case overdue: action needed' },
  EVIDENCE_ADDED: { zh: '已补充证据', en: 'evidence added' },
};

export function eventPhrase(event: string): { zh: string; en: string } {
  return EVENT_PHRASES[event] ?? { zh: '案件状态更新', en: `case update (${event})` };
}

export interface EmailContent {
  subject: string;
  text: string;
  /** Stable per notification, so a redelivered e-mail is recognisably the same message. */
  messageId: string;
}

/**
 * The e-mail for an outbox row, in Chinese then English. It carries only what the payload
 * holds, which `outboxRowsFor` (outbox.ts) limits to what that recipient may see.
 */
export function renderEmail(row: OutboxRow, mailDomain = 'weiquan.invalid'): EmailContent {
  const phrase = eventPhrase(row.event);
  const p = row.payload;
  const reference = typeof p.reference === 'string' && p.reference ? p.reference : row.caseId;
  const lines = [
    `案件编号：${reference}`,
    `事件：${phrase.zh}`,
    `当前状态：${p.status}`,
    `标题：${p.title}`,
    ...(p.note ? [`说明：${p.note}`] : []),
    `时间：${p.at}`,
    '',
    `Case: ${reference}`,
    `Event: ${phrase.en}`,
    `Status: ${p.status}`,
    `Title: ${p.title}`,
    ...(p.note ? [`Note: ${p.note}`] : []),
    `At: ${p.at}`,
    '',
    `通知编号 / Notification id: ${row.id}`,
  ];
  return {
    subject: `[维权 Weiquan] ${reference}: ${phrase.zh} / ${phrase.en}`,
    text: `${lines.join('\n')}\n`,
    messageId: `<${row.id}@${mailDomain}>`,
  };
}

export {
  DEFAULT_RETRY_POLICY,
  PARKED_UNTIL,
  decideAfterFailure,
  webhookOutcome,
  type FailureDecision,
  type RetryPolicy,
} from '../../../platform/outbox/retry.ts';
