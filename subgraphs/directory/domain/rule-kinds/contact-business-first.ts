import {
  addWorkingDays,
  CalendarNotCoveredError,
  type HolidayCalendar,
} from '../../../../platform/calendar/calendar.ts';
import { addDays } from '../../../../platform/calendar/dates.ts';
import type { DayKind } from '../catalogue.ts';
import { both, dayCount, sentence } from '../text.ts';
import { basisOf, type Evaluator, periodEnd, provisionalNote, reason } from '../rule-evaluator.ts';

/**
 * The `contactBusinessFirst` rule: the business must be asked first and given its handling period.
 * Pure, like every evaluator (see ../rule-evaluator.ts); rules.ts picks it by the rule's kind.
 */

/** The last day of the business's own period: Civil Code days, or working days (nominal when uncovered). */
function businessPeriodEnd(
  calendar: HolidayCalendar,
  from: string,
  days: number,
  kind: DayKind,
): { date: string; provisional: boolean } {
  if (kind === 'CALENDAR') return periodEnd(calendar, from, { days });
  try {
    return { date: addWorkingDays(calendar, from, days), provisional: false };
  } catch (error) {
    // Five working days a week is the nominal estimate; the answer is flagged provisional.
    if (error instanceof CalendarNotCoveredError)
      return { date: addDays(from, Math.ceil((days * 7) / 5)), provisional: true };
    throw error;
  }
}

export const contactBusinessFirst: Evaluator<'contactBusinessFirst'> = (rule, context) => {
  const { situation, asOf, calendar, channel } = context;
  const days = dayCount(rule.days, rule.dayKind);
  const outcome = situation.businessOutcome ?? (situation.contactedBusinessOn ? 'PENDING' : null);
  const name = channel.name;
  if (outcome === 'SATISFIED') {
    return {
      status: 'NOT_ACCEPTED',
      reason: reason(
        context,
        rule,
        'BUSINESS_RESOLVED',
        both(
          '商家已解决且你表示满意，不符合申诉条件',
          'The business resolved it to your satisfaction, so there is nothing left to appeal',
        ),
      ),
    };
  }
  if (outcome === 'UNSATISFIED') {
    return {
      status: 'MET',
      reason: reason(
        context,
        rule,
        'BUSINESS_REPLY_UNSATISFIED',
        both(
          '已先向商家投诉，且对其处理结果不满意，满足先行投诉的条件',
          'You complained to the business first and are unsatisfied with its answer, which meets the ' +
            '"business first" condition',
        ),
      ),
    };
  }
  if (outcome === null) {
    const end = businessPeriodEnd(calendar, asOf, rule.days, rule.dayKind);
    const eligibleFrom = addDays(end.date, 1);
    const legalBasis = basisOf(context, rule);
    return {
      status: 'NOT_YET',
      eligibleFrom,
      provisional: end.provisional,
      reason: reason(
        context,
        rule,
        'CONTACT_BUSINESS_FIRST',
        both(
          `须先向商家投诉；商家${days.zh}内未处理或处理不满意的，才可向${name.zh}投诉`,
          `You must complain to the business first; ${name.en} takes the matter only if the business ` +
            `has not dealt with it within ${days.en} or you are unsatisfied with its answer`,
        ),
      ),
      nextStep: sentence(
        both(
          `先向商家书面投诉并保留记录。如果今天（${asOf}）投诉而商家到${end.date}仍未答复` +
            `${provisionalNote(end.provisional).zh}，可从${eligibleFrom}起向${name.zh}投诉；` +
            '商家提前答复但你不满意的，可立即投诉',
          `Complain to the business first, in writing, and keep a record. If you do so today (${asOf}) ` +
            `and it has not replied by ${end.date}${provisionalNote(end.provisional).en}, you can ` +
            `complain to ${name.en} from ${eligibleFrom}; if it answers earlier and you are unsatisfied, ` +
            `you can go on at once`,
        ),
        legalBasis,
      ),
    };
  }
  // NO_REPLY or PENDING: the business's own period decides.
  if (!situation.contactedBusinessOn) {
    return {
      status: 'NEEDS_INFORMATION',
      missing: ['BUSINESS_CONTACT_DATE'],
      reason: reason(
        context,
        rule,
        'INFORMATION_MISSING',
        both(
          `需要知道你向商家投诉的日期，才能判断商家的${days.zh}处理期是否已过`,
          `The date you complained to the business is needed to tell whether its ${days.en} have passed`,
        ),
      ),
    };
  }
  const end = businessPeriodEnd(calendar, situation.contactedBusinessOn, rule.days, rule.dayKind);
  if (asOf > end.date) {
    return {
      status: 'MET',
      reason: reason(
        context,
        rule,
        'BUSINESS_PERIOD_PASSED',
        both(
          `你于${situation.contactedBusinessOn}向商家投诉，商家到${end.date}仍未解决，满足先行投诉的条件`,
          `You complained to the business on ${situation.contactedBusinessOn} and it had not settled ` +
            `the matter by ${end.date}, which meets the "business first" condition`,
        ),
      ),
    };
  }
  const eligibleFrom = addDays(end.date, 1);
  return {
    status: 'NOT_YET',
    eligibleFrom,
    provisional: end.provisional,
    reason: reason(
      context,
      rule,
      'WAITING_FOR_BUSINESS',
      both(
        `你于${situation.contactedBusinessOn}向商家投诉，商家的${days.zh}处理期到${end.date}为止${provisionalNote(end.provisional).zh}`,
        `You complained to the business on ${situation.contactedBusinessOn}; its ${days.en} run until ` +
          `${end.date}${provisionalNote(end.provisional).en}`,
      ),
    ),
    nextStep: sentence(
      both(
        `如果商家到${end.date}仍未答复，可从${eligibleFrom}起向${name.zh}投诉；商家答复但你不满意的，可立即投诉`,
        `If the business has not replied by ${end.date}, you can complain to ${name.en} from ${eligibleFrom}; ` +
          `if it answers and you are unsatisfied, you can go on at once`,
      ),
      basisOf(context, rule),
    ),
  };
};
