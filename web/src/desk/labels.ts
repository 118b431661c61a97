/** The case desk's enums in both languages (complete records, so a new value fails the type check). */
import type { Label } from '../app/vocabulary.ts';
import type { CaseAction, CaseStatus, TimelineEventType } from '../gql/graphql.ts';

export const STATUS_LABELS: Record<CaseStatus, Label> = {
  SUBMITTED: ['已提交', 'Submitted'],
  ACCEPTED: ['已受理', 'Accepted'],
  REJECTED: ['不予受理', 'Rejected'],
  FORWARDED: ['已转企业', 'Forwarded'],
  RESPONDED: ['企业已答复', 'Business replied'],
  RESOLVED: ['已解决', 'Resolved'],
  UNRESOLVED: ['未解决', 'Unresolved'],
  APPEALED: ['已申诉', 'Appealed'],
  CLOSED: ['已办结', 'Closed'],
  WITHDRAWN: ['已撤回', 'Withdrawn'],
};

export const ACTION_LABELS: Record<CaseAction, Label> = {
  ACCEPT: ['受理', 'Accept'],
  ADD_EVIDENCE: ['补充证据', 'Add evidence'],
  APPEAL: ['申诉', 'Appeal'],
  CLOSE: ['办结', 'Close'],
  CONFIRM_RESOLUTION: ['确认已解决', 'Confirm resolved'],
  EDIT: ['修改', 'Edit'],
  FLAG_OVERDUE: ['标记超期', 'Flag overdue'],
  FORWARD: ['转交企业', 'Forward to the business'],
  PUBLISH: ['公开', 'Publish'],
  RECORD_ESCALATION: ['记录转投', 'Record escalation'],
  REJECT: ['不予受理', 'Reject'],
  REPORT_UNSATISFIED: ['不满意', 'Not satisfied'],
  RESPOND: ['答复', 'Reply'],
  WITHDRAW: ['撤回', 'Withdraw'],
};

export const EVENT_LABELS: Record<TimelineEventType, Label> = {
  SUBMITTED: ['提交', 'Submitted'],
  EDITED: ['修改', 'Edited'],
  ACCEPTED: ['受理', 'Accepted'],
  REJECTED: ['不予受理', 'Rejected'],
  FORWARDED: ['转交企业', 'Forwarded'],
  RESPONDED: ['企业答复', 'Business replied'],
  RESOLUTION_CONFIRMED: ['确认解决', 'Resolution confirmed'],
  REPORTED_UNSATISFIED: ['表示不满意', 'Reported unsatisfied'],
  APPEALED: ['申诉', 'Appealed'],
  WITHDRAWN: ['撤回', 'Withdrawn'],
  CLOSED: ['办结', 'Closed'],
  PUBLISHED: ['公开', 'Published'],
  ESCALATED: ['已转投其他渠道', 'Escalated'],
  EVIDENCE_ADDED: ['补充证据', 'Evidence added'],
  OVERDUE_FLAGGED: ['标记超期', 'Flagged overdue'],
};
