import { addWorkingDays, CalendarNotCoveredError, type HolidayCalendar } from '../../../platform/calendar/calendar.ts';
import type { RuleVersion, TimeLimit } from './catalogue.ts';
import { periodEnd } from './rule-evaluator.ts';

/** The deadline calculator: each time limit's last day, counted from the day its starting event happens. */

export interface TimeLimitDeadline {
  timeLimit: TimeLimit;
  /** The day the limit starts counting from. */
  startsOn: string;
  /** Its last day; null when unknown (no confirmed figure) or not computable (uncovered year). */
  dueOn: string | null;
  /** Set when dueOn could not be computed because the holiday calendar lacks this year. */
  notCoveredYear: number | null;
}

/** Each time limit's last day if its starting event happens on `startsOn` (the deadline calculator). */
export function timeLimitDeadlines(
  calendar: HolidayCalendar,
  version: RuleVersion,
  startsOn: string,
  onlyStartingAt?: TimeLimit['startsAt'],
): TimeLimitDeadline[] {
  const limits = onlyStartingAt
    ? version.timeLimits.filter((limit) => limit.startsAt === onlyStartingAt)
    : version.timeLimits;
  return limits.map((timeLimit) => {
    if (timeLimit.days === null) return { timeLimit, startsOn, dueOn: null, notCoveredYear: null };
    if (timeLimit.dayKind === 'CALENDAR') {
      const end = periodEnd(calendar, startsOn, { days: timeLimit.days });
      return {
        timeLimit,
        startsOn,
        dueOn: end.provisional ? null : end.date,
        notCoveredYear: end.provisional ? Number(end.date.slice(0, 4)) : null,
      };
    }
    try {
      return { timeLimit, startsOn, dueOn: addWorkingDays(calendar, startsOn, timeLimit.days), notCoveredYear: null };
    } catch (error) {
      if (error instanceof CalendarNotCoveredError)
        return { timeLimit, startsOn, dueOn: null, notCoveredYear: error.year };
      throw error;
    }
  });
}
