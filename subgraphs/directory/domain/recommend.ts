import { addWorkingDays, CalendarNotCoveredError, type HolidayCalendar } from '../../../platform/calendar/calendar.ts';
import { Industry } from '../../../platform/vocabulary.ts';
import {
  InformationItem,
  Proceeding,
  Standing,
  versionInForce,
  type Catalogue,
  type Channel,
  type Localized,
  type RuleVersion,
  type TimeLimit,
} from './catalogue.ts';
import { periodEnd, type Reason, type RuleOutcome } from './rule-evaluator.ts';
import { evaluateRule, ruleApplies } from './rules.ts';
import {
  proceedingsFor,
  providedInformation,
  validateSituation,
  type Situation,
  type SituationPaths,
} from './situation.ts';
import { accessSummary, both, dayCount, listItems, sentence } from './text.ts';

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

export interface TimeLimitDeadline {
  timeLimit: TimeLimit;
  /** The day the limit starts counting from. */
  startsOn: string;
  /** Its last day; null when unknown (no confirmed figure) or not computable (uncovered year). */
  dueOn: string | null;
  /** Set when dueOn could not be computed because the holiday calendar lacks this year. */
  notCoveredYear: number | null;
}

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
function specificity(channel: Channel): number {
  if (channel.catchAll) return 0;
  return channel.scope.industries === 'ALL' ? 1 : 2;
}

/** The business has not been asked yet: its own channel is the first stop. */
function businessNotAsked(situation: Situation): boolean {
  return !situation.contactedBusinessOn && !situation.businessOutcome;
}

/** Orders channels by standing, then specificity, then id: the ranking used wherever channels are listed. */
export function compareByStanding(a: Channel, b: Channel): number {
  return (
    Standing[b.standing].rank - Standing[a.standing].rank || specificity(b) - specificity(a) || a.id.localeCompare(b.id)
  );
}

/** Each time limit's last day if its starting event happens on `startsOn` (the deadline calculator). */
export function timeLimitDeadlines(
  calendar: HolidayCalendar,
  version: RuleVersion,
  startsOn: string,
  onlyStartingAt?: TimeLimit['startsAt'],
): TimeLimitDeadline[] {
  const limits = onlyStartingAt
    ? version.timeLimits.filter((limit) => limit.startsAt === onlyStartingAt)
    : version.timeLimits;
  return limits.map((timeLimit) => {
    if (timeLimit.days === null) return { timeLimit, startsOn, dueOn: null, notCoveredYear: null };
    if (timeLimit.dayKind === 'CALENDAR') {
      const end = periodEnd(calendar, startsOn, { days: timeLimit.days });
      return {
        timeLimit,
        startsOn,
        dueOn: end.provisional ? null : end.date,
        notCoveredYear: end.provisional ? Number(end.date.slice(0, 4)) : null,
      };
    }
    try {
      return { timeLimit, startsOn, dueOn: addWorkingDays(calendar, startsOn, timeLimit.days), notCoveredYear: null };
    } catch (error) {
      if (error instanceof CalendarNotCoveredError)
        return { timeLimit, startsOn, dueOn: null, notCoveredYear: error.year };
      throw error;
    }
  });
}

function versionReason(version: RuleVersion): Reason {
  const range = version.validFrom
    ? both(`自${version.validFrom}起施行`, `in force since ${version.validFrom}`)
    : both('现行', 'current');
  const unconfirmed =
    version.confidence === 'UNCONFIRMED'
      ? both('，部分条款号与时限尚未核实', '; some article numbers and time limits are not yet confirmed')
      : both('', '');
  return {
    code: 'RULE_VERSION',
    message: sentence(
      both(
        `按${version.title.zh}判断（${range.zh}${unconfirmed.zh}）`,
        `Judged under ${version.title.en} (${range.en}${unconfirmed.en})`,
      ),
    ),
    legalBasis: [],
    ruleVersion: version.id,
  };
}

function standingReason(channel: Channel, version: RuleVersion, industry: Industry): Reason {
  const standing = Standing[channel.standing];
  const dedicated =
    specificity(channel) > 0
      ? both(`，专门处理${Industry[industry].zh}纠纷`, `, dedicated to ${Industry[industry].en.toLowerCase()} disputes`)
      : both('', '');
  const placed = standing.takesUpDisputes
    ? both('', '')
    : both(
        '；因此排在受理个人纠纷的渠道之后，即使今天就能使用',
        '; so it is listed after the channels that take up your own dispute, even when it can be used today',
      );
  return {
    code: 'STANDING',
    message: sentence(both(`${standing.zh}${dedicated.zh}${placed.zh}`, `${standing.en}${dedicated.en}${placed.en}`)),
    legalBasis: [],
    ruleVersion: version.id,
  };
}

function fileStep(
  channel: Channel,
  fileBy: string | null,
  fileByBasis: Reason | undefined,
  when: Localized,
): Localized {
  const by = fileBy ? both(`，最晚${fileBy}`, `, by ${fileBy} at the latest`) : both('', '');
  return sentence(
    both(
      `${when.zh}通过${accessSummary(channel).zh}向${channel.name.zh}投诉${by.zh}`,
      `${when.en} file with ${channel.name.en} at ${accessSummary(channel).en}${by.en}`,
    ),
    fileByBasis?.legalBasis ?? [],
  );
}

function deadlineSteps(version: RuleVersion, deadlines: readonly TimeLimitDeadline[], filedOn: string): Localized[] {
  return deadlines
    .filter((deadline) => deadline.timeLimit.startsAt === 'FILING' && deadline.dueOn !== null)
    .map((deadline) => {
      const limit = deadline.timeLimit;
      const days = dayCount(limit.days ?? 0, limit.dayKind);
      const refs = version.legalBasis.filter((reference) => limit.basis.includes(reference.id));
      return sentence(
        both(
          `若于${filedOn}提交，${limit.what.zh}的期限为${days.zh}，即${deadline.dueOn}前`,
          `If filed on ${filedOn}, "${limit.what.en}" is due within ${days.en}, by ${deadline.dueOn}`,
        ),
        refs,
      );
    });
}

function evaluateChannel(
  catalogue: Catalogue,
  calendar: HolidayCalendar,
  situation: Situation,
  asOf: string,
  channel: Channel,
  provided: ReadonlySet<InformationItem>,
): Omit<Recommendation, 'rank'> | null {
  const version = versionInForce(channel, asOf);
  if (!version) return null;
  const context = {
    catalogue,
    channel,
    version,
    situation,
    asOf,
    calendar,
    provided,
    proceedings: proceedingsFor(catalogue, situation, channel),
  };
  const outcomes: RuleOutcome[] = version.rules
    .filter((rule) => ruleApplies(rule, situation))
    .map((rule) => evaluateRule(rule, context));
  const reasons: Reason[] = [versionReason(version)];
  if (channel.scope.note) {
    const note = channel.scope.note;
    reasons.push({
      code: 'SCOPE_LIMIT',
      message: sentence(both(`受理范围：${note.zh}`, `Scope: ${note.en}`)),
      legalBasis: [],
      ruleVersion: version.id,
    });
  }
  if (channel.standing === 'BUSINESS' && businessNotAsked(situation)) {
    reasons.push({
      code: 'FIRST_STOP',
      message: sentence(
        both(
          '你尚未向商家投诉：先通过商家或平台自身的渠道协商，' +
            '这是法定的第一种解决途径，许多监管渠道也要求先走这一步',
          'You have not asked the business yet: negotiating through its own channel is the first route the law' +
            ' lists, and many regulators require it before they take the matter',
        ),
        version.legalBasis,
      ),
      legalBasis: version.legalBasis,
      ruleVersion: version.id,
    });
  }
  reasons.push(...outcomes.map((outcome) => outcome.reason));
  if (outcomes.length === 0) {
    reasons.push({
      code: 'NO_PREREQUISITES',
      message: sentence(both('本渠道未公布受理前提', 'This channel publishes no prerequisites')),
      legalBasis: [],
      ruleVersion: version.id,
    });
  }
  reasons.push(standingReason(channel, version, situation.industry));

  const has = (status: RuleOutcome['status']) => outcomes.some((outcome) => outcome.status === status);
  let eligibility: Eligibility = has('NOT_ACCEPTED')
    ? 'NOT_ACCEPTED'
    : has('NEEDS_INFORMATION')
      ? 'NEEDS_INFORMATION'
      : has('NOT_YET')
        ? 'NOT_YET'
        : 'ELIGIBLE';
  const eligibleFroms = outcomes
    .filter((outcome) => outcome.status === 'NOT_YET' && outcome.eligibleFrom)
    .map((outcome) => outcome.eligibleFrom as string);
  const limitations = outcomes.filter((outcome) => outcome.fileBy !== undefined);
  const limiting = limitations.reduce<RuleOutcome | undefined>(
    (earliest, outcome) => (!earliest || (outcome.fileBy as string) < (earliest.fileBy as string) ? outcome : earliest),
    undefined,
  );
  let fileBy = limiting?.fileBy ?? null;
  let eligibleFrom =
    eligibility === 'NOT_YET'
      ? // biome-ignore lint/complexity/useMathMinMax: the dates are ISO strings, which Math.max would turn into NaN
        eligibleFroms.reduce((latest, date) => (date > latest ? date : latest))
      : null;
  const nextSteps: Localized[] = [];

  if (eligibility === 'NOT_YET' && fileBy !== null && eligibleFrom !== null && fileBy < eligibleFrom) {
    reasons.push({
      code: 'LIMITATION_ENDS_BEFORE_ELIGIBLE',
      message: sentence(
        both(
          `期限于${fileBy}届满，早于可投诉之日${eligibleFrom}`,
          `The period to file ends on ${fileBy}, before the channel can be used on ${eligibleFrom}`,
        ),
        limiting?.reason.legalBasis ?? [],
      ),
      legalBasis: limiting?.reason.legalBasis ?? [],
      ruleVersion: version.id,
    });
    eligibility = 'NOT_ACCEPTED';
  }
  if (eligibility === 'NOT_ACCEPTED') {
    fileBy = null;
    eligibleFrom = null;
  }

  const missingSet = new Set<InformationItem>(
    version.requiredInformation.map((info) => info.item).filter((item) => !provided.has(item)),
  );
  for (const outcome of outcomes) for (const item of outcome.missing ?? []) missingSet.add(item);
  const missingInformation = (Object.keys(InformationItem) as InformationItem[]).filter((item) => missingSet.has(item));
  const blockingMissing = (Object.keys(InformationItem) as InformationItem[]).filter((item) =>
    outcomes.some((outcome) => outcome.missing?.includes(item)),
  );

  const filedOn = eligibility === 'ELIGIBLE' ? asOf : eligibility === 'NOT_YET' ? eligibleFrom : null;
  const deadlinesIfFiled = filedOn ? timeLimitDeadlines(calendar, version, filedOn, 'FILING') : [];

  switch (eligibility) {
    case 'ELIGIBLE':
      nextSteps.push(fileStep(channel, fileBy, limiting?.reason, both('现在即可', 'You can now')));
      nextSteps.push(...deadlineSteps(version, deadlinesIfFiled, asOf));
      break;
    case 'NOT_YET':
      for (const outcome of outcomes)
        if (outcome.status === 'NOT_YET' && outcome.nextStep) nextSteps.push(outcome.nextStep);
      if (fileBy)
        nextSteps.push(
          sentence(
            both(`无论如何须在${fileBy}前提交`, `In any case file by ${fileBy}`),
            limiting?.reason.legalBasis ?? [],
          ),
        );
      break;
    case 'NEEDS_INFORMATION': {
      const list = listItems(blockingMissing);
      nextSteps.push(sentence(both(`补充以下信息后再查询：${list.zh}`, `Add the following and ask again: ${list.en}`)));
      if (fileBy)
        nextSteps.push(sentence(both(`须在${fileBy}前提交`, `File by ${fileBy}`), limiting?.reason.legalBasis ?? []));
      break;
    }
    case 'NOT_ACCEPTED':
      for (const outcome of outcomes)
        if (outcome.status === 'NOT_ACCEPTED' && outcome.nextStep) nextSteps.push(outcome.nextStep);
      nextSteps.push(
        sentence(
          both(
            `${channel.name.zh}不会受理此事，请参考排在前面的其他渠道`,
            `${channel.name.en} will not take this matter; see the channels ranked above`,
          ),
        ),
      );
      break;
  }
  if (eligibility !== 'NOT_ACCEPTED' && missingInformation.length > 0) {
    const list = listItems(missingInformation);
    nextSteps.push(sentence(both(`投诉时还需准备：${list.zh}`, `When filing, also have ready: ${list.en}`)));
  }
  const datesProvisional =
    eligibility !== 'NOT_ACCEPTED' &&
    outcomes.some(
      (outcome) => outcome.provisional === true && (outcome.fileBy !== undefined || outcome.eligibleFrom !== undefined),
    );

  const shared = outcomes.find((outcome) => outcome.leads !== undefined);
  return {
    channel,
    ruleVersion: version,
    leads: shared ? (shared.leads as boolean) : null,
    eligibility,
    eligibleFrom,
    fileBy,
    datesProvisional,
    reasons,
    nextSteps,
    missingInformation,
    deadlinesIfFiled,
  };
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
