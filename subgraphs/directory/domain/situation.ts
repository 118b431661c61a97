import { isCovered, type HolidayCalendar } from '../../../platform/calendar/calendar.ts';
import { isIsoDate } from '../../../platform/calendar/dates.ts';
import { badUserInput } from '../../../platform/errors.ts';
import {
  BUSINESS_OUTCOMES,
  INDUSTRIES,
  ISSUE_TYPES,
  type BusinessOutcome,
  type Industry,
  type IssueType,
} from '../../../platform/vocabulary.ts';
import { InformationItem, Proceeding, type Catalogue, type Channel } from './catalogue.ts';

/** What a consumer tells us about a dispute; dates are YYYY-MM-DD in China time. */
export interface Situation {
  industry: Industry;
  issueType: IssueType;
  /** When the thing complained about happened (the purchase, the charge, the delivery). */
  occurredOn: string;
  /** When the consumer learnt of the harm, if later than occurredOn (limitation "from knowledge"). */
  knewOn?: string | null;
  /** Amount in dispute, CNY. */
  amount?: number | null;
  /** Where the business is, free text (e.g. 浙江省义乌市). */
  region?: string | null;
  respondent?: { name?: string | null; creditCode?: string | null; address?: string | null } | null;
  /** The marketplace or app the purchase was made on (e.g. 淘宝), when there was one. */
  platform?: string | null;
  /** When the consumer first complained to the business itself. */
  contactedBusinessOn?: string | null;
  businessOutcome?: BusinessOutcome | null;
  businessRepliedOn?: string | null;
  /** Proceedings the matter is already before. */
  alreadyBefore?: readonly Proceeding[] | null;
  /** Channels (catalogue ids) the consumer already filed this matter with. */
  alreadyFiledWith?: readonly string[] | null;
  /** Other required information the consumer has ready (the engine cannot see it otherwise). */
  prepared?: readonly InformationItem[] | null;
}

export interface SituationPaths {
  /** How the situation argument is named for the client, e.g. `situation`. */
  situation: string;
  asOf: string;
}

const DEFAULT_PATHS: SituationPaths = { situation: 'situation', asOf: 'asOf' };

function checkDate(path: string, value: unknown, required: boolean): void {
  if (value === undefined || value === null) {
    if (required) throw badUserInput(path, 'a date written YYYY-MM-DD', value);
    return;
  }
  if (!isIsoDate(value)) throw badUserInput(path, 'a date written YYYY-MM-DD', value);
}

/**
 * Rejects situations that cannot be true, so that no answer is silently wrong: a date after
 * `asOf`, a reply before the contact, a negative amount, and an `asOf` the holiday calendar
 * does not cover (every answer involves working days or holiday-shifted periods).
 */
export function validateSituation(
  catalogue: Catalogue,
  calendar: HolidayCalendar,
  situation: Situation,
  asOf: string,
  paths: SituationPaths = DEFAULT_PATHS,
): void {
  const at = (field: string) => `${paths.situation}.${field}`;
  checkDate(paths.asOf, asOf, true);
  if (!isCovered(calendar, asOf)) {
    throw badUserInput(
      paths.asOf,
      `a date in a year the holiday calendar covers (${calendar.coveredYears.join(', ')})`,
      asOf,
    );
  }
  if (!INDUSTRIES.includes(situation.industry))
    throw badUserInput(at('industry'), `one of ${INDUSTRIES.join(', ')}`, situation.industry);
  if (!ISSUE_TYPES.includes(situation.issueType))
    throw badUserInput(at('issueType'), `one of ${ISSUE_TYPES.join(', ')}`, situation.issueType);
  checkDate(at('occurredOn'), situation.occurredOn, true);
  checkDate(at('knewOn'), situation.knewOn, false);
  checkDate(at('contactedBusinessOn'), situation.contactedBusinessOn, false);
  checkDate(at('businessRepliedOn'), situation.businessRepliedOn, false);

  const notAfterAsOf = (field: 'occurredOn' | 'knewOn' | 'contactedBusinessOn' | 'businessRepliedOn') => {
    const value = situation[field];
    if (value && value > asOf) throw badUserInput(at(field), `a date on or before asOf (${asOf})`, value);
  };
  notAfterAsOf('occurredOn');
  notAfterAsOf('knewOn');
  notAfterAsOf('contactedBusinessOn');
  notAfterAsOf('businessRepliedOn');

  if (situation.knewOn && situation.knewOn < situation.occurredOn) {
    throw badUserInput(at('knewOn'), `a date on or after occurredOn (${situation.occurredOn})`, situation.knewOn);
  }
  if (situation.contactedBusinessOn && situation.contactedBusinessOn < situation.occurredOn) {
    throw badUserInput(
      at('contactedBusinessOn'),
      `a date on or after occurredOn (${situation.occurredOn})`,
      situation.contactedBusinessOn,
    );
  }
  if (situation.businessRepliedOn) {
    if (!situation.contactedBusinessOn) {
      throw badUserInput(
        at('contactedBusinessOn'),
        'the date you complained to the business, since a reply date is given',
        null,
      );
    }
    if (situation.businessRepliedOn < situation.contactedBusinessOn) {
      throw badUserInput(
        at('businessRepliedOn'),
        `a date on or after contactedBusinessOn (${situation.contactedBusinessOn})`,
        situation.businessRepliedOn,
      );
    }
    if (situation.businessOutcome === 'NO_REPLY') {
      throw badUserInput(
        at('businessOutcome'),
        'an outcome other than NO_REPLY when a reply date is given',
        situation.businessOutcome,
      );
    }
  }
  if (situation.businessOutcome != null && !BUSINESS_OUTCOMES.includes(situation.businessOutcome)) {
    throw badUserInput(at('businessOutcome'), `one of ${BUSINESS_OUTCOMES.join(', ')}`, situation.businessOutcome);
  }
  if (situation.amount != null && (!Number.isFinite(situation.amount) || situation.amount < 0)) {
    throw badUserInput(at('amount'), 'an amount of 0 or more (CNY)', situation.amount);
  }
  (situation.alreadyFiledWith ?? []).forEach((id, index) => {
    if (!catalogue.byId.has(id))
      throw badUserInput(`${at('alreadyFiledWith')}.${index}`, 'a channel id from the directory', id);
  });
  (situation.alreadyBefore ?? []).forEach((proceeding, index) => {
    if (!(proceeding in Proceeding))
      throw badUserInput(`${at('alreadyBefore')}.${index}`, `one of ${Object.keys(Proceeding).join(', ')}`, proceeding);
  });
  (situation.prepared ?? []).forEach((item, index) => {
    if (!(item in InformationItem))
      throw badUserInput(`${at('prepared')}.${index}`, `one of ${Object.keys(InformationItem).join(', ')}`, item);
  });
}

const filled = (value: string | null | undefined) => typeof value === 'string' && value.trim().length > 0;

/** The information items the situation already supplies, by what it says or what it declares ready. */
export function providedInformation(situation: Situation): Set<InformationItem> {
  const provided = new Set<InformationItem>(situation.prepared ?? []);
  provided.add('EVENT_DATE');
  if (situation.amount != null) provided.add('AMOUNT');
  if (filled(situation.respondent?.name)) provided.add('RESPONDENT_NAME');
  if (filled(situation.respondent?.address)) provided.add('RESPONDENT_ADDRESS');
  if (filled(situation.region)) provided.add('RESPONDENT_REGION');
  if (situation.contactedBusinessOn) provided.add('BUSINESS_CONTACT_DATE');
  if (
    situation.businessRepliedOn ||
    situation.businessOutcome === 'UNSATISFIED' ||
    situation.businessOutcome === 'SATISFIED'
  ) {
    provided.add('BUSINESS_REPLY');
  }
  return provided;
}

/**
 * The proceedings the matter is before, as seen by `channel`: those declared, a settlement when the
 * business satisfied the consumer, and what each channel already filed with counts as.
 */
export function proceedingsFor(catalogue: Catalogue, situation: Situation, channel: Channel): Set<Proceeding> {
  const proceedings = new Set<Proceeding>(situation.alreadyBefore ?? []);
  if (situation.businessOutcome === 'SATISFIED') proceedings.add('SETTLED');
  for (const id of situation.alreadyFiledWith ?? []) {
    if (id === channel.id) {
      proceedings.add('SAME_CHANNEL');
      continue;
    }
    const countsAs = catalogue.byId.get(id)?.countsAs;
    if (countsAs) proceedings.add(countsAs);
  }
  return proceedings;
}
