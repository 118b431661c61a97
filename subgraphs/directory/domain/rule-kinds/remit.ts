import type { Localized } from '../catalogue.ts';
import { both, sentence } from '../text.ts';
import { basisOf, type Evaluator, reason, type RuleContext } from '../rule-evaluator.ts';

/**
 * The remit rules: `outsideRemit` (the matter belongs to other channels, named) and `sharedRemit`
 * (two bodies may both take it; which one leads for the issue type).
 * Pure, like every evaluator (see ../rule-evaluator.ts); rules.ts picks it by the rule's kind.
 */

/** The other channels a remit rule names, joined for a sentence ("A、B" / "A, B"). */
function channelNames(context: RuleContext, ids: readonly string[]): Localized {
  const names = ids.map((id) => context.catalogue.byId.get(id)?.name ?? both(id, id));
  const en = names.map((name) => name.en);
  return both(
    names.map((name) => name.zh).join('、'),
    en.length > 1 ? `${en.slice(0, -1).join(', ')} and ${en.at(-1)}` : (en[0] ?? ''),
  );
}

/** English verb agreement for a list of channel names. */
const verb = (ids: readonly string[], singular: string, plural: string) => (ids.length > 1 ? plural : singular);

export const outsideRemit: Evaluator<'outsideRemit'> = (rule, context) => {
  const { channel } = context;
  const handlers = channelNames(context, rule.handledBy);
  return {
    status: 'NOT_ACCEPTED',
    reason: reason(
      context,
      rule,
      'OUTSIDE_REMIT',
      both(
        `${rule.matter.zh}不属于${channel.name.zh}的受理范围，由${handlers.zh}处理`,
        `${rule.matter.en} is outside the remit of ${channel.name.en}; ` +
          `${handlers.en} ${verb(rule.handledBy, 'handles', 'handle')} it`,
      ),
    ),
    nextStep: sentence(
      both(`请改向${handlers.zh}投诉`, `Take the matter to ${handlers.en} instead`),
      basisOf(context, rule),
    ),
  };
};

export const sharedRemit: Evaluator<'sharedRemit'> = (rule, context) => {
  const { channel } = context;
  const others = channelNames(context, rule.sharedWith);
  const lead = rule.leads
    ? both(`此类问题以${channel.name.zh}为主`, `for this kind of issue ${channel.name.en} leads`)
    : both(
        `此类问题以${others.zh}为主`,
        `for this kind of issue ${others.en} ${verb(rule.sharedWith, 'leads', 'lead')}`,
      );
  return {
    status: 'MET',
    leads: rule.leads,
    reason: reason(
      context,
      rule,
      'SHARED_REMIT',
      both(
        `${rule.matter.zh}：${channel.name.zh}和${others.zh}都可能受理；${lead.zh}`,
        `${rule.matter.en}: both ${channel.name.en} and ${others.en} may take it; ${lead.en}`,
      ),
    ),
  };
};
