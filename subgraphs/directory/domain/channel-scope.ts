import type { Industry } from '../../../platform/vocabulary.ts';
import { Standing, type Channel } from './catalogue.ts';
import type { Situation } from './situation.ts';

/**
 * Which channels a situation reaches (industry, issue type, named businesses) and the standing
 * order used wherever channels are listed (standing, then specificity, then id).
 */

/** Whether a channel's scope covers an industry (a null industry matches general-purpose channels only). */
export function channelCoversIndustry(channel: Channel, industry: Industry | null): boolean {
  if (channel.scope.industries === 'ALL') return true;
  return industry !== null && channel.scope.industries.includes(industry);
}

const fold = (value: string) => value.normalize('NFKC').toLowerCase();

/** Each channel's business names and each situation's names, folded once: scope checks run per channel. */
const foldedNames = new WeakMap<Channel, string[]>();
const foldedSaid = new WeakMap<object, string[]>();

/** A channel limited to named businesses (a marketplace, airlines) applies only when the situation names one. */
function businessNamed(channel: Channel, situation: Pick<Situation, 'platform' | 'respondent'>): boolean {
  const names = channel.scope.businessNames;
  if (!names) return true;
  let said = foldedSaid.get(situation);
  if (!said) {
    said = [situation.platform, situation.respondent?.name]
      .filter((text): text is string => Boolean(text?.trim()))
      .map(fold);
    foldedSaid.set(situation, said);
  }
  if (said.length === 0) return false;
  let folded = foldedNames.get(channel);
  if (!folded) {
    folded = names.map(fold);
    foldedNames.set(channel, folded);
  }
  const texts = said;
  return folded.some((name) => texts.some((text) => text.includes(name)));
}

export function channelInScope(
  channel: Channel,
  situation: Pick<Situation, 'industry' | 'issueType' | 'platform' | 'respondent'>,
): boolean {
  const issues = channel.scope.issueTypes;
  return (
    channelCoversIndustry(channel, situation.industry) &&
    (issues === 'ALL' || issues.includes(situation.issueType)) &&
    businessNamed(channel, situation)
  );
}

/**
 * A channel dedicated to named industries speaks with more authority for them than a general one,
 * and a general one more than a catch-all hotline that routes the matter to the department in charge.
 */
export function specificity(channel: Channel): number {
  if (channel.catchAll) return 0;
  return channel.scope.industries === 'ALL' ? 1 : 2;
}

/** The business has not been asked yet: its own channel is the first stop. */
export function businessNotAsked(situation: Situation): boolean {
  return !situation.contactedBusinessOn && !situation.businessOutcome;
}

/** Orders channels by standing, then specificity, then id: the ranking used wherever channels are listed. */
export function compareByStanding(a: Channel, b: Channel): number {
  return (
    Standing[b.standing].rank - Standing[a.standing].rank || specificity(b) - specificity(a) || a.id.localeCompare(b.id)
  );
}
