import { randomUUID } from 'node:crypto';
import type { GraphQLError } from 'graphql';
import { chinaDateOf } from '../../../platform/calendar/index.ts';
import { Role, type Actor } from '../../../platform/context.ts';
import { badUserInput, conflict, forbidden } from '../../../platform/errors.ts';
import { acceptDeadline, appealOpenUntil, isOverdue, respondDeadline, type CasePolicy } from './deadlines.ts';
import {
  Audience,
  CaseStatus,
  TimelineEventType,
  type CaseContent,
  type CaseRecord,
  type NotificationIntent,
  type TimelineEvent,
} from './model.ts';
import { KNOWN_CHANNEL_IDS } from './channels.ts';
import { buildPublication } from './publication.ts';

/**
 * The case state machine. Over 400 lines on purpose: the whole lifecycle is one table (TRANSITIONS),
 * and applyAction applies a row of it, action by action, next to the checks that guard every row
 * (party, time, required text); reading the table and its effects side by side is how a reviewer
 * checks a transition, so they stay in one file. Pieces with a concern of their own live beside it:
 * deadlines.ts, publication.ts (what is published of a closed case), redaction.ts.
 */

/** Everything anyone can do to a case. The GraphQL mutations map one to one onto these. */
export const CaseAction = {
  Edit: 'EDIT',
  Withdraw: 'WITHDRAW',
  Accept: 'ACCEPT',
  Reject: 'REJECT',
  Forward: 'FORWARD',
  Respond: 'RESPOND',
  ConfirmResolution: 'CONFIRM_RESOLUTION',
  ReportUnsatisfied: 'REPORT_UNSATISFIED',
  Appeal: 'APPEAL',
  Close: 'CLOSE',
  Publish: 'PUBLISH',
  FlagOverdue: 'FLAG_OVERDUE',
  AddEvidence: 'ADD_EVIDENCE',
  RecordEscalation: 'RECORD_ESCALATION',
} as const;
export type CaseAction = (typeof CaseAction)[keyof typeof CaseAction];

/** A condition a transition needs beyond the state and the role. */
export const Requirement = {
  /** A non-empty `reason` (withdraw, reject, close, appeal, unsatisfied). */
  Reason: 'REASON',
  /** A non-empty `reply` from the enterprise. */
  Reply: 'REPLY',
  /** The complainant acting is the one who filed the case. */
  OwnCase: 'OWN_CASE',
  /** The enterprise representative acting represents the respondent. */
  OwnEnterprise: 'OWN_ENTERPRISE',
  /** Not later than APPEAL_PERIOD_DAYS after the decision being appealed. */
  WithinAppealPeriod: 'WITHIN_APPEAL_PERIOD',
  /** The client names the version it last saw, and it is the current one. */
  CurrentVersion: 'CURRENT_VERSION',
  /** The case is past the deadline it waits on, and that deadline is not flagged yet. */
  Overdue: 'OVERDUE',
  /** At least one new evidence id, already checked by the evidence store. */
  Evidence: 'EVIDENCE',
  /** A known directory channel not yet recorded for this case. */
  Channel: 'CHANNEL',
  /** The case has never been forwarded to the business (edits close once it has). */
  NotForwarded: 'NOT_FORWARDED',
  /** The case has not been published yet. */
  NotPublished: 'NOT_PUBLISHED',
} as const;
export type Requirement = (typeof Requirement)[keyof typeof Requirement];

export interface Transition {
  action: CaseAction;
  from: readonly CaseStatus[];
  actors: readonly Role[];
  requires: readonly Requirement[];
  /** The resulting status; null keeps the current one. */
  to: CaseStatus | null;
  event: TimelineEventType;
  /** Who is told. The enterprise is told only about cases forwarded to it. */
  notify: readonly Audience[];
}

const S = CaseStatus;
const R = Requirement;

/** The whole lifecycle, in one table. Anything not listed here is refused with CONFLICT. */
export const TRANSITIONS: readonly Transition[] = [
  {
    action: CaseAction.Edit,
    from: [S.Submitted, S.Accepted, S.Rejected, S.Appealed],
    actors: [Role.Complainant],
    requires: [R.OwnCase, R.NotForwarded, R.CurrentVersion],
    to: null,
    event: TimelineEventType.Edited,
    notify: [Audience.Staff],
  },
  {
    action: CaseAction.Withdraw,
    from: [S.Submitted, S.Accepted, S.Rejected, S.Forwarded, S.Responded, S.Unresolved, S.Appealed],
    actors: [Role.Complainant],
    requires: [R.OwnCase, R.Reason],
    to: S.Withdrawn,
    event: TimelineEventType.Withdrawn,
    notify: [Audience.Staff, Audience.Enterprise],
  },
  {
    action: CaseAction.Accept,
    from: [S.Submitted, S.Appealed],
    actors: [Role.Staff],
    requires: [],
    to: S.Accepted,
    event: TimelineEventType.Accepted,
    notify: [Audience.Complainant],
  },
  {
    action: CaseAction.Reject,
    from: [S.Submitted, S.Appealed],
    actors: [Role.Staff],
    requires: [R.Reason],
    to: S.Rejected,
    event: TimelineEventType.Rejected,
    notify: [Audience.Complainant],
  },
  {
    action: CaseAction.Forward,
    from: [S.Accepted],
    actors: [Role.Staff],
    requires: [],
    to: S.Forwarded,
    event: TimelineEventType.Forwarded,
    notify: [Audience.Enterprise, Audience.Complainant],
  },
  {
    action: CaseAction.Respond,
    from: [S.Forwarded],
    actors: [Role.Enterprise],
    requires: [R.OwnEnterprise, R.Reply],
    to: S.Responded,
    event: TimelineEventType.Responded,
    notify: [Audience.Complainant, Audience.Staff],
  },
  {
    action: CaseAction.ConfirmResolution,
    from: [S.Responded],
    actors: [Role.Complainant],
    requires: [R.OwnCase],
    to: S.Resolved,
    event: TimelineEventType.ResolutionConfirmed,
    notify: [Audience.Enterprise, Audience.Staff],
  },
  {
    action: CaseAction.ReportUnsatisfied,
    from: [S.Responded],
    actors: [Role.Complainant],
    requires: [R.OwnCase, R.Reason],
    to: S.Unresolved,
    event: TimelineEventType.ReportedUnsatisfied,
    notify: [Audience.Enterprise, Audience.Staff],
  },
  {
    action: CaseAction.Appeal,
    from: [S.Rejected, S.Responded, S.Unresolved],
    actors: [Role.Complainant],
    requires: [R.OwnCase, R.Reason, R.WithinAppealPeriod],
    to: S.Appealed,
    event: TimelineEventType.Appealed,
    notify: [Audience.Staff, Audience.Enterprise],
  },
  {
    action: CaseAction.Close,
    from: [S.Rejected, S.Responded, S.Resolved, S.Unresolved, S.Appealed, S.Withdrawn],
    actors: [Role.Staff, Role.System],
    requires: [R.Reason],
    to: S.Closed,
    event: TimelineEventType.Closed,
    notify: [Audience.Complainant, Audience.Enterprise],
  },
  {
    action: CaseAction.Publish,
    from: [S.Closed],
    actors: [Role.Staff],
    requires: [R.NotPublished],
    to: null,
    event: TimelineEventType.Published,
    notify: [Audience.Complainant, Audience.Enterprise],
  },
  {
    action: CaseAction.AddEvidence,
    from: [S.Submitted, S.Accepted, S.Rejected, S.Forwarded, S.Responded, S.Unresolved, S.Appealed],
    actors: [Role.Complainant, Role.Staff],
    requires: [R.OwnCase, R.Evidence],
    to: null,
    event: TimelineEventType.EvidenceAdded,
    notify: [Audience.Staff, Audience.Enterprise],
  },
  {
    action: CaseAction.RecordEscalation,
    from: [
      S.Submitted,
      S.Accepted,
      S.Rejected,
      S.Forwarded,
      S.Responded,
      S.Resolved,
      S.Unresolved,
      S.Appealed,
      S.Closed,
    ],
    actors: [Role.Complainant],
    requires: [R.OwnCase, R.Channel],
    to: null,
    event: TimelineEventType.Escalated,
    notify: [Audience.Staff],
  },
  {
    action: CaseAction.FlagOverdue,
    from: [S.Submitted, S.Appealed, S.Forwarded],
    actors: [Role.System],
    requires: [R.Overdue],
    to: null,
    event: TimelineEventType.OverdueFlagged,
    notify: [Audience.Staff, Audience.Enterprise],
  },
];

/** What the caller supplies with an action. */
export interface ActionInput {
  action: CaseAction;
  reason?: string | null;
  reply?: string | null;
  /** 1..5 with CONFIRM_RESOLUTION. */
  satisfaction?: number | null;
  /** The version the client last saw; required for EDIT, checked for any action when given. */
  expectedVersion?: number | null;
  /** The directory channel for RECORD_ESCALATION. */
  channelId?: string | null;
  /** Evidence ids for ADD_EVIDENCE, already checked (existence, uploader) by the evidence store. */
  evidenceIds?: readonly string[];
  /** The new content for EDIT, already validated by `filing.ts`. */
  content?: CaseContent;
}

export interface ActionResult {
  record: CaseRecord;
  events: TimelineEvent[];
  notifications: NotificationIntent[];
}

export function transitionFor(action: CaseAction): Transition {
  const transition = TRANSITIONS.find((t) => t.action === action);
  if (!transition) throw new Error(`No transition for ${action}`);
  return transition;
}

/** The longest text accepted as a reason or reply; beyond that it is a document, which goes in evidence. */
export const MAX_NOTE_LENGTH = 5000;

function partyProblem(transition: Transition, record: CaseRecord, actor: Actor): GraphQLError | null {
  if (!transition.actors.includes(actor.role)) {
    return forbidden(`${transition.action} is for ${transition.actors.join(' or ')}; you are ${actor.role}.`);
  }
  // Staff act on anyone's case where the table lets them; OWN_CASE binds complainants only.
  if (transition.requires.includes(R.OwnCase) && actor.role === Role.Complainant && record.complainantId !== actor.id) {
    return forbidden(`Only the complainant who filed case ${record.reference} may ${transition.action}.`);
  }
  if (transition.requires.includes(R.OwnEnterprise) && record.respondent.enterpriseId !== actor.enterpriseId) {
    return forbidden(`Only a representative of the respondent of case ${record.reference} may ${transition.action}.`);
  }
  return null;
}

function timeProblem(transition: Transition, record: CaseRecord, policy: CasePolicy, now: Date): string | null {
  if (transition.requires.includes(R.WithinAppealPeriod)) {
    const until = appealOpenUntil(policy, record.statusChangedAt);
    if (chinaDateOf(now) > until) return `The appeal period ended on ${until}.`;
  }
  if (transition.requires.includes(R.Overdue)) {
    if (!isOverdue(record, now)) return 'The case is not overdue.';
    if (record.overdueFlaggedFor === record.pendingDeadline)
      return `The missed deadline ${record.pendingDeadline} is already flagged.`;
  }
  if (transition.requires.includes(R.NotForwarded) && record.forwardedAt !== null) {
    return 'The case has been forwarded to the business, so its filing can no longer be edited.';
  }
  if (transition.requires.includes(R.NotPublished) && record.publication !== null)
    return 'The case is already published.';
  return null;
}

/**
 * The actions `actor` may take on `record` now: right state, right role, right party, and any
 * time condition met. Inputs (reasons, versions) are not considered: they are the caller's to give.
 */
export function allowedActions(record: CaseRecord, actor: Actor | null, policy: CasePolicy, now: Date): CaseAction[] {
  if (!actor) return [];
  return TRANSITIONS.filter(
    (t) =>
      t.from.includes(record.status) &&
      partyProblem(t, record, actor) === null &&
      timeProblem(t, record, policy, now) === null,
  ).map((t) => t.action);
}

function refuse(message: string, record: CaseRecord, actor: Actor, policy: CasePolicy, now: Date): GraphQLError {
  // Spelled as the API's CaseStatus enum, so clients compare it with `Case.status` directly.
  return conflict(message, {
    currentStatus: record.status.toUpperCase(),
    currentVersion: record.version,
    allowedActions: allowedActions(record, actor, policy, now),
  });
}

function requiredText(value: string | null | undefined, argumentPath: string, what: string): string {
  const text = (value ?? '').trim();
  if (text.length === 0) throw badUserInput(argumentPath, what);
  if (text.length > MAX_NOTE_LENGTH)
    throw badUserInput(argumentPath, `${what} of at most ${MAX_NOTE_LENGTH} characters`, `${text.length} characters`);
  return text;
}

/** Which fields an edit changed, in a stable order (nested objects compared field by field). */
export function changedFields(before: CaseContent, after: CaseContent): string[] {
  const changed: string[] = [];
  for (const key of Object.keys(after) as (keyof CaseContent)[]) {
    const a = before[key];
    const b = after[key];
    if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
      for (const sub of Object.keys(b)) {
        if ((a as unknown as Record<string, unknown>)[sub] !== (b as unknown as Record<string, unknown>)[sub])
          changed.push(`${key}.${sub}`);
      }
    } else if (a !== b) changed.push(key);
  }
  return changed;
}

/** Only the editable content of a case (or of anything shaped like one), copied. */
export function contentOf(record: CaseContent): CaseContent {
  return {
    complainant: { ...record.complainant },
    respondent: { ...record.respondent },
    industry: record.industry,
    issueType: record.issueType,
    title: record.title,
    description: record.description,
    demands: record.demands,
    amount: record.amount,
    occurredOn: record.occurredOn,
    region: record.region,
    contactedBusinessOn: record.contactedBusinessOn,
    businessOutcome: record.businessOutcome,
    businessRepliedOn: record.businessRepliedOn,
  };
}

/**
 * Applies one action: the new case, the timeline events it records and whom to notify; or a
 * GraphQLError (CONFLICT with `currentStatus` and `allowedActions`, FORBIDDEN for the wrong party,
 * BAD_USER_INPUT for a missing reason). Pure: the clock and the policy are passed in, and
 * `record` is never mutated.
 */
export function applyAction(
  record: CaseRecord,
  input: ActionInput,
  actor: Actor,
  now: Date,
  policy: CasePolicy,
): ActionResult {
  const transition = transitionFor(input.action);
  const party = partyProblem(transition, record, actor);
  if (party) throw party;
  if (!transition.from.includes(record.status)) {
    throw refuse(
      `Case ${record.reference} is ${record.status}; ${input.action} is not possible now.`,
      record,
      actor,
      policy,
      now,
    );
  }
  const needsVersion = transition.requires.includes(R.CurrentVersion);
  if (needsVersion && (input.expectedVersion === undefined || input.expectedVersion === null)) {
    throw badUserInput('input.expectedVersion', 'the version of the case you last saw');
  }
  if (
    input.expectedVersion !== undefined &&
    input.expectedVersion !== null &&
    input.expectedVersion !== record.version
  ) {
    throw refuse(
      `Case ${record.reference} is at version ${record.version}, not ${input.expectedVersion}: reload it and retry.`,
      record,
      actor,
      policy,
      now,
    );
  }
  const time = timeProblem(transition, record, policy, now);
  if (time) throw refuse(`${input.action} is not possible: ${time}`, record, actor, policy, now);

  const at = now.toISOString();
  let note: string | null = null;
  if (transition.requires.includes(R.Reason)) note = requiredText(input.reason, 'input.reason', 'a reason');
  if (transition.requires.includes(R.Reply)) note = requiredText(input.reply, 'input.reply', 'the enterprise reply');
  if (!transition.requires.includes(R.Reason) && !transition.requires.includes(R.Reply) && input.reason) {
    // Optional remarks arrive as `input.note` in the API (CaseStepInput).
    note = requiredText(input.reason, 'input.note', 'a remark');
  }

  const next: CaseRecord = { ...record, version: record.version + 1 };
  if (transition.to !== null) {
    next.status = transition.to;
    next.statusChangedAt = at;
  }
  switch (transition.action) {
    case CaseAction.Edit: {
      if (!input.content) throw badUserInput('input', 'at least one field to change');
      const content = contentOf(input.content);
      const changed = changedFields(contentOf(record), content);
      if (changed.length === 0) throw badUserInput('input', 'at least one field with a new value');
      Object.assign(next, content);
      note = `changed: ${changed.join(', ')}`;
      break;
    }
    case CaseAction.Accept:
      next.acceptedAt = at;
      next.pendingDeadline = null;
      break;
    case CaseAction.Reject:
      next.pendingDeadline = null;
      break;
    case CaseAction.Forward:
      next.forwardedAt = at;
      next.respondBy = respondDeadline(policy, at);
      next.pendingDeadline = next.respondBy;
      break;
    case CaseAction.Respond:
      next.respondedAt = at;
      next.enterpriseReply = note;
      next.pendingDeadline = null;
      break;
    case CaseAction.ConfirmResolution: {
      const satisfaction = input.satisfaction ?? null;
      if (satisfaction !== null && (!Number.isInteger(satisfaction) || satisfaction < 1 || satisfaction > 5)) {
        throw badUserInput('input.satisfaction', 'a whole number from 1 to 5', satisfaction);
      }
      next.satisfaction = satisfaction;
      break;
    }
    case CaseAction.Appeal:
      // Staff decide an appeal within the same period as a new filing.
      next.acceptBy = acceptDeadline(policy, at);
      next.pendingDeadline = next.acceptBy;
      break;
    case CaseAction.Withdraw:
      next.pendingDeadline = null;
      break;
    case CaseAction.Close:
      next.closedAt = at;
      next.closedFrom = record.status;
      next.pendingDeadline = null;
      break;
    case CaseAction.AddEvidence: {
      const added = [...new Set(input.evidenceIds ?? [])].filter((id) => !record.evidenceIds.includes(id));
      if (added.length === 0)
        throw badUserInput('input.evidenceIds', 'at least one evidence id not yet attached to the case');
      next.evidenceIds = [...record.evidenceIds, ...added];
      note = `attached: ${added.join(', ')}`;
      break;
    }
    case CaseAction.FlagOverdue:
      next.overdueFlaggedFor = record.pendingDeadline;
      note = `deadline ${record.pendingDeadline} passed`;
      break;
    case CaseAction.RecordEscalation: {
      const channelId = input.channelId ?? '';
      if (!(KNOWN_CHANNEL_IDS as readonly string[]).includes(channelId)) {
        throw badUserInput('input.channelId', `a directory channel id: ${KNOWN_CHANNEL_IDS.join(', ')}`, channelId);
      }
      const recorded = record.escalations ?? [];
      if (recorded.some((e) => e.channelId === channelId))
        throw badUserInput('input.channelId', 'a channel not yet recorded for this case', channelId);
      const remark = note;
      next.escalations = [...recorded, { channelId, at, note: remark }];
      note = remark === null ? channelId : `${channelId}: ${remark}`;
      break;
    }
    case CaseAction.Publish:
      next.publication = buildPublication(record, at);
      break;
    default:
      break;
  }

  const event: TimelineEvent = {
    id: randomUUID(),
    caseId: record.id,
    // Every action bumps the version once, so the version numbers the timeline.
    sequence: next.version,
    type: transition.event,
    at,
    actorRole: actor.role,
    actorId: actor.id,
    fromStatus: record.status,
    toStatus: next.status,
    note,
  };
  const notifications = transition.notify
    .filter((audience) => audience !== Audience.Enterprise || next.forwardedAt !== null)
    .map((audience) => ({ event: transition.event, audience }));
  return { record: next, events: [event], notifications };
}

/** The lifecycle table as Markdown, for the documentation (rendered from TRANSITIONS, never written by hand). */
export function transitionTableMarkdown(): string {
  const rows = TRANSITIONS.map((t) =>
    [
      t.action,
      t.from.join(', '),
      t.actors.join(', '),
      t.requires.join(', ') || '—',
      t.to ?? '(unchanged)',
      t.event,
      t.notify.join(', '),
    ].join(' | '),
  );
  return [
    '| action | from | who | requires | to | timeline event | notifies |',
    '|---|---|---|---|---|---|---|',
    ...rows.map((row) => `| ${row} |`),
  ].join('\n');
}
