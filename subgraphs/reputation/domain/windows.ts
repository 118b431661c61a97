/**
 * Statistics windows, all in China Standard Time (UTC+08:00, no daylight saving): a complaint
 * filed at 23:30 in Beijing belongs to that Beijing day, whatever the server's time zone. A day is
 * counted as an integer "CST day number" (days since 1970-01-01 in CST), so windows are plain
 * inclusive integer ranges that SQL and aggregation pipelines can compare cheaply.
 */
export const CST_OFFSET_MS = 8 * 3600_000;
export const DAY_MS = 86_400_000;

export const ReputationWindow = {
  LAST_7_DAYS: 'LAST_7_DAYS',
  LAST_30_DAYS: 'LAST_30_DAYS',
  LAST_90_DAYS: 'LAST_90_DAYS',
  LAST_365_DAYS: 'LAST_365_DAYS',
  ALL_TIME: 'ALL_TIME',
} as const;
export type ReputationWindow = (typeof ReputationWindow)[keyof typeof ReputationWindow];
export const REPUTATION_WINDOWS = Object.values(ReputationWindow);

const ROLLING_DAYS: Record<Exclude<ReputationWindow, 'ALL_TIME'>, number> = {
  LAST_7_DAYS: 7,
  LAST_30_DAYS: 30,
  LAST_90_DAYS: 90,
  LAST_365_DAYS: 365,
};

/** ALL_TIME starts at the first CST day we can represent; no listing predates it. */
export const ALL_TIME_FIRST_DAY = 0;

/** An inclusive range of CST days, with what it is called in a methodology. */
export interface DayRange {
  fromDay: number;
  toDay: number;
  /** e.g. LAST_90_DAYS, MONTH 2026-10, QUARTER 2026-Q3. */
  label: string;
}

/** The CST day number of an instant given in epoch milliseconds. */
export function cstDay(epochMs: number): number {
  return Math.floor((epochMs + CST_OFFSET_MS) / DAY_MS);
}

/** Milliseconds from `epochMs` to the next midnight in China Standard Time (the rolling windows move then). */
export function msUntilNextCstDay(epochMs: number): number {
  return (cstDay(epochMs) + 1) * DAY_MS - CST_OFFSET_MS - epochMs;
}

/** YYYY-MM-DD of a CST day number. */
export function cstDate(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The CST day number of a YYYY-MM-DD date, or null when it is not a real calendar date. */
export function parseCstDate(date: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return null;
  const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  if (Number.isNaN(ms) || cstDate(ms / DAY_MS) !== date) return null;
  return ms / DAY_MS;
}

/**
 * A rolling window ending on (and including) the CST day of `asOf`. LAST_7_DAYS on 2026-11-22 is
 * 2026-11-16..2026-11-22: today counts, although it is not over yet.
 */
export function rollingWindow(window: ReputationWindow, asOf: number): DayRange {
  const today = cstDay(asOf);
  if (window === ReputationWindow.ALL_TIME) return { fromDay: ALL_TIME_FIRST_DAY, toDay: today, label: window };
  return { fromDay: today - ROLLING_DAYS[window] + 1, toDay: today, label: window };
}

/** The window of the same length just before `range`; ALL_TIME has none. */
export function previousRange(range: DayRange): DayRange | null {
  if (range.fromDay <= ALL_TIME_FIRST_DAY) return null;
  const monthly = /^MONTH (\d{4}-\d{2})$/.exec(range.label);
  if (monthly) return monthRange(shiftMonth(monthly[1], -1));
  const quarterly = /^QUARTER (\d{4})-Q([1-4])$/.exec(range.label);
  if (quarterly) {
    const year = Number(quarterly[1]);
    const quarter = Number(quarterly[2]);
    return quarterRange(quarter === 1 ? `${year - 1}-Q4` : `${year}-Q${quarter - 1}`);
  }
  const length = range.toDay - range.fromDay + 1;
  return { fromDay: range.fromDay - length, toDay: range.fromDay - 1, label: `PREVIOUS ${range.label}` };
}

function shiftMonth(month: string, by: number): string {
  const [year, m] = month.split('-').map(Number);
  const index = year * 12 + (m - 1) + by;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** A calendar month YYYY-MM in CST, or null when malformed. */
export function monthRange(month: string): DayRange | null {
  const match = /^(\d{4})-(\d{2})$/.exec(month);
  if (!match || Number(match[2]) < 1 || Number(match[2]) > 12) return null;
  const fromDay = Date.UTC(Number(match[1]), Number(match[2]) - 1, 1) / DAY_MS;
  const toDay = Date.UTC(Number(match[1]), Number(match[2]), 1) / DAY_MS - 1;
  return { fromDay, toDay, label: `MONTH ${month}` };
}

/** A calendar quarter YYYY-Qn in CST, or null when malformed. */
export function quarterRange(quarter: string): DayRange | null {
  const match = /^(\d{4})-Q([1-4])$/.exec(quarter);
  if (!match) return null;
  const firstMonth = (Number(match[2]) - 1) * 3;
  const fromDay = Date.UTC(Number(match[1]), firstMonth, 1) / DAY_MS;
  const toDay = Date.UTC(Number(match[1]), firstMonth + 3, 1) / DAY_MS - 1;
  return { fromDay, toDay, label: `QUARTER ${quarter}` };
}

/** First CST day of each year from FIRST_TABLE_YEAR on: year lookups run once per listing in a rebuild. */
const FIRST_TABLE_YEAR = 1970;
const YEAR_STARTS = Int32Array.from({ length: 232 }, (_, i) => Date.UTC(FIRST_TABLE_YEAR + i, 0, 1) / DAY_MS);

/** The calendar year (CST) of a CST day: rollups are stored per enterprise and year. */
export function yearOfDay(day: number): number {
  if (day < YEAR_STARTS[0] || day >= YEAR_STARTS[YEAR_STARTS.length - 1])
    return new Date(day * DAY_MS).getUTCFullYear();
  let lo = 0;
  let hi = YEAR_STARTS.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (YEAR_STARTS[mid] <= day) lo = mid;
    else hi = mid;
  }
  return FIRST_TABLE_YEAR + lo;
}

/** The CST days of a calendar year. */
export function yearDays(year: number): { fromDay: number; toDay: number } {
  const i = year - FIRST_TABLE_YEAR;
  if (i >= 0 && i + 1 < YEAR_STARTS.length) return { fromDay: YEAR_STARTS[i], toDay: YEAR_STARTS[i + 1] - 1 };
  return { fromDay: Date.UTC(year, 0, 1) / DAY_MS, toDay: Date.UTC(year + 1, 0, 1) / DAY_MS - 1 };
}

/** The month (YYYY-MM, CST) an instant falls in. */
export function cstMonth(epochMs: number): string {
  return cstDate(cstDay(epochMs)).slice(0, 7);
}

/** The exact bounds of a range as a methodology states them: dates and instants with the +08:00 offset. */
export interface RangeDescription {
  label: string;
  from: string;
  to: string;
  startsAt: string;
  endsBefore: string;
  timeZone: 'Asia/Shanghai (UTC+08:00)';
}

export function describeRange(range: DayRange): RangeDescription {
  return {
    label: range.label,
    from: cstDate(range.fromDay),
    to: cstDate(range.toDay),
    startsAt: `${cstDate(range.fromDay)}T00:00:00+08:00`,
    endsBefore: `${cstDate(range.toDay + 1)}T00:00:00+08:00`,
    timeZone: 'Asia/Shanghai (UTC+08:00)',
  };
}
