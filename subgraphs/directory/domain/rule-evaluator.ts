import {
  addPeriod,
  CalendarNotCoveredError,
  isCovered,
  periodNominalEnd,
  type HolidayCalendar,
  type Period,
} from '../../../platform/calendar/calendar.ts';
import type {
  Catalogue,
  InformationItem,
  LegalReference,
  Localized,
  Proceeding,
  Rule,
  RuleKind,
  RuleVersion,
  Channel,
} from './catalogue.ts';
import type { Situation } from './situation.ts';
import { both, sentence } from './text.ts';

/**
 * What a rule evaluator is given (the context) and returns (an outcome with its reason and legal
 * basis), and the helpers every kind shares. The evaluators, one per kind, are in rule-kinds/.
 */

export const ReasonCode = {
  RULE_VERSION: 'Which version of the channel’s rules was applied',
  STANDING: 'Why the channel ranks where it does',
  SCOPE_LIMIT: 'A limit of the channel’s scope that the situation does not show; check it applies',
  FILING_HERE_BARS_OTHERS:
    'Filing here puts the matter before a body that other recommended channels refuse to duplicate',
  NO_PREREQUISITES: 'The channel publishes no prerequisite',
  CONTACT_BUSINESS_FIRST: 'The business must be asked first; it has not been',
  WAITING_FOR_BUSINESS: 'The business was asked; its handling period is still running',
  BUSINESS_PERIOD_PASSED: 'The business did not settle it within its handling period',
  BUSINESS_REPLY_UNSATISFIED: 'The business replied and the consumer is unsatisfied',
  BUSINESS_RESOLVED: 'The business resolved it to the consumer’s satisfaction',
  LIMITATION_RUNNING: 'A limitation period runs; file by its last day',
  LIMITATION_EXPIRED: 'The limitation period has ended',
  LIMITATION_ENDS_BEFORE_ELIGIBLE: 'The limitation period ends before the channel can be used',
  NO_PARALLEL_PROCEEDING: 'The matter is not before another body',
  ALREADY_BEFORE_OTHER_BODY: 'The matter is already before a body that bars this channel',
  INFORMATION_COMPLETE: 'The information the channel needs to decide is there',
  INFORMATION_MISSING: 'Information the channel needs is missing',
  INFORMATION_TO_PREPARE:
    'What the complaint must contain; the situation did not say what is ready, so it does not decide eligibility',
  REGION_MATCHES: 'The business is in the region the channel serves',
  REGION_OUT_OF_SCOPE: 'The business is outside the region the channel serves',
  OUTSIDE_REMIT: 'The matter is outside the channel’s remit; the reason names the channels that handle it',
  SHARED_REMIT: 'Two bodies may both take the matter; the reason says which one leads for this issue type',
  FIRST_STOP: 'The business’s own channel, listed first because it has not been asked yet',
} as const;
export type ReasonCode = keyof typeof ReasonCode;

export interface Reason {
  code: ReasonCode;
  message: Localized;
  legalBasis: LegalReference[];
  /** The rule version the reason comes from. */
  ruleVersion: string;
}

export type RuleStatus = 'MET' | 'NOT_YET' | 'NOT_ACCEPTED' | 'NEEDS_INFORMATION';

export interface RuleOutcome {
  status: RuleStatus;
  reason: Reason;
  eligibleFrom?: string;
  fileBy?: string;
  /** A date lies in a year the holiday calendar does not cover: it may move later. */
  provisional?: boolean;
  missing?: InformationItem[];
  nextStep?: Localized;
  /** For a shared remit: whether this channel leads for the situation's issue type. */
  leads?: boolean;
}

export interface RuleContext {
  /** For the names of the other channels a remit rule refers to. */
  catalogue: Catalogue;
  channel: Channel;
  version: RuleVersion;
  situation: Situation;
  asOf: string;
  calendar: HolidayCalendar;
  provided: ReadonlySet<InformationItem>;
  proceedings: ReadonlySet<Proceeding>;
}

/**
 * The last day of a Civil Code period; nominal (and flagged provisional) when the holiday check needs an
 * uncovered year.
 */
export function periodEnd(
  calendar: HolidayCalendar,
  from: string,
  period: Period,
): { date: string; provisional: boolean } {
  const nominal = periodNominalEnd(from, period);
  // Checked first because most long limitation periods end in unpublished years; throwing for each is slow.
  if (!isCovered(calendar, nominal)) return { date: nominal, provisional: true };
  try {
    return { date: addPeriod(calendar, from, period), provisional: false };
  } catch (error) {
    if (error instanceof CalendarNotCoveredError) return { date: periodNominalEnd(from, period), provisional: true };
    throw error;
  }
}

export const provisionalNote = (provisional: boolean): Localized =>
  provisional
    ? both(
        '（该日所在年份的节假日安排尚未公布，如逢节假日将顺延）',
        ' (that year’s holiday schedule is not yet published; a holiday would move it later)',
      )
    : both('', '');

export function basisOf(context: RuleContext, rule: Rule): LegalReference[] {
  return rule.basis
    .map((id) => context.version.legalBasis.find((reference) => reference.id === id))
    .filter((reference): reference is LegalReference => reference !== undefined);
}

export function reason(context: RuleContext, rule: Rule, code: ReasonCode, text: Localized): Reason {
  const legalBasis = basisOf(context, rule);
  return { code, message: sentence(text, legalBasis), legalBasis, ruleVersion: context.version.id };
}

export type Evaluator<K extends RuleKind> = (rule: Extract<Rule, { kind: K }>, context: RuleContext) => RuleOutcome;
