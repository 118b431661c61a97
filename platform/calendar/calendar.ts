import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import {
  addDays,
  addMonthsClamped,
  dayOfWeekOfDayNumber,
  fromDayNumber,
  isIsoDate,
  isWeekend,
  toDayNumber,
  yearOf,
} from './dates.ts';

/**
 * China's working-day calendar and the Civil Code's way of counting periods (Art. 201–203).
 * The holidays are data (`holidays.yaml`), replaced each year when the State Council publishes
 * the next schedule; a date in a year the data does not hold is an error, never an ordinary day,
 * because guessing would silently give a wrong deadline.
 */

export const DEFAULT_HOLIDAY_CALENDAR_PATH = fileURLToPath(new URL('./holidays.yaml', import.meta.url));

const isoDate = z.string().refine(isIsoDate, 'a date written YYYY-MM-DD');
const localizedName = z.object({ zh: z.string().min(1), en: z.string().min(1) });

const holidaySchema = z
  .object({
    name: localizedName,
    from: isoDate,
    to: isoDate,
    workedWeekendDays: z.array(isoDate).default([]),
  })
  .superRefine((holiday, ctx) => {
    if (holiday.from > holiday.to) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: `a last day on or after "from" (${holiday.from})` });
    }
    holiday.workedWeekendDays.forEach((day, index) => {
      if (!isWeekend(day)) {
        ctx.addIssue({
          code: 'custom',
          path: ['workedWeekendDays', index],
          message: `a Saturday or Sunday, got ${day}`,
        });
      }
    });
  });

const yearSchema = z
  .object({
    year: z.number().int().min(2000).max(2100),
    source: z.object({ title: z.string().min(1), published: isoDate, note: z.string().optional() }),
    holidays: z.array(holidaySchema).min(1),
  })
  .superRefine((entry, ctx) => {
    entry.holidays.forEach((holiday, index) => {
      for (const field of ['from', 'to'] as const) {
        if (yearOf(holiday[field]) !== entry.year) {
          ctx.addIssue({
            code: 'custom',
            path: ['holidays', index, field],
            message: `a date in ${entry.year}, got ${holiday[field]}`,
          });
        }
      }
    });
  });

const calendarFileSchema = z.object({ years: z.array(yearSchema).min(1) }).superRefine((file, ctx) => {
  const seen = new Set<number>();
  file.years.forEach((entry, index) => {
    if (seen.has(entry.year))
      ctx.addIssue({
        code: 'custom',
        path: ['years', index, 'year'],
        message: `each year once, got ${entry.year} twice`,
      });
    seen.add(entry.year);
  });
});

export type HolidayCalendarFile = z.infer<typeof calendarFileSchema>;

export interface HolidayCalendar {
  /** Years whose schedule is known; any date outside them raises CalendarNotCoveredError. */
  readonly coveredYears: readonly number[];
  /** Statutory days off (法定节假日 as scheduled, including the swapped weekend days). */
  readonly daysOff: ReadonlySet<string>;
  /** Saturdays and Sundays that are working days (调休上班). */
  readonly workedWeekendDays: ReadonlySet<string>;
  /** Where each year's schedule comes from. */
  readonly sources: ReadonlyMap<number, { title: string; published: string; note?: string }>;
  /** The same facts as day numbers (see dates.ts), for counting without building strings. */
  readonly index: {
    readonly daysOff: ReadonlySet<number>;
    readonly workedWeekendDays: ReadonlySet<number>;
    /** First and last day number of each covered year. */
    readonly coveredRanges: readonly (readonly [number, number])[];
  };
}

/** A date in a year the calendar does not hold. `year` tells the caller which schedule is missing. */
export class CalendarNotCoveredError extends Error {
  readonly year: number;
  readonly date: string;
  constructor(date: string, coveredYears: readonly number[]) {
    super(`The holiday calendar does not cover ${yearOf(date)} (date ${date}); it covers ${coveredYears.join(', ')}.`);
    this.name = 'CalendarNotCoveredError';
    this.year = yearOf(date);
    this.date = date;
  }
}

export class HolidayCalendarFileError extends Error {}

/** Builds a calendar from already-parsed data (tests use it for synthetic schedules). */
export function buildHolidayCalendar(data: unknown, origin = 'holiday calendar'): HolidayCalendar {
  const parsed = calendarFileSchema.safeParse(data);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: expected ${issue.message}`);
    throw new HolidayCalendarFileError(`Invalid ${origin}:\n${lines.join('\n')}`);
  }
  const daysOff = new Set<string>();
  const workedWeekendDays = new Set<string>();
  const sources = new Map<number, { title: string; published: string; note?: string }>();
  for (const entry of parsed.data.years) {
    sources.set(entry.year, entry.source);
    for (const holiday of entry.holidays) {
      for (let day = holiday.from; day <= holiday.to; day = addDays(day, 1)) daysOff.add(day);
      for (const day of holiday.workedWeekendDays) workedWeekendDays.add(day);
    }
  }
  for (const day of workedWeekendDays) {
    if (daysOff.has(day))
      throw new HolidayCalendarFileError(
        `Invalid ${origin}: ${day} is listed both as a day off and as a worked weekend day.`,
      );
  }
  const coveredYears = parsed.data.years.map((entry) => entry.year).sort((a, b) => a - b);
  return {
    coveredYears,
    daysOff,
    workedWeekendDays,
    sources,
    index: {
      daysOff: new Set([...daysOff].map(toDayNumber)),
      workedWeekendDays: new Set([...workedWeekendDays].map(toDayNumber)),
      coveredRanges: coveredYears.map((year) => [toDayNumber(`${year}-01-01`), toDayNumber(`${year}-12-31`)] as const),
    },
  };
}

/** Reads and validates the YAML calendar; a broken file fails with the field and what was expected. */
export function loadHolidayCalendar(path: string = DEFAULT_HOLIDAY_CALENDAR_PATH): HolidayCalendar {
  return buildHolidayCalendar(parseYaml(readFileSync(path, 'utf8')), path);
}

export function isCovered(calendar: HolidayCalendar, date: string): boolean {
  return calendar.coveredYears.includes(yearOf(date));
}

function assertCovered(calendar: HolidayCalendar, date: string): void {
  if (!isIsoDate(date)) throw new RangeError(`Not a YYYY-MM-DD date: ${JSON.stringify(date)}`);
  if (!isCovered(calendar, date)) throw new CalendarNotCoveredError(date, calendar.coveredYears);
}

function isWorkingDayNumber(calendar: HolidayCalendar, day: number): boolean {
  const { index } = calendar;
  if (!index.coveredRanges.some(([first, last]) => day >= first && day <= last)) {
    const date = fromDayNumber(day);
    throw new CalendarNotCoveredError(date, calendar.coveredYears);
  }
  if (index.daysOff.has(day)) return false;
  if (index.workedWeekendDays.has(day)) return true;
  const weekday = dayOfWeekOfDayNumber(day);
  return weekday !== 0 && weekday !== 6;
}

/** Monday to Friday unless scheduled off, plus the weekend days declared working days. */
export function isWorkingDay(calendar: HolidayCalendar, date: string): boolean {
  assertCovered(calendar, date);
  return isWorkingDayNumber(calendar, toDayNumber(date));
}

/** The `n`-th working day after `from` (`from` itself is never counted; n = 0 gives `from`). */
export function addWorkingDays(calendar: HolidayCalendar, from: string, n: number): string {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`A whole number of working days ≥ 0 is needed, got ${n}`);
  assertCovered(calendar, from);
  let day = toDayNumber(from);
  let counted = 0;
  while (counted < n) {
    day += 1;
    if (isWorkingDayNumber(calendar, day)) counted += 1;
  }
  return fromDayNumber(day);
}

/** A period as the Civil Code states them: a number of days, months or years. */
export type Period = { days: number } | { months: number } | { years: number };

/**
 * The last day of a period under Civil Code Art. 201–202, before any holiday shift: the start
 * day is not counted, and months or years end on the corresponding day (or the month's last day).
 * Needs no calendar, so it is usable for any year.
 */
export function periodNominalEnd(from: string, period: Period): string {
  if (!isIsoDate(from)) throw new RangeError(`Not a YYYY-MM-DD date: ${JSON.stringify(from)}`);
  const amount = 'days' in period ? period.days : 'months' in period ? period.months : period.years;
  if (!Number.isInteger(amount) || amount < 0)
    throw new RangeError(`A whole, non-negative period is needed, got ${amount}`);
  if ('days' in period) return addDays(from, period.days);
  if ('months' in period) return addMonthsClamped(from, period.months);
  return addMonthsClamped(from, period.years * 12);
}

/**
 * The last day of a period under Civil Code Art. 201–203. When the nominal last day is a
 * statutory rest day (a scheduled holiday or an ordinary weekend day that is not worked: courts
 * read 法定休假日 as including the weekly rest days), the period ends on the next working day.
 * Throws CalendarNotCoveredError when that check reaches a year the calendar does not hold.
 */
export function addPeriod(calendar: HolidayCalendar, from: string, period: Period): string {
  let last = toDayNumber(periodNominalEnd(from, period));
  while (!isWorkingDayNumber(calendar, last)) last += 1;
  return fromDayNumber(last);
}
