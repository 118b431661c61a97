import type { Rule, RuleKind } from './catalogue.ts';
import type { Evaluator, RuleContext, RuleOutcome } from './rule-evaluator.ts';
import { contactBusinessFirst } from './rule-kinds/contact-business-first.ts';
import { limitationPeriod } from './rule-kinds/limitation-period.ts';
import { notAlreadyBefore } from './rule-kinds/not-already-before.ts';
import { outsideRemit, sharedRemit } from './rule-kinds/remit.ts';
import { requiredFacts } from './rule-kinds/required-facts.ts';
import { respondentInRegion } from './rule-kinds/respondent-in-region.ts';
import type { Situation } from './situation.ts';

/**
 * One evaluator per rule KIND, never per channel: a channel's behaviour comes entirely from the
 * rules in its data file. Each evaluator is pure and returns an outcome with its reason.
 * Each kind's evaluator is in rule-kinds/; the context and outcome shapes are in rule-evaluator.ts.
 */

const evaluators: { [K in RuleKind]: Evaluator<K> } = {
  contactBusinessFirst,
  limitationPeriod,
  notAlreadyBefore,
  requiredFacts,
  respondentInRegion,
  outsideRemit,
  sharedRemit,
};

/** Whether a rule's `appliesTo` scope covers the situation (absent lists mean "all"). */
export function ruleApplies(rule: Rule, situation: Situation): boolean {
  const scope = rule.appliesTo;
  if (scope.issueTypes && !scope.issueTypes.includes(situation.issueType)) return false;
  if (scope.exceptIssueTypes?.includes(situation.issueType)) return false;
  if (scope.industries && !scope.industries.includes(situation.industry)) return false;
  return true;
}

export function evaluateRule(rule: Rule, context: RuleContext): RuleOutcome {
  return (evaluators[rule.kind] as Evaluator<RuleKind>)(rule as never, context);
}
