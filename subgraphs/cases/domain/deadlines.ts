import {
  addDays,
  chinaDateOf,
  isCovered,
  isWeekend,
  isWorkingDay,
  periodNominalEnd,
  type HolidayCalendar,
} from '../../../platform/calendar/index.ts';
import type { CaseRecord } from './model.ts';

/**
 * The configurable periods of the complaint desk (config ACCEPT_/RESPONSE_DEADLINE_WORKING_DAYS,
 * APPEAL_PERIOD_DAYS).
 */
export interface CasePolicy {
  calendar: HolidayCalendar;
  acceptWorkingDays: number;
  respondWorkingDays: number;
  /** Calendar days after a rejection, reply or unresolved result during which the complainant may appeal. */
  appealPeriodDays: number;
}

/**
 * Whether `day` is a working day for a case deadline. A year the calendar does not hold yet (next
 * year's schedule is published in November) counts Monday to Friday rather than refusing a
 * filing: a deadline that is a holiday too early errs in the consumer's favour.
 */
function isCaseWorkingDay(calendar: HolidayCalendar, day: string): boolean {
  return isCovered(calendar, day) ? isWorkingDay(calendar, day) : !isWeekend(day);
}

/** The n-th working day after `from` in the shared calendar (`isCaseWorkingDay`). */
export function workingDaysAfter(calendar: HolidayCalendar, from: string, n: number): string {
  let day = from;
  let counted = 0;
  while (counted < n) {
    day = addDays(day, 1);
    if (isCaseWorkingDay(calendar, day)) counted += 1;
  }
  return day;
}

/**
 * True when a working-day deadline was counted (partly) in a year the calendar does not hold yet,
 * Monday to Friday: the date may move once that year's schedule is added, and clients must say so.
 */
export function isProvisionalDeadline(calendar: HolidayCalendar, deadline: string | null): boolean {
  return deadline !== null && !isCovered(calendar, deadline);
}

/** Acceptance is due `acceptWorkingDays` working days after the China date of `fromInstant`. */
export function acceptDeadline(policy: CasePolicy, fromInstant: string): string {
  return workingDaysAfter(policy.calendar, chinaDateOf(new Date(fromInstant)), policy.acceptWorkingDays);
}

/** The enterprise's reply is due `respondWorkingDays` working days after forwarding. */
export function respondDeadline(policy: CasePolicy, forwardedInstant: string): string {
  return workingDaysAfter(policy.calendar, chinaDateOf(new Date(forwardedInstant)), policy.respondWorkingDays);
}

/** Past the deadline it is waiting on: the due date is over in China time. */
export function isOverdue(record: Pick<CaseRecord, 'pendingDeadline'>, now: Date): boolean {
  return record.pendingDeadline !== null && chinaDateOf(now) > record.pendingDeadline;
}

/**
 * The last China date on which an appeal is still accepted after a decision taken at `decidedAt`:
 * APPEAL_PERIOD_DAYS calendar days, not counting the decision day, and, by the shared period rule
 * (Civil Code Art. 203), a last day that is a rest day moves to the next working day. In a year
 * the calendar does not hold yet, only weekends move it.
 */
export function appealOpenUntil(policy: CasePolicy, decidedAt: string): string {
  let last = periodNominalEnd(chinaDateOf(new Date(decidedAt)), { days: policy.appealPeriodDays });
  while (!isCaseWorkingDay(policy.calendar, last)) last = addDays(last, 1);
  return last;
}
