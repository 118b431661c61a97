/**
 * The situation in the query string, so an answer can be shared, bookmarked and reached again with
 * the back button. Keys are the input's own field names (the ones `argumentPath` names). Nothing
 * personal is asked for, so nothing personal reaches the URL.
 */
import type { BusinessOutcome, Industry, IssueType, Proceeding, SituationInput } from '../gql/graphql.ts';
import { BUSINESS_OUTCOME_LABELS, INDUSTRY_LABELS, ISSUE_TYPE_LABELS, PROCEEDING_LABELS } from '../app/vocabulary.ts';

/** What the form holds: every field as typed, before it is a valid situation. */
export interface SituationForm {
  industry: string;
  issueType: string;
  occurredOn: string;
  knewOn: string;
  contactedBusinessOn: string;
  businessOutcome: string;
  businessRepliedOn: string;
  amount: string;
  region: string;
  alreadyBefore: string[];
  asOf: string;
}

const TEXT_FIELDS = [
  'industry',
  'issueType',
  'occurredOn',
  'knewOn',
  'contactedBusinessOn',
  'businessOutcome',
  'businessRepliedOn',
  'amount',
  'region',
  'asOf',
] as const;

export function formFromQuery(query: Record<string, string>): SituationForm {
  const form: SituationForm = {
    industry: '',
    issueType: '',
    occurredOn: '',
    knewOn: '',
    contactedBusinessOn: '',
    businessOutcome: '',
    businessRepliedOn: '',
    amount: '',
    region: '',
    alreadyBefore: [],
    asOf: '',
  };
  for (const field of TEXT_FIELDS) form[field] = query[field] ?? '';
  form.alreadyBefore = (query.alreadyBefore ?? '').split(',').filter((value) => value in PROCEEDING_LABELS);
  return form;
}

/** The query string of a form, with empty fields left out; `lang` kept when the page has one. */
export function queryFromForm(form: SituationForm, lang: string | undefined): string {
  const params = new URLSearchParams();
  for (const field of TEXT_FIELDS) if (form[field].trim()) params.set(field, form[field].trim());
  if (form.alreadyBefore.length > 0) params.set('alreadyBefore', form.alreadyBefore.join(','));
  if (lang) params.set('lang', lang);
  return params.toString();
}

const optional = (value: string) => (value ? value : undefined);

/**
 * The GraphQL variables for a form, or null while a required field is missing. Values are passed
 * as typed: the graph validates them and answers BAD_USER_INPUT on the field that is wrong.
 */
export function variablesFromForm(form: SituationForm): { situation: SituationInput; asOf?: string } | null {
  if (!(form.industry in INDUSTRY_LABELS) || !(form.issueType in ISSUE_TYPE_LABELS) || !form.occurredOn) return null;
  const amount = form.amount === '' ? undefined : Number(form.amount);
  const situation: SituationInput = {
    industry: form.industry as Industry,
    issueType: form.issueType as IssueType,
    occurredOn: form.occurredOn,
    knewOn: optional(form.knewOn),
    contactedBusinessOn: optional(form.contactedBusinessOn),
    businessOutcome:
      form.businessOutcome in BUSINESS_OUTCOME_LABELS ? (form.businessOutcome as BusinessOutcome) : undefined,
    businessRepliedOn: optional(form.businessRepliedOn),
    amount: amount !== undefined && Number.isFinite(amount) ? amount : undefined,
    region: optional(form.region),
    alreadyBefore: form.alreadyBefore.length > 0 ? (form.alreadyBefore as Proceeding[]) : undefined,
  };
  return { situation, ...(form.asOf ? { asOf: form.asOf } : {}) };
}
