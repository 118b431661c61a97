import {
  InformationItem,
  type Channel,
  type Confidence,
  type LegalReference,
  type Localized,
  type RequiredInformation,
  type Rule,
  type RuleVersion,
  type TimeLimit,
} from './catalogue.ts';
import type { Recommendation } from './recommend.ts';
import type { TimeLimitDeadline } from './time-limit-deadlines.ts';
import { both, dayCount, listItems, listProceedings } from './text.ts';

/**
 * The shapes the GraphQL layer returns: catalogue records with their basis ids resolved to the
 * version's legal references, and rules described in words. Pure, so the resolvers stay thin.
 */

const RULE_KIND_NAMES = {
  contactBusinessFirst: 'CONTACT_BUSINESS_FIRST',
  limitationPeriod: 'LIMITATION_PERIOD',
  notAlreadyBefore: 'NOT_ALREADY_BEFORE',
  requiredFacts: 'REQUIRED_FACTS',
  respondentInRegion: 'RESPONDENT_IN_REGION',
  outsideRemit: 'OUTSIDE_REMIT',
  sharedRemit: 'SHARED_REMIT',
} as const satisfies Record<Rule['kind'], string>;

function resolveBasis(version: RuleVersion, ids: readonly string[]): LegalReference[] {
  return ids
    .map((id) => version.legalBasis.find((reference) => reference.id === id))
    .filter((reference): reference is LegalReference => reference !== undefined);
}

export function describeRule(rule: Rule): Localized {
  switch (rule.kind) {
    case 'contactBusinessFirst': {
      const days = dayCount(rule.days, rule.dayKind);
      return both(
        `须先向商家投诉；商家${days.zh}内未处理或处理结果不满意的，方可投诉`,
        'Complain to the business first; this channel takes the matter if the business has not dealt with it ' +
          `within ${days.en} or you are unsatisfied with its answer`,
      );
    }
    case 'limitationPeriod': {
      const length =
        rule.days !== undefined
          ? both(`${rule.days}日`, `${rule.days} days`)
          : rule.months !== undefined
            ? both(`${rule.months}个月`, `${rule.months} months`)
            : both(`${rule.years}年`, `${rule.years} years`);
      const from =
        rule.from === 'KNOWLEDGE'
          ? both('自知道或应当知道权益受损之日起', 'after you knew or should have known of the harm')
          : both('自事发之日起', 'after the event');
      return both(`${from.zh}超过${length.zh}的不予受理`, `Not accepted more than ${length.en} ${from.en}`);
    }
    case 'notAlreadyBefore':
      return both(
        `已由${listProceedings(rule.proceedings).zh}处理的，不予受理`,
        `Not accepted when the matter is already with ${listProceedings(rule.proceedings).en}`,
      );
    case 'requiredFacts':
      return both(`必须提供：${listItems(rule.items).zh}`, `Must be given: ${listItems(rule.items).en}`);
    case 'respondentInRegion':
      return both(`只受理${rule.region.zh}的商家`, `Only for businesses in ${rule.region.en}`);
    case 'outsideRemit':
      return both(
        `${rule.matter.zh}不属于本渠道受理范围，不予受理`,
        `Not accepted: ${rule.matter.en} is outside this channel’s remit`,
      );
    case 'sharedRemit':
      return rule.leads
        ? both(
            `${rule.matter.zh}：与其他机构共同管辖，以本渠道为主`,
            `${rule.matter.en}: shared with another body; this channel leads`,
          )
        : both(
            `${rule.matter.zh}：与其他机构共同管辖，以其他机构为主`,
            `${rule.matter.en}: shared with another body, which leads`,
          );
  }
}

export interface RuleView {
  kind: (typeof RULE_KIND_NAMES)[keyof typeof RULE_KIND_NAMES];
  description: Localized;
  days: number | null;
  months: number | null;
  years: number | null;
  from: 'EVENT' | 'KNOWLEDGE' | null;
  proceedings: readonly string[] | null;
  items: readonly string[] | null;
  region: Localized | null;
  dayKind: 'WORKING' | 'CALENDAR' | null;
  matter: Localized | null;
  otherChannelIds: readonly string[] | null;
  leads: boolean | null;
  onlyForIssueTypes: readonly string[] | null;
  onlyForIndustries: readonly string[] | null;
  exceptIssueTypes: readonly string[] | null;
  legalBasis: LegalReference[];
}

export function ruleView(version: RuleVersion, rule: Rule): RuleView {
  return {
    kind: RULE_KIND_NAMES[rule.kind],
    description: describeRule(rule),
    days: rule.kind === 'contactBusinessFirst' || rule.kind === 'limitationPeriod' ? (rule.days ?? null) : null,
    months: rule.kind === 'limitationPeriod' ? (rule.months ?? null) : null,
    years: rule.kind === 'limitationPeriod' ? (rule.years ?? null) : null,
    from: rule.kind === 'limitationPeriod' ? rule.from : null,
    proceedings: rule.kind === 'notAlreadyBefore' ? rule.proceedings : null,
    items: rule.kind === 'requiredFacts' ? rule.items : null,
    region: rule.kind === 'respondentInRegion' ? rule.region : null,
    dayKind: rule.kind === 'contactBusinessFirst' ? rule.dayKind : null,
    matter: rule.kind === 'outsideRemit' || rule.kind === 'sharedRemit' ? rule.matter : null,
    otherChannelIds:
      rule.kind === 'outsideRemit' ? rule.handledBy : rule.kind === 'sharedRemit' ? rule.sharedWith : null,
    leads: rule.kind === 'sharedRemit' ? rule.leads : null,
    onlyForIssueTypes: rule.appliesTo.issueTypes ?? null,
    onlyForIndustries: rule.appliesTo.industries ?? null,
    exceptIssueTypes: rule.appliesTo.exceptIssueTypes ?? null,
    legalBasis: resolveBasis(version, rule.basis),
  };
}

export function requiredInformationView(version: RuleVersion, info: RequiredInformation) {
  return {
    item: info.item,
    label: InformationItem[info.item],
    note: info.note ?? null,
    legalBasis: resolveBasis(version, info.basis),
  };
}

export function timeLimitView(version: RuleVersion, limit: TimeLimit) {
  return { ...limit, note: limit.note ?? null, legalBasis: resolveBasis(version, limit.basis) };
}

export function ruleVersionView(version: RuleVersion) {
  return {
    id: version.id,
    title: version.title,
    validFrom: version.validFrom ?? null,
    validTo: version.validTo ?? null,
    confidence: version.confidence,
    note: version.note ?? null,
    legalBasis: version.legalBasis,
    requiredInformation: version.requiredInformation.map((info) => requiredInformationView(version, info)),
    timeLimits: version.timeLimits.map((limit) => timeLimitView(version, limit)),
    prerequisites: version.rules.map((rule) => ruleView(version, rule)),
  };
}

export function deadlineView(version: RuleVersion, deadline: TimeLimitDeadline) {
  return { ...deadline, timeLimit: timeLimitView(version, deadline.timeLimit) };
}

export function recommendationView(recommendation: Recommendation) {
  const version = recommendation.ruleVersion;
  return {
    ...recommendation,
    ruleVersion: ruleVersionView(version),
    requiredInformation: recommendation.missingInformation.map((item) =>
      requiredInformationView(
        version,
        version.requiredInformation.find((info) => info.item === item) ?? { item, basis: [] },
      ),
    ),
    deadlinesIfFiled: recommendation.deadlinesIfFiled.map((deadline) => deadlineView(version, deadline)),
  };
}

const CONFIDENCE_ORDER: Record<Confidence, number> = { CONFIRMED: 0, SECONDARY_SOURCE: 1, UNCONFIRMED: 2 };

/** The weakest confidence among the facts shown for a channel under `version`. */
export function channelConfidence(channel: Channel, version: RuleVersion | undefined): Confidence {
  const all: Confidence[] = [
    channel.publishesResults.confidence,
    ...channel.access.map((point) => point.confidence),
    ...(version
      ? [
          version.confidence,
          ...version.legalBasis.map((r) => r.confidence),
          ...version.timeLimits.map((t) => t.confidence),
        ]
      : []),
  ];
  return all.reduce(
    (weakest, c) => (CONFIDENCE_ORDER[c] > CONFIDENCE_ORDER[weakest] ? c : weakest),
    'CONFIRMED' as Confidence,
  );
}
