import {
  addPeriod,
  addWorkingDays,
  CalendarNotCoveredError,
  isCovered,
  periodNominalEnd,
  type HolidayCalendar,
  type Period,
} from '../../../platform/calendar/calendar.ts';
import { addDays } from '../../../platform/calendar/dates.ts';
import type {
  Catalogue,
  DayKind,
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
import { both, dayCount, listItems, listProceedings, sentence } from './text.ts';

/**
 * One evaluator per rule KIND, never per channel: a channel's behaviour comes entirely from the
 * rules in its data file. Each evaluator is pure and returns an outcome with its reason.
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

const provisionalNote = (provisional: boolean): Localized =>
  provisional
    ? both(
        '（该日所在年份的节假日安排尚未公布，如逢节假日将顺延）',
        ' (that year’s holiday schedule is not yet published; a holiday would move it later)',
      )
    : both('', '');

function basisOf(context: RuleContext, rule: Rule): LegalReference[] {
  return rule.basis
    .map((id) => context.version.legalBasis.find((reference) => reference.id === id))
    .filter((reference): reference is LegalReference => reference !== undefined);
}

function reason(context: RuleContext, rule: Rule, code: ReasonCode, text: Localized): Reason {
  const legalBasis = basisOf(context, rule);
  return { code, message: sentence(text, legalBasis), legalBasis, ruleVersion: context.version.id };
}

type Evaluator<K extends RuleKind> = (rule: Extract<Rule, { kind: K }>, context: RuleContext) => RuleOutcome;

/** The last day of the business's own period: Civil Code days, or working days (nominal when uncovered). */
function businessPeriodEnd(
  calendar: HolidayCalendar,
  from: string,
  days: number,
  kind: DayKind,
): { date: string; provisional: boolean } {
  if (kind === 'CALENDAR') return periodEnd(calendar, from, { days });
  try {
    return { date: addWorkingDays(calendar, from, days), provisional: false };
  } catch (error) {
    // Five working days a week is the nominal estimate; the answer is flagged provisional.
    if (error instanceof CalendarNotCoveredError)
      return { date: addDays(from, Math.ceil((days * 7) / 5)), provisional: true };
    throw error;
  }
}

const contactBusinessFirst: Evaluator<'contactBusinessFirst'> = (rule, context) => {
  const { situation, asOf, calendar, channel } = context;
  const days = dayCount(rule.days, rule.dayKind);
  const outcome = situation.businessOutcome ?? (situation.contactedBusinessOn ? 'PENDING' : null);
  const name = channel.name;
  if (outcome === 'SATISFIED') {
    return {
      status: 'NOT_ACCEPTED',
      reason: reason(
        context,
        rule,
        'BUSINESS_RESOLVED',
        both(
          '商家已解决且你表示满意，不符合申诉条件',
          'The business resolved it to your satisfaction, so there is nothing left to appeal',
        ),
      ),
    };
  }
  if (outcome === 'UNSATISFIED') {
    return {
      status: 'MET',
      reason: reason(
        context,
        rule,
        'BUSINESS_REPLY_UNSATISFIED',
        both(
          '已先向商家投诉，且对其处理结果不满意，满足先行投诉的条件',
          'You complained to the business first and are unsatisfied with its answer, which meets the ' +
            '"business first" condition',
        ),
      ),
    };
  }
  if (outcome === null) {
    const end = businessPeriodEnd(calendar, asOf, rule.days, rule.dayKind);
    const eligibleFrom = addDays(end.date, 1);
    const legalBasis = basisOf(context, rule);
    return {
      status: 'NOT_YET',
      eligibleFrom,
      provisional: end.provisional,
      reason: reason(
        context,
        rule,
        'CONTACT_BUSINESS_FIRST',
        both(
          `须先向商家投诉；商家${days.zh}内未处理或处理不满意的，才可向${name.zh}投诉`,
          `You must complain to the business first; ${name.en} takes the matter only if the business ` +
            `has not dealt with it within ${days.en} or you are unsatisfied with its answer`,
        ),
      ),
      nextStep: sentence(
        both(
          `先向商家书面投诉并保留记录。如果今天（${asOf}）投诉而商家到${end.date}仍未答复` +
            `${provisionalNote(end.provisional).zh}，可从${eligibleFrom}起向${name.zh}投诉；` +
            '商家提前答复但你不满意的，可立即投诉',
          `Complain to the business first, in writing, and keep a record. If you do so today (${asOf}) ` +
            `and it has not replied by ${end.date}${provisionalNote(end.provisional).en}, you can ` +
            `complain to ${name.en} from ${eligibleFrom}; if it answers earlier and you are unsatisfied, ` +
            `you can go on at once`,
        ),
        legalBasis,
      ),
    };
  }
  // NO_REPLY or PENDING: the business's own period decides.
  if (!situation.contactedBusinessOn) {
    return {
      status: 'NEEDS_INFORMATION',
      missing: ['BUSINESS_CONTACT_DATE'],
      reason: reason(
        context,
        rule,
        'INFORMATION_MISSING',
        both(
          `需要知道你向商家投诉的日期，才能判断商家的${days.zh}处理期是否已过`,
          `The date you complained to the business is needed to tell whether its ${days.en} have passed`,
        ),
      ),
    };
  }
  const end = businessPeriodEnd(calendar, situation.contactedBusinessOn, rule.days, rule.dayKind);
  if (asOf > end.date) {
    return {
      status: 'MET',
      reason: reason(
        context,
        rule,
        'BUSINESS_PERIOD_PASSED',
        both(
          `你于${situation.contactedBusinessOn}向商家投诉，商家到${end.date}仍未解决，满足先行投诉的条件`,
          `You complained to the business on ${situation.contactedBusinessOn} and it had not settled ` +
            `the matter by ${end.date}, which meets the "business first" condition`,
        ),
      ),
    };
  }
  const eligibleFrom = addDays(end.date, 1);
  return {
    status: 'NOT_YET',
    eligibleFrom,
    provisional: end.provisional,
    reason: reason(
      context,
      rule,
      'WAITING_FOR_BUSINESS',
      both(
        `你于${situation.contactedBusinessOn}向商家投诉，商家的${days.zh}处理期到${end.date}为止${provisionalNote(end.provisional).zh}`,
        `You complained to the business on ${situation.contactedBusinessOn}; its ${days.en} run until ` +
          `${end.date}${provisionalNote(end.provisional).en}`,
      ),
    ),
    nextStep: sentence(
      both(
        `如果商家到${end.date}仍未答复，可从${eligibleFrom}起向${name.zh}投诉；商家答复但你不满意的，可立即投诉`,
        `If the business has not replied by ${end.date}, you can complain to ${name.en} from ${eligibleFrom}; ` +
          `if it answers and you are unsatisfied, you can go on at once`,
      ),
      basisOf(context, rule),
    ),
  };
};

const limitationPeriod: Evaluator<'limitationPeriod'> = (rule, context) => {
  const { situation, asOf, calendar } = context;
  const knowledge = rule.from === 'KNOWLEDGE';
  const start = knowledge ? (situation.knewOn ?? situation.occurredOn) : situation.occurredOn;
  const period: Period =
    rule.days !== undefined
      ? { days: rule.days }
      : rule.months !== undefined
        ? { months: rule.months }
        : { years: rule.years ?? 0 };
  const length =
    'days' in period
      ? both(`${period.days}日`, `${period.days}-day`)
      : 'months' in period
        ? both(`${period.months}个月`, `${period.months}-month`)
        : both(`${period.years}年`, `${period.years}-year`);
  const since = knowledge
    ? both(`自知道或应当知道权益受损（${start}）起`, `from when you knew or should have known of the harm (${start})`)
    : both(`自事发（${start}）起`, `from the event (${start})`);
  const end = periodEnd(calendar, start, period);
  const note = provisionalNote(end.provisional);
  if (asOf > end.date) {
    return {
      status: 'NOT_ACCEPTED',
      provisional: end.provisional,
      reason: reason(
        context,
        rule,
        'LIMITATION_EXPIRED',
        both(
          `${since.zh}${length.zh}的期限已于${end.date}届满${note.zh}`,
          `The ${length.en} period ${since.en} ended on ${end.date}${note.en}`,
        ),
      ),
    };
  }
  return {
    status: 'MET',
    fileBy: end.date,
    provisional: end.provisional,
    reason: reason(
      context,
      rule,
      'LIMITATION_RUNNING',
      both(
        `${since.zh}${length.zh}内可以投诉，最晚${end.date}${note.zh}`,
        `The ${length.en} period ${since.en} lets you file until ${end.date}${note.en}`,
      ),
    ),
  };
};

const notAlreadyBefore: Evaluator<'notAlreadyBefore'> = (rule, context) => {
  const blocking = rule.proceedings.filter((proceeding) => context.proceedings.has(proceeding));
  if (blocking.includes('SETTLED')) {
    // A settlement is not a body the matter is "before": it leaves no dispute to take up.
    return {
      status: 'NOT_ACCEPTED',
      reason: reason(
        context,
        rule,
        'ALREADY_BEFORE_OTHER_BODY',
        both(
          '你已与商家和解并已履行，已没有需要本渠道处理的争议',
          'You settled with the business and the settlement was carried out, so no dispute is left for this channel',
        ),
      ),
    };
  }
  if (blocking.length > 0) {
    const list = listProceedings(blocking);
    return {
      status: 'NOT_ACCEPTED',
      reason: reason(
        context,
        rule,
        'ALREADY_BEFORE_OTHER_BODY',
        both(
          `该事项已由${list.zh}处理，本渠道不再受理`,
          `The matter is already before ${list.en}, so this channel does not take it`,
        ),
      ),
    };
  }
  const list = listProceedings(rule.proceedings);
  return {
    status: 'MET',
    reason: reason(
      context,
      rule,
      'NO_PARALLEL_PROCEEDING',
      both(
        `已由${list.zh}处理的事项不予受理；你未说明有此情况`,
        `Not taken when the matter is already with ${list.en}; you have not said it is`,
      ),
    ),
  };
};

const requiredFacts: Evaluator<'requiredFacts'> = (rule, context) => {
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

const respondentInRegion: Evaluator<'respondentInRegion'> = (rule, context) => {
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

const outsideRemit: Evaluator<'outsideRemit'> = (rule, context) => {
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

const sharedRemit: Evaluator<'sharedRemit'> = (rule, context) => {
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
