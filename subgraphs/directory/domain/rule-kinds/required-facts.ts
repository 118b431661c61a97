import { both, listItems } from '../text.ts';
import { type Evaluator, reason } from '../rule-evaluator.ts';

/**
 * The `requiredFacts` rule: the information a channel needs before it can decide.
 * Pure, like every evaluator (see ../rule-evaluator.ts); rules.ts picks it by the rule's kind.
 */

export const requiredFacts: Evaluator<'requiredFacts'> = (rule, context) => {
  const missing = rule.items.filter((item) => !context.provided.has(item));
  // A consumer who has not said what they have ready is asking "may I complain?", not "is my file
  // complete?": the checklist is listed, but it must not push every regulator below a channel that
  // happens to publish no checklist.
  if (missing.length > 0 && context.situation.prepared == null) {
    return {
      status: 'MET',
      reason: reason(
        context,
        rule,
        'INFORMATION_TO_PREPARE',
        both(`投诉时须提供：${listItems(missing).zh}`, `Your complaint must contain: ${listItems(missing).en}`),
      ),
    };
  }
  if (missing.length > 0) {
    const list = listItems(missing);
    return {
      status: 'NEEDS_INFORMATION',
      missing,
      reason: reason(
        context,
        rule,
        'INFORMATION_MISSING',
        both(`缺少受理所需的信息：${list.zh}`, `Information needed for acceptance is missing: ${list.en}`),
      ),
    };
  }
  return {
    status: 'MET',
    reason: reason(
      context,
      rule,
      'INFORMATION_COMPLETE',
      both(
        `受理所需的信息（${listItems(rule.items).zh}）已具备`,
        `The information needed for acceptance (${listItems(rule.items).en}) is there`,
      ),
    ),
  };
};
