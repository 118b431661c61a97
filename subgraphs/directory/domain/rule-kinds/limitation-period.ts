import type { Period } from '../../../../platform/calendar/calendar.ts';
import { both } from '../text.ts';
import { type Evaluator, periodEnd, provisionalNote, reason } from '../rule-evaluator.ts';

/**
 * The `limitationPeriod` rule: a channel takes a matter only until its limitation period ends.
 * Pure, like every evaluator (see ../rule-evaluator.ts); rules.ts picks it by the rule's kind.
 */

export const limitationPeriod: Evaluator<'limitationPeriod'> = (rule, context) => {
  const { situation, asOf, calendar } = context;
  const knowledge = rule.from === 'KNOWLEDGE';
  const start = knowledge ? (situation.knewOn ?? situation.occurredOn) : situation.occurredOn;
  const period: Period =
    rule.days !== undefined
      ? { days: rule.days }
      : rule.months !== undefined
        ? { months: rule.months }
        : { years: rule.years ?? 0 };
  const length =
    'days' in period
      ? both(`${period.days}日`, `${period.days}-day`)
      : 'months' in period
        ? both(`${period.months}个月`, `${period.months}-month`)
        : both(`${period.years}年`, `${period.years}-year`);
  const since = knowledge
    ? both(`自知道或应当知道权益受损（${start}）起`, `from when you knew or should have known of the harm (${start})`)
    : both(`自事发（${start}）起`, `from the event (${start})`);
  const end = periodEnd(calendar, start, period);
  const note = provisionalNote(end.provisional);
  if (asOf > end.date) {
    return {
      status: 'NOT_ACCEPTED',
      provisional: end.provisional,
      reason: reason(
        context,
        rule,
        'LIMITATION_EXPIRED',
        both(
          `${since.zh}${length.zh}的期限已于${end.date}届满${note.zh}`,
          `The ${length.en} period ${since.en} ended on ${end.date}${note.en}`,
        ),
      ),
    };
  }
  return {
    status: 'MET',
    fileBy: end.date,
    provisional: end.provisional,
    reason: reason(
      context,
      rule,
      'LIMITATION_RUNNING',
      both(
        `${since.zh}${length.zh}内可以投诉，最晚${end.date}${note.zh}`,
        `The ${length.en} period ${since.en} lets you file until ${end.date}${note.en}`,
      ),
    ),
  };
};
