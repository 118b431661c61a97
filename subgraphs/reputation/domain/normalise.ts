import { createHash } from 'node:crypto';
import { cleanDisplayName } from '../../../platform/enterprise/identity.ts';
import { ListingStatus } from './listing.ts';

/**
 * Pure helpers that turn what a source published into the values of a `ListingRecord`.
 * Nothing here guesses: a value that cannot be read is null, never a default that looks real.
 */

/**
 * Black Cat's numeric complaint states (1 通过审核 passed review, 3 待分配, 4 处理中, 6 已回复,
 * 7 已完成, 8 已关闭). A complaint that passed review waits for assignment: pending.
 */
const BLACKCAT_STATUS: Record<string, ListingStatus> = {
  '1': ListingStatus.Pending,
  '3': ListingStatus.Pending,
  '4': ListingStatus.InProgress,
  '6': ListingStatus.Replied,
  '7': ListingStatus.Completed,
  '8': ListingStatus.Closed,
};

export function blackCatStatus(raw: string): ListingStatus {
  return BLACKCAT_STATUS[raw.trim()] ?? ListingStatus.Unknown;
}

/** 12315 publishes only finished mediations; `res` is the outcome in words. */
export function samrStatus(res: string): ListingStatus {
  const text = res.replace(/\s+/g, '');
  if (text === '') return ListingStatus.Unknown;
  if (/不成功|未达成|失败|终止|不予受理|撤销|撤回/.test(text)) return ListingStatus.Closed;
  if (/成功|达成|已解决|和解|已办结|办结/.test(text)) return ListingStatus.Completed;
  if (/处理中|受理/.test(text)) return ListingStatus.InProgress;
  return ListingStatus.Unknown;
}

/** 21CN shows the state of a post as a short label. */
export function jutousuStatus(label: string): ListingStatus {
  const text = label.replace(/\s+/g, '');
  if (/已完成|已解决/.test(text)) return ListingStatus.Completed;
  if (/已回复/.test(text)) return ListingStatus.Replied;
  if (/处理中|已受理/.test(text)) return ListingStatus.InProgress;
  if (/待处理|待受理|审核/.test(text)) return ListingStatus.Pending;
  if (/已关闭|已撤销/.test(text)) return ListingStatus.Closed;
  return ListingStatus.Unknown;
}

/** Outcomes of our own published cases (the cases subgraph's `CaseOutcome`). */
export function weiquanStatus(outcome: string): ListingStatus {
  switch (outcome) {
    case 'RESOLVED':
      return ListingStatus.Completed;
    case 'UNRESOLVED':
    case 'REJECTED':
    case 'WITHDRAWN':
      return ListingStatus.Closed;
    default:
      return ListingStatus.Unknown;
  }
}

/** Trimmed text with tags and entities removed, or null when nothing is left. */
export function cleanText(raw: unknown): string | null {
  if (typeof raw !== 'string' && typeof raw !== 'number') return null;
  const text = cleanDisplayName(String(raw));
  return text === '' ? null : text;
}

/**
 * An amount in CNY from "1,299.00元", "￥88", 88 or "" (null). Rejects negatives and
 * anything that is not a plain number once currency marks are gone.
 */
export function parseAmount(raw: unknown): number | null {
  if (typeof raw === 'number') return Number.isFinite(raw) && raw >= 0 ? raw : null;
  if (typeof raw !== 'string') return null;
  const text = raw.normalize('NFKC').replace(/[\s,¥￥元人民币RMBrmb]/g, '');
  if (text === '' || !/^\d+(\.\d+)?$/.test(text)) return null;
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}

/** Sources publish China local time without an offset; this is the fixed +08:00 offset. */
const CHINA_OFFSET_MS = 8 * 3600_000;

/**
 * Epoch milliseconds from epoch seconds, epoch milliseconds, ISO-8601 with offset, or a China
 * local "YYYY-MM-DD[ HH:mm[:ss]]" / "YYYY年M月D日 HH:mm". Null when unreadable or implausible.
 */
export function parseTime(raw: unknown): number | null {
  if (typeof raw === 'number') return plausible(raw < 1e11 ? raw * 1000 : raw);
  if (typeof raw !== 'string') return null;
  const text = raw.normalize('NFKC').trim();
  if (text === '') return null;
  if (/^\d{9,13}$/.test(text)) return parseTime(Number(text));
  if (/[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(text)) {
    const value = Date.parse(text.replace(' ', 'T'));
    return Number.isNaN(value) ? null : plausible(value);
  }
  const local = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:\s*(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(text);
  if (!local) return null;
  const [, y, mo, d, h = '0', mi = '0', s = '0'] = local;
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > 31 || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59)
    return null;
  const utc = Date.UTC(Number(y), month - 1, day, Number(h), Number(mi), Number(s));
  if (new Date(utc).getUTCDate() !== day) return null;
  return plausible(utc - CHINA_OFFSET_MS);
}

/** Complaint platforms did not exist before 2000; a far-future time is a parsing accident. */
function plausible(ms: number): number | null {
  return Number.isFinite(ms) && ms >= Date.UTC(2000, 0, 1) && ms <= Date.UTC(2100, 0, 1) ? Math.round(ms) : null;
}

/** A rating on 1..5, or null (0 and out-of-range values mean "not rated"). */
export function parseSatisfaction(raw: unknown): number | null {
  const value = typeof raw === 'string' ? Number(raw.trim()) : raw;
  if (typeof value !== 'number' || !Number.isFinite(value)) return null;
  const rounded = Math.round(value);
  return rounded >= 1 && rounded <= 5 ? rounded : null;
}

/** sha256 over a canonical JSON rendering (sorted keys), so key order in the feed does not matter. */
export function hashRaw(raw: unknown): string {
  return createHash('sha256').update(canonicalJson(raw)).digest('hex');
}

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}
