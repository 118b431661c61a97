import { randomUUID } from 'node:crypto';
import { chinaDateOf, isIsoDate } from '../../../platform/calendar/index.ts';
import type { Actor } from '../../../platform/context.ts';
import { normaliseCreditCode } from '../../../platform/enterprise/credit-code.ts';
import type { EnterpriseResolver } from '../../../platform/enterprise/identity.ts';
import { badUserInput } from '../../../platform/errors.ts';
import {
  BUSINESS_OUTCOMES,
  INDUSTRIES,
  ISSUE_TYPES,
  type BusinessOutcome,
  type Industry,
  type IssueType,
} from '../../../platform/vocabulary.ts';
import { acceptDeadline, type CasePolicy } from './deadlines.ts';
import {
  CaseStatus,
  TimelineEventType,
  type CaseContent,
  type CaseRecord,
  type CaseRevision,
  type TimelineEvent,
} from './model.ts';

/**
 * Seed 002: cases die when the complainant cannot be reached or the business cannot be found.
 * So a filing is refused, field by field, unless both are workable.
 */
export const LIMITS = {
  nameMax: 50,
  titleMin: 4,
  titleMax: 100,
  descriptionMin: 20,
  descriptionMax: 5000,
  demandsMin: 2,
  demandsMax: 1000,
  respondentTextMax: 200,
  amountMax: 100_000_000,
} as const;

export const MAINLAND_MOBILE = /^1[3-9]\d{9}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;

/** Raw filing as a client sends it (GraphQL SubmitCaseInput). */
export interface FilingInput {
  complainant: { name: string; phone?: string | null; email?: string | null; address?: string | null };
  respondent: {
    name: string;
    creditCode?: string | null;
    address?: string | null;
    storeUrl?: string | null;
    platform?: string | null;
  };
  industry: string;
  issueType: string;
  title: string;
  description: string;
  demands: string;
  amount: number;
  occurredOn: string;
  region?: string | null;
  contactedBusinessOn?: string | null;
  businessOutcome?: string | null;
  businessRepliedOn?: string | null;
}

/** An edit: any subset of the filing; nested objects replace field by field. */
export interface EditInput {
  complainant?: Partial<FilingInput['complainant']> | null;
  respondent?: Partial<FilingInput['respondent']> | null;
  industry?: string | null;
  issueType?: string | null;
  title?: string | null;
  description?: string | null;
  demands?: string | null;
  amount?: number | null;
  occurredOn?: string | null;
  region?: string | null;
  contactedBusinessOn?: string | null;
  businessOutcome?: string | null;
  businessRepliedOn?: string | null;
}

function optionalText(value: string | null | undefined): string | null {
  const text = value?.trim();
  return text ? text : null;
}

function text(value: string | null | undefined, path: string, min: number, max: number, what: string): string {
  const result = (value ?? '').trim();
  if (result.length < min)
    throw badUserInput(path, min <= 1 ? what : `${what} of at least ${min} characters`, value ?? null);
  if (result.length > max)
    throw badUserInput(path, `${what} of at most ${max} characters`, `${result.length} characters`);
  return result;
}

/** 138 0013 8000, 138-0013-8000 and +86 13800138000 all normalise to 13800138000; null if not a mainland mobile. */
export function normaliseMobile(raw: string): string | null {
  const digits = raw.replace(/[\s-]/g, '').replace(/^(\+86|0086)/, '');
  return MAINLAND_MOBILE.test(digits) ? digits : null;
}

function pastDate(value: string | null | undefined, path: string, today: string, what: string): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (!isIsoDate(value)) throw badUserInput(path, `${what} as YYYY-MM-DD`, value);
  if (value > today) throw badUserInput(path, `${what} not in the future (today is ${today} in China)`, value);
  return value;
}

function oneOf<T extends string>(value: string | null | undefined, allowed: readonly T[], path: string): T {
  if (!allowed.includes(value as T)) throw badUserInput(path, `one of ${allowed.join(', ')}`, value ?? null);
  return value as T;
}

/**
 * Validates a filing and returns its normalised content, or throws BAD_USER_INPUT naming the
 * field (`input.complainant.phone`) and what is expected. `now` decides what "the future" is.
 */
export function validateFiling(input: FilingInput, resolver: EnterpriseResolver, now: Date): CaseContent {
  const today = chinaDateOf(now);
  const c = input.complainant ?? ({} as FilingInput['complainant']);
  const name = text(c.name, 'input.complainant.name', 1, LIMITS.nameMax, 'your name');
  const rawPhone = optionalText(c.phone);
  const rawEmail = optionalText(c.email);
  let phone: string | null = null;
  if (rawPhone !== null) {
    phone = normaliseMobile(rawPhone);
    if (phone === null)
      throw badUserInput('input.complainant.phone', 'a mainland mobile number: 11 digits starting 13-19', rawPhone);
  }
  if (rawEmail !== null && (!EMAIL.test(rawEmail) || rawEmail.length > 254)) {
    throw badUserInput('input.complainant.email', 'an e-mail address such as name@example.com', rawEmail);
  }
  if (phone === null && rawEmail === null) {
    throw badUserInput(
      'input.complainant.phone',
      'a mainland mobile number or an e-mail address (input.complainant.email) so the case can reach you',
    );
  }
  const complainant = {
    name,
    phone,
    email: rawEmail === null ? null : rawEmail.toLowerCase(),
    address: optionalText(c.address),
  };

  const r = input.respondent ?? ({} as FilingInput['respondent']);
  const respondentName = text(r.name, 'input.respondent.name', 1, LIMITS.respondentTextMax, 'the business name');
  const rawCode = optionalText(r.creditCode);
  let creditCode: string | null = null;
  if (rawCode !== null) {
    creditCode = normaliseCreditCode(rawCode);
    if (creditCode === null) {
      throw badUserInput(
        'input.respondent.creditCode',
        'an 18-character unified social credit code with a valid check character',
        rawCode,
      );
    }
  }
  const storeUrl = optionalText(r.storeUrl);
  if (storeUrl !== null) {
    let ok = false;
    try {
      ok = ['http:', 'https:'].includes(new URL(storeUrl).protocol);
    } catch {
      ok = false;
    }
    if (!ok) throw badUserInput('input.respondent.storeUrl', 'an http(s) URL of the store page', storeUrl);
  }
  const address = optionalText(r.address);
  const platform = optionalText(r.platform);
  for (const [field, value] of [
    ['address', address],
    ['platform', platform],
  ] as const) {
    if (value !== null && value.length > LIMITS.respondentTextMax) {
      throw badUserInput(
        `input.respondent.${field}`,
        `at most ${LIMITS.respondentTextMax} characters`,
        `${value.length} characters`,
      );
    }
  }
  if (creditCode === null && address === null && storeUrl === null && platform === null) {
    throw badUserInput(
      'input.respondent',
      'besides the name, at least one of creditCode, address, storeUrl or platform, so the business can be found',
    );
  }
  const identity = resolver.resolve({ name: respondentName, creditCode });

  const industry = oneOf<Industry>(input.industry, INDUSTRIES, 'input.industry');
  const issueType = oneOf<IssueType>(input.issueType, ISSUE_TYPES, 'input.issueType');
  const title = text(input.title, 'input.title', LIMITS.titleMin, LIMITS.titleMax, 'a title');
  const description = text(
    input.description,
    'input.description',
    LIMITS.descriptionMin,
    LIMITS.descriptionMax,
    'a description of the facts',
  );
  const demands = text(input.demands, 'input.demands', LIMITS.demandsMin, LIMITS.demandsMax, 'what you ask for');
  const amount = input.amount;
  if (typeof amount !== 'number' || !Number.isFinite(amount) || amount < 0 || amount > LIMITS.amountMax) {
    throw badUserInput('input.amount', `the amount involved in CNY, from 0 to ${LIMITS.amountMax}`, amount);
  }
  if (Math.round(amount * 100) !== Number((amount * 100).toFixed(6))) {
    throw badUserInput('input.amount', 'an amount in CNY with at most two decimals (fen)', amount);
  }
  const occurredOn = pastDate(input.occurredOn, 'input.occurredOn', today, 'the date it happened');
  if (occurredOn === null) throw badUserInput('input.occurredOn', 'the date it happened as YYYY-MM-DD');
  const contactedBusinessOn = pastDate(
    input.contactedBusinessOn,
    'input.contactedBusinessOn',
    today,
    'the date you complained to the business',
  );
  if (contactedBusinessOn !== null && contactedBusinessOn < occurredOn) {
    throw badUserInput(
      'input.contactedBusinessOn',
      `a date on or after occurredOn (${occurredOn})`,
      contactedBusinessOn,
    );
  }
  const businessOutcome =
    input.businessOutcome === null || input.businessOutcome === undefined
      ? null
      : oneOf<BusinessOutcome>(input.businessOutcome, BUSINESS_OUTCOMES, 'input.businessOutcome');
  if (businessOutcome !== null && contactedBusinessOn === null) {
    throw badUserInput(
      'input.contactedBusinessOn',
      'the date you complained to the business, since you give its outcome',
    );
  }
  if (contactedBusinessOn !== null && businessOutcome === null) {
    throw badUserInput(
      'input.businessOutcome',
      `what the business did after you contacted it: one of ${BUSINESS_OUTCOMES.join(', ')}`,
    );
  }
  const businessRepliedOn = pastDate(
    input.businessRepliedOn,
    'input.businessRepliedOn',
    today,
    'the date the business replied',
  );
  if (businessRepliedOn !== null) {
    if (contactedBusinessOn === null)
      throw badUserInput('input.contactedBusinessOn', 'the date you complained to the business, since it replied');
    if (businessRepliedOn < contactedBusinessOn) {
      throw badUserInput(
        'input.businessRepliedOn',
        `a date on or after contactedBusinessOn (${contactedBusinessOn})`,
        businessRepliedOn,
      );
    }
    if (businessOutcome === 'NO_REPLY')
      throw badUserInput(
        'input.businessOutcome',
        'an outcome other than NO_REPLY, since the business replied',
        businessOutcome,
      );
  }

  return {
    complainant,
    respondent: { enterpriseId: identity.id, name: respondentName, creditCode, address, storeUrl, platform },
    industry,
    issueType,
    title,
    description,
    demands,
    amount,
    occurredOn,
    region: optionalText(input.region),
    contactedBusinessOn,
    businessOutcome,
    businessRepliedOn,
  };
}

/** Applies an edit over the current content and validates the result as a whole filing. */
export function validateEdit(
  current: CaseContent,
  edit: EditInput,
  resolver: EnterpriseResolver,
  now: Date,
): CaseContent {
  const pick = <T>(value: T | null | undefined, fallback: T): T => (value === undefined ? fallback : (value as T));
  const merged: FilingInput = {
    complainant: { ...current.complainant, ...definedOnly(edit.complainant) },
    respondent: { ...current.respondent, ...definedOnly(edit.respondent) },
    industry: pick(edit.industry, current.industry) ?? '',
    issueType: pick(edit.issueType, current.issueType) ?? '',
    title: pick(edit.title, current.title) ?? '',
    description: pick(edit.description, current.description) ?? '',
    demands: pick(edit.demands, current.demands) ?? '',
    amount: pick(edit.amount, current.amount) ?? Number.NaN,
    occurredOn: pick(edit.occurredOn, current.occurredOn) ?? '',
    region: pick(edit.region, current.region),
    contactedBusinessOn: pick(edit.contactedBusinessOn, current.contactedBusinessOn),
    businessOutcome: pick(edit.businessOutcome, current.businessOutcome),
    businessRepliedOn: pick(edit.businessRepliedOn, current.businessRepliedOn),
  };
  // Cases filed before the outcome became required may record a contact without it: say that the
  // gap is in the stored case, so an edit of anything else tells the user what to add.
  if (
    current.contactedBusinessOn !== null &&
    current.businessOutcome === null &&
    merged.contactedBusinessOn &&
    !merged.businessOutcome
  ) {
    throw badUserInput(
      'input.businessOutcome',
      `what the business did after you contacted it on ${merged.contactedBusinessOn} ` +
        `(this case records the contact but not its outcome): one of ${BUSINESS_OUTCOMES.join(', ')}`,
    );
  }
  return validateFiling(merged, resolver, now);
}

function definedOnly<T extends object>(value: T | null | undefined): Partial<T> {
  if (!value) return {};
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** A new case as filed, with its first timeline event and first revision; the store assigns `reference`. */
export function newCase(
  content: CaseContent,
  actor: Actor,
  now: Date,
  policy: CasePolicy,
  id: string = randomUUID(),
): { record: CaseRecord; event: TimelineEvent; revision: CaseRevision } {
  const at = now.toISOString();
  const acceptBy = acceptDeadline(policy, at);
  const record: CaseRecord = {
    ...content,
    id,
    reference: '',
    status: CaseStatus.Submitted,
    version: 1,
    complainantId: actor.id,
    submittedAt: at,
    statusChangedAt: at,
    acceptedAt: null,
    forwardedAt: null,
    respondedAt: null,
    closedAt: null,
    closedFrom: null,
    enterpriseReply: null,
    satisfaction: null,
    acceptBy,
    respondBy: null,
    pendingDeadline: acceptBy,
    publication: null,
    evidenceIds: [],
    escalations: [],
    overdueFlaggedFor: null,
  };
  const event: TimelineEvent = {
    id: randomUUID(),
    caseId: id,
    sequence: 1,
    type: TimelineEventType.Submitted,
    at,
    actorRole: actor.role,
    actorId: actor.id,
    fromStatus: null,
    toStatus: CaseStatus.Submitted,
    note: null,
  };
  return { record, event, revision: { caseId: id, version: 1, at, actorId: actor.id, content } };
}

/** WQ-20261122-000123: the China date of submission and that day's sequence number. */
export function formatReference(submittedAt: string, sequence: number): string {
  return `WQ-${chinaDateOf(new Date(submittedAt)).replaceAll('-', '')}-${String(sequence).padStart(6, '0')}`;
}

/** The day key a reference sequence counts within. */
export function referenceDay(submittedAt: string): string {
  return chinaDateOf(new Date(submittedAt));
}
