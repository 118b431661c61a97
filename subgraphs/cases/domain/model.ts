import type { Role } from '../../../platform/context.ts';
import type { BusinessOutcome, Industry, IssueType } from '../../../platform/vocabulary.ts';

/** Where a case stands in its life; see `lifecycle.ts` for who may move it where. */
export const CaseStatus = {
  Submitted: 'submitted',
  Accepted: 'accepted',
  Rejected: 'rejected',
  Forwarded: 'forwarded',
  Responded: 'responded',
  Resolved: 'resolved',
  Unresolved: 'unresolved',
  Appealed: 'appealed',
  Closed: 'closed',
  Withdrawn: 'withdrawn',
} as const;
export type CaseStatus = (typeof CaseStatus)[keyof typeof CaseStatus];
export const CASE_STATUSES = Object.values(CaseStatus) as CaseStatus[];

/** How a closed case ended, as published. */
export const CaseOutcome = {
  Resolved: 'RESOLVED',
  Unresolved: 'UNRESOLVED',
  Rejected: 'REJECTED',
  Withdrawn: 'WITHDRAWN',
} as const;
export type CaseOutcome = (typeof CaseOutcome)[keyof typeof CaseOutcome];

/** The complainant's own contact details: personal data, never published. */
export interface Complainant {
  name: string;
  phone: string | null;
  email: string | null;
  address: string | null;
}

/** The business the complaint is about, as the complainant identified it. */
export interface Respondent {
  /** Deterministic Enterprise id (platform/enterprise). */
  enterpriseId: string;
  name: string;
  creditCode: string | null;
  address: string | null;
  storeUrl: string | null;
  platform: string | null;
}

/** The fields the complainant may change by editing, and that each revision keeps. */
export interface CaseContent {
  complainant: Complainant;
  respondent: Respondent;
  industry: Industry;
  issueType: IssueType;
  title: string;
  description: string;
  demands: string;
  /** CNY. */
  amount: number;
  /** YYYY-MM-DD. */
  occurredOn: string;
  region: string | null;
  contactedBusinessOn: string | null;
  businessOutcome: BusinessOutcome | null;
  businessRepliedOn: string | null;
}

/** The redacted public result, frozen when staff publish it. */
export interface Publication {
  respondentName: string;
  respondentCreditCode: string | null;
  complainantName: string;
  title: string;
  facts: string;
  enterpriseReply: string | null;
  outcome: CaseOutcome;
  publishedAt: string;
}

export interface CaseRecord extends CaseContent {
  id: string;
  /** Human case number, e.g. WQ-20261122-000123; assigned by the store on insert. */
  reference: string;
  status: CaseStatus;
  /** Incremented by every change; edits and transitions must name the version they saw. */
  version: number;
  /** The account that filed the case. */
  complainantId: string;
  submittedAt: string;
  statusChangedAt: string;
  acceptedAt: string | null;
  forwardedAt: string | null;
  respondedAt: string | null;
  closedAt: string | null;
  /** The status the case was closed from, which decides the published outcome. */
  closedFrom: CaseStatus | null;
  enterpriseReply: string | null;
  /** 1..5, given by the complainant when confirming the resolution. */
  satisfaction: number | null;
  /** Acceptance due date (China date, YYYY-MM-DD). */
  acceptBy: string;
  /** Reply due date once forwarded (China date). */
  respondBy: string | null;
  /** The deadline the case is currently waiting on (accept or respond), for the staff queue; null when none runs. */
  pendingDeadline: string | null;
  publication: Publication | null;
  /** The deadline last flagged overdue, so the scheduler flags each missed deadline once. */
  overdueFlaggedFor: string | null;
  /** Other channels the complainant has taken the matter to (directory Channel ids), oldest first. */
  escalations: Escalation[];
  /** Uploaded evidence files attached to the case (ids from POST /evidence), in attachment order. */
  evidenceIds: string[];
}

export const TimelineEventType = {
  Submitted: 'SUBMITTED',
  Edited: 'EDITED',
  Accepted: 'ACCEPTED',
  Rejected: 'REJECTED',
  Forwarded: 'FORWARDED',
  Responded: 'RESPONDED',
  ResolutionConfirmed: 'RESOLUTION_CONFIRMED',
  ReportedUnsatisfied: 'REPORTED_UNSATISFIED',
  Appealed: 'APPEALED',
  Withdrawn: 'WITHDRAWN',
  Closed: 'CLOSED',
  Published: 'PUBLISHED',
  OverdueFlagged: 'OVERDUE_FLAGGED',
  EvidenceAdded: 'EVIDENCE_ADDED',
  Escalated: 'ESCALATED',
} as const;
export type TimelineEventType = (typeof TimelineEventType)[keyof typeof TimelineEventType];

/** The complainant's record that they also complained through another channel. */
export interface Escalation {
  channelId: string;
  at: string;
  note: string | null;
}

/** One append-only entry of a case's history. */
export interface TimelineEvent {
  id: string;
  caseId: string;
  /** Position in the case's timeline, from 1. */
  sequence: number;
  type: TimelineEventType;
  at: string;
  actorRole: Role;
  actorId: string;
  fromStatus: CaseStatus | null;
  toStatus: CaseStatus | null;
  /** The reason, reply or remark the actor gave. */
  note: string | null;
}

/** The content of a case as of one version; diffs are computed between consecutive revisions. */
export interface CaseRevision {
  caseId: string;
  version: number;
  at: string;
  actorId: string;
  content: CaseContent;
}

/** Who a state change concerns; the outbox turns each into e-mails and webhooks. */
export const Audience = {
  Complainant: 'complainant',
  Enterprise: 'enterprise',
  Staff: 'staff',
} as const;
export type Audience = (typeof Audience)[keyof typeof Audience];

export interface NotificationIntent {
  /** The timeline event type that caused it, e.g. FORWARDED. */
  event: TimelineEventType;
  audience: Audience;
}
