import type { HolidayCalendar } from '../../../platform/calendar/calendar.ts';
import { Industry } from '../../../platform/vocabulary.ts';
import {
  InformationItem,
  Standing,
  versionInForce,
  type Catalogue,
  type Channel,
  type Localized,
  type RuleVersion,
} from './catalogue.ts';
import type { Reason, RuleOutcome } from './rule-evaluator.ts';
import { evaluateRule, ruleApplies } from './rules.ts';
import { proceedingsFor, type Situation } from './situation.ts';
import { accessSummary, both, dayCount, listItems, sentence } from './text.ts';
import { businessNotAsked, specificity } from './channel-scope.ts';
import type { Eligibility, Recommendation } from './recommend.ts';
import { type TimeLimitDeadline, timeLimitDeadlines } from './time-limit-deadlines.ts';

/**
 * One channel judged for a situation: the rule version in force, each applicable rule's outcome
 * combined into an eligibility with its dates, the reasons (version, standing, rules) and the next
 * steps. Pure; whereToComplain (recommend.ts) ranks the results.
 */

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

export function evaluateChannel(
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
