/**
 * Calendar-date arithmetic on `YYYY-MM-DD` strings. A date here is a day in China Standard Time,
 * not an instant: it is computed on UTC midnights so that no host time zone or DST can shift it.
 */

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;
const CHINA_OFFSET_MS = 8 * 3_600_000;

/** True for a real calendar date written `YYYY-MM-DD` (rejects 2026-02-30). */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = DATE_PATTERN.exec(value);
  if (!match) return false;
  const [, y, m, d] = match;
  const probe = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  return (
    probe.getUTCFullYear() === Number(y) && probe.getUTCMonth() === Number(m) - 1 && probe.getUTCDate() === Number(d)
  );
}

function toUtcMs(date: string): number {
  if (!isIsoDate(date)) throw new RangeError(`Not a YYYY-MM-DD date: ${JSON.stringify(date)}`);
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
}

function fromUtcMs(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Days since 1970-01-01 (a Thursday); the calendar iterates on these to avoid building strings. */
export function toDayNumber(date: string): number {
  return toUtcMs(date) / DAY_MS;
}

export function fromDayNumber(day: number): string {
  return fromUtcMs(day * DAY_MS);
}

/** 0 = Sunday … 6 = Saturday, for a day number. */
export function dayOfWeekOfDayNumber(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

export function yearOf(date: string): number {
  return Number(date.slice(0, 4));
}

/** 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(date: string): number {
  return new Date(toUtcMs(date)).getUTCDay();
}

export function isWeekend(date: string): boolean {
  const day = dayOfWeek(date);
  return day === 0 || day === 6;
}

export function addDays(date: string, days: number): string {
  return fromUtcMs(toUtcMs(date) + days * DAY_MS);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((toUtcMs(to) - toUtcMs(from)) / DAY_MS);
}

/**
 * The same day `months` later; when that month is shorter, its last day (Civil Code Art. 202:
 * 2026-01-31 plus one month is 2026-02-28).
 */
export function addMonthsClamped(date: string, months: number): string {
  const y = yearOf(date);
  const m = Number(date.slice(5, 7)) - 1 + months;
  const d = Number(date.slice(8, 10));
  const targetYear = y + Math.floor(m / 12);
  const targetMonth = ((m % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(targetYear, targetMonth + 1, 0)).getUTCDate();
  return fromUtcMs(Date.UTC(targetYear, targetMonth, Math.min(d, lastDay)));
}

/** Date strings compare correctly as strings; these helpers make call sites read as intent. */
export function isBefore(a: string, b: string): boolean {
  return a < b;
}

export function isAfter(a: string, b: string): boolean {
  return a > b;
}

export function maxDate(a: string, b: string): string {
  return a > b ? a : b;
}

export function minDate(a: string, b: string): string {
  return a < b ? a : b;
}

/** Today's date in China Standard Time for the instant `now` (only resolvers read the clock). */
export function chinaDateOf(now: Date): string {
  return fromUtcMs(Math.floor((now.getTime() + CHINA_OFFSET_MS) / DAY_MS) * DAY_MS);
}
