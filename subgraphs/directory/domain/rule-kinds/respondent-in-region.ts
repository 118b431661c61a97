import { both } from '../text.ts';
import { type Evaluator, reason } from '../rule-evaluator.ts';

/**
 * The `respondentInRegion` rule: a channel serves businesses of one region only.
 * Pure, like every evaluator (see ../rule-evaluator.ts); rules.ts picks it by the rule's kind.
 */

export const respondentInRegion: Evaluator<'respondentInRegion'> = (rule, context) => {
  const region = context.situation.region?.trim();
  if (!region) {
    return {
      status: 'NEEDS_INFORMATION',
      missing: ['RESPONDENT_REGION'],
      reason: reason(
        context,
        rule,
        'INFORMATION_MISSING',
        both(
          `本渠道只受理${rule.region.zh}的商家，需要知道商家所在地区`,
          `This channel only handles businesses in ${rule.region.en}; where the business is located is needed`,
        ),
      ),
    };
  }
  const folded = region.normalize('NFKC').toLowerCase();
  if (rule.regionNames.some((name) => folded.includes(name.normalize('NFKC').toLowerCase()))) {
    return {
      status: 'MET',
      reason: reason(
        context,
        rule,
        'REGION_MATCHES',
        both(
          `商家位于${rule.region.zh}，属本渠道受理范围`,
          `The business is in ${rule.region.en}, which this channel serves`,
        ),
      ),
    };
  }
  return {
    status: 'NOT_ACCEPTED',
    reason: reason(
      context,
      rule,
      'REGION_OUT_OF_SCOPE',
      both(
        `本渠道只受理${rule.region.zh}的商家，而商家位于“${region}”`,
        `This channel only handles businesses in ${rule.region.en}, and this one is in "${region}"`,
      ),
    ),
  };
};
