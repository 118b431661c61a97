import { CaseOutcome, CaseStatus, type CaseRecord, type Publication } from './model.ts';
import { maskName, scrubText } from './redaction.ts';

/** What is published of a closed case: its outcome and the redacted result (applyAction's PUBLISH). */

/** The outcome published for a case closed from `status`. */
export function outcomeOf(closedFrom: CaseStatus | null): CaseOutcome {
  switch (closedFrom) {
    case CaseStatus.Resolved:
      return CaseOutcome.Resolved;
    case CaseStatus.Rejected:
      return CaseOutcome.Rejected;
    case CaseStatus.Withdrawn:
      return CaseOutcome.Withdrawn;
    default:
      return CaseOutcome.Unresolved;
  }
}

/** The redacted public result of a closed case. */
export function buildPublication(record: CaseRecord, publishedAt: string): Publication {
  const scrub = (text: string) => scrubText(text, record.complainant);
  return {
    respondentName: record.respondent.name,
    respondentCreditCode: record.respondent.creditCode,
    complainantName: maskName(record.complainant.name),
    title: scrub(record.title),
    facts: scrub(`${record.description}\n\n诉求 / Demands: ${record.demands}`),
    enterpriseReply: record.enterpriseReply === null ? null : scrub(record.enterpriseReply),
    outcome: outcomeOf(record.closedFrom),
    publishedAt,
  };
}
