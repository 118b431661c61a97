import { both, listProceedings } from '../text.ts';
import { type Evaluator, reason } from '../rule-evaluator.ts';

/**
 * The `notAlreadyBefore` rule: a channel refuses a matter already before certain other bodies.
 * Pure, like every evaluator (see ../rule-evaluator.ts); rules.ts picks it by the rule's kind.
 */

export const notAlreadyBefore: Evaluator<'notAlreadyBefore'> = (rule, context) => {
  const blocking = rule.proceedings.filter((proceeding) => context.proceedings.has(proceeding));
  if (blocking.includes('SETTLED')) {
    // A settlement is not a body the matter is "before": it leaves no dispute to take up.
    return {
      status: 'NOT_ACCEPTED',
      reason: reason(
        context,
        rule,
        'ALREADY_BEFORE_OTHER_BODY',
        both(
          '你已与商家和解并已履行，已没有需要本渠道处理的争议',
          'You settled with the business and the settlement was carried out, so no dispute is left for this channel',
        ),
      ),
    };
  }
  if (blocking.length > 0) {
    const list = listProceedings(blocking);
    return {
      status: 'NOT_ACCEPTED',
      reason: reason(
        context,
        rule,
        'ALREADY_BEFORE_OTHER_BODY',
        both(
          `该事项已由${list.zh}处理，本渠道不再受理`,
          `The matter is already before ${list.en}, so this channel does not take it`,
        ),
      ),
    };
  }
  const list = listProceedings(rule.proceedings);
  return {
    status: 'MET',
    reason: reason(
      context,
      rule,
      'NO_PARALLEL_PROCEEDING',
      both(
        `已由${list.zh}处理的事项不予受理；你未说明有此情况`,
        `Not taken when the matter is already with ${list.en}; you have not said it is`,
      ),
    ),
  };
};
