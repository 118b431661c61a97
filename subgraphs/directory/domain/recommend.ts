import type { HolidayCalendar } from '../../../platform/calendar/calendar.ts';
import {
  type InformationItem,
  Proceeding,
  Standing,
  type Catalogue,
  type Channel,
  type Localized,
  type RuleVersion,
} from './catalogue.ts';
import type { Reason } from './rule-evaluator.ts';
import { ruleApplies } from './rules.ts';
import { providedInformation, validateSituation, type Situation, type SituationPaths } from './situation.ts';
import { both, sentence } from './text.ts';
import { evaluateChannel } from './channel-evaluation.ts';
import { businessNotAsked, channelInScope, specificity } from './channel-scope.ts';
import type { TimeLimitDeadline } from './time-limit-deadlines.ts';

/**
 * whereToComplain: the answer's shape and its ranking. Which channels a situation reaches is
 * channel-scope.ts; how one channel is judged is channel-evaluation.ts.
 */

export const Eligibility = {
  ELIGIBLE: 'The channel can be used today',
  NEEDS_INFORMATION: 'The channel may be usable, but information it needs is missing',
  NOT_YET: 'The channel can be used from a later date (eligibleFrom)',
  NOT_ACCEPTED: 'The channel will not take this matter',
} as const;
export type Eligibility = keyof typeof Eligibility;

/** Usable today first; "needs information" next because the consumer can fix it now. */
const ELIGIBILITY_ORDER: Record<Eligibility, number> = {
  ELIGIBLE: 0,
  NEEDS_INFORMATION: 1,
  NOT_YET: 2,
  NOT_ACCEPTED: 3,
};

/**
 * How far the consumer is from the channel, for ranking before standing. A channel that opens once
 * the business's own period has run (NOT_YET: only business-first rules make a channel wait) is on
 * the consumer's path today, since today's step is with the business; so the regulator in charge
 * ranks above a weaker channel that happens to be usable at once. Missing information comes after.
 */
const PATH_ORDER: Record<Eligibility, number> = { ELIGIBLE: 0, NOT_YET: 0, NEEDS_INFORMATION: 1, NOT_ACCEPTED: 2 };

export interface Recommendation {
  rank: number;
  channel: Channel;
  ruleVersion: RuleVersion;
  eligibility: Eligibility;
  eligibleFrom: string | null;
  fileBy: string | null;
  /** True when eligibleFrom or fileBy lies in a year the holiday calendar does not cover yet. */
  datesProvisional: boolean;
  reasons: Reason[];
  nextSteps: Localized[];
  missingInformation: InformationItem[];
  /** The channel's own time limits that start on filing, counted from the day one could file. */
  deadlinesIfFiled: TimeLimitDeadline[];
  /** For a matter two bodies may take: whether this channel leads for the issue type (null: not shared). */
  leads: boolean | null;
}

export interface WhereToComplainAnswer {
  asOf: string;
  recommendations: Recommendation[];
}

/**
 * 0: channels that take up the dispute and are not ruled out; 1: report and news channels that are
 * not ruled out (they never crowd out a regulator, even one usable only from a later day); 2: ruled out.
 */
function rankGroup(recommendation: Omit<Recommendation, 'rank'>): number {
  if (recommendation.eligibility === 'NOT_ACCEPTED') return 2;
  return Standing[recommendation.channel.standing].takesUpDisputes ? 0 : 1;
}

/**
 * Filing with a channel that takes up the dispute puts the matter before the body it counts as
 * (`countsAs`); another recommended channel whose "not already before" rule names that body will
 * then refuse it. Said as a reason and a next step, with the other channel's article, so that a
 * consumer does not close the door to the channel with the strongest standing by using one above it.
 */
function addBarWarnings(situation: Situation, evaluated: Omit<Recommendation, 'rank'>[]): void {
  for (const filed of evaluated) {
    const countsAs = filed.channel.countsAs;
    if (!countsAs || filed.eligibility === 'NOT_ACCEPTED' || !Standing[filed.channel.standing].takesUpDisputes)
      continue;
    const barred = evaluated.flatMap((other) => {
      if (other === filed || other.eligibility === 'NOT_ACCEPTED') return [];
      const rule = other.ruleVersion.rules.find(
        (candidate) =>
          candidate.kind === 'notAlreadyBefore' &&
          ruleApplies(candidate, situation) &&
          candidate.proceedings.includes(countsAs),
      );
      if (!rule) return [];
      return [
        { other, references: other.ruleVersion.legalBasis.filter((reference) => rule.basis.includes(reference.id)) },
      ];
    });
    if (barred.length === 0) continue;
    const names = both(
      barred.map(({ other }) => other.channel.name.zh).join('、'),
      barred.map(({ other }) => other.channel.name.en).join(', '),
    );
    const references = barred.flatMap(({ references: refs }) => refs);
    filed.reasons.push({
      code: 'FILING_HERE_BARS_OTHERS',
      message: sentence(
        both(
          `在${filed.channel.name.zh}投诉后，此事即属“${Proceeding[countsAs].zh}”处理中，${names.zh}将不再受理`,
          `Once filed with ${filed.channel.name.en}, the matter is before ${Proceeding[countsAs].en}, ` +
            `and ${names.en} will then not take it`,
        ),
        references,
      ),
      legalBasis: references,
      ruleVersion: filed.ruleVersion.id,
    });
    filed.nextSteps.push(
      sentence(
        both(
          `如果希望由${names.zh}处理，请改向其投诉，不要两处都投`,
          `If you want ${names.en} to handle it, go there instead; do not file in both places`,
        ),
        references,
      ),
    );
  }
}

/**
 * Inside a rank group: the business's own channel while it has not been asked; then the channel that
 * leads for a matter two bodies share; then by the consumer's path (PATH_ORDER), standing and
 * specificity; usable today before later; the id last so that the order is total.
 */
function comparatorFor(situation: Situation) {
  const firstStop = (r: Omit<Recommendation, 'rank'>) =>
    r.channel.standing === 'BUSINESS' && businessNotAsked(situation) ? 0 : 1;
  const leadOrder = (r: Omit<Recommendation, 'rank'>) => (r.leads === true ? 0 : 1);
  return (a: Omit<Recommendation, 'rank'>, b: Omit<Recommendation, 'rank'>): number =>
    rankGroup(a) - rankGroup(b) ||
    firstStop(a) - firstStop(b) ||
    leadOrder(a) - leadOrder(b) ||
    PATH_ORDER[a.eligibility] - PATH_ORDER[b.eligibility] ||
    Standing[b.channel.standing].rank - Standing[a.channel.standing].rank ||
    specificity(b.channel) - specificity(a.channel) ||
    ELIGIBILITY_ORDER[a.eligibility] - ELIGIBILITY_ORDER[b.eligibility] ||
    (a.eligibleFrom ?? '').localeCompare(b.eligibleFrom ?? '') ||
    a.channel.id.localeCompare(b.channel.id);
}

/**
 * Where can the consumer complain about `situation`, as of `asOf`? Every channel whose scope covers
 * the industry and issue type is judged by the rule version in force on `asOf`, and the answers are
 * ranked: channels that take up the dispute before report and news channels, ruled-out ones last;
 * inside each group the business's own channel first while it has not been asked, then the channel
 * that leads for a shared matter, then channels on the consumer's path today (usable, or opening once
 * the business's period has run) by standing (the STANDING reason says why).
 * Pure: no clock, no I/O. Throws BAD_USER_INPUT (GraphQLError) for an impossible situation.
 */
export function whereToComplain(
  catalogue: Catalogue,
  calendar: HolidayCalendar,
  situation: Situation,
  asOf: string,
  paths?: SituationPaths,
): WhereToComplainAnswer {
  validateSituation(catalogue, calendar, situation, asOf, paths);
  const provided = providedInformation(situation);
  const evaluated: Omit<Recommendation, 'rank'>[] = [];
  for (const channel of catalogue.channels) {
    if (!channelInScope(channel, situation)) continue;
    const recommendation = evaluateChannel(catalogue, calendar, situation, asOf, channel, provided);
    if (recommendation) evaluated.push(recommendation);
  }
  addBarWarnings(situation, evaluated);
  evaluated.sort(comparatorFor(situation));
  return { asOf, recommendations: evaluated.map((recommendation, index) => ({ rank: index + 1, ...recommendation })) };
}
