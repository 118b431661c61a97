import type { GraphQLResolverMap } from '@apollo/subgraph';
import { requireRole } from '../../platform/auth.ts';
import { Role, type Actor, type RequestContext } from '../../platform/context.ts';
import { badUserInput, forbidden, notFound, unauthenticated } from '../../platform/errors.ts';
import { suggestedChannelIds } from './domain/channels.ts';
import { appealOpenUntil, isOverdue, isProvisionalDeadline } from './domain/deadlines.ts';
import type { EditInput } from './domain/filing.ts';
import { CaseAction, allowedActions, transitionFor, type ActionInput } from './domain/lifecycle.ts';
import { CASE_STATUSES, type CaseRecord, type CaseStatus, type TimelineEvent } from './domain/model.ts';
import { revisionDiffs } from './domain/revisions.ts';
import type { CaseLoaders } from './loaders.ts';
import {
  addEvidenceToCase,
  canViewCase,
  editCase,
  performCaseAction,
  submitCase,
  type CaseCommandDeps,
  type SubmitCaseInput,
} from './commands.ts';
import type { EnterpriseFacts, Page } from './store/case-repository.ts';

/** The per-request context of the cases subgraph. */
export interface CasesContext extends RequestContext, CaseCommandDeps {
  loaders: CaseLoaders;
  /** The clock; only resolvers read it, and pass it into the domain. */
  now(): Date;
}

const upper = (status: CaseStatus) => status.toUpperCase();

function toStatuses(values: readonly string[] | null | undefined): CaseStatus[] | undefined {
  if (!values) return undefined;
  return values.map((value, index) => {
    const status = value.toLowerCase() as CaseStatus;
    if (!CASE_STATUSES.includes(status)) throw badUserInput(`statuses.${index}`, 'a CaseStatus', value);
    return status;
  });
}

function connection(page: Page<CaseRecord>) {
  return {
    edges: page.items.map((node, i) => ({ cursor: page.cursors[i], node })),
    pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.cursors[page.cursors.length - 1] ?? null },
  };
}

function signedIn(ctx: RequestContext): Actor {
  if (!ctx.actor) throw unauthenticated();
  return ctx.actor;
}

/** Prime the per-request loader so fields of the returned case read the state just written. */
function fresh(ctx: CasesContext, record: CaseRecord): CaseRecord {
  ctx.loaders.caseById.clear(record.id).prime(record.id, record);
  ctx.loaders.timeline.clear(record.id);
  ctx.loaders.revisions.clear(record.id);
  ctx.loaders.enterprise.clear(record.respondent.enterpriseId);
  ctx.loaders.publishedEnterprise.clear(record.respondent.enterpriseId);
  return record;
}

async function step(ctx: CasesContext, id: string, input: ActionInput): Promise<CaseRecord> {
  const actor = signedIn(ctx);
  const roles = transitionFor(input.action).actors;
  requireRole(ctx, ...roles);
  return fresh(ctx, await performCaseAction(ctx, actor, id, input, ctx.now()));
}

type StepArgs = { input: { id: string; expectedVersion?: number | null; note?: string | null } };
type ReasonArgs = { input: { id: string; reason: string; expectedVersion?: number | null } };

function publishedNode(record: CaseRecord) {
  const publication = record.publication;
  if (!publication) throw notFound('PublishedCase', record.id);
  return {
    id: record.id,
    reference: record.reference,
    respondent: { id: record.respondent.enterpriseId },
    respondentName: publication.respondentName,
    respondentCreditCode: publication.respondentCreditCode,
    industry: record.industry,
    issueType: record.issueType,
    title: publication.title,
    facts: publication.facts,
    enterpriseReply: publication.enterpriseReply,
    outcome: publication.outcome,
    amount: record.amount,
    submittedAt: record.submittedAt,
    respondedAt: record.respondedAt,
    closedAt: record.closedAt,
    publishedAt: publication.publishedAt,
    complainantName: publication.complainantName,
    satisfaction: record.satisfaction,
  };
}

type EnterpriseEntity = { id: string; name: string | null; industry: string | null; creditCode: string | null };

function entityOf(id: string, facts: EnterpriseFacts | null): EnterpriseEntity {
  return { id, name: facts?.name ?? null, industry: facts?.industry ?? null, creditCode: facts?.creditCode ?? null };
}

/** Staff and the enterprise's own representatives see what every case says of it, published or not. */
function seesAllCasesOf(actor: Actor | null, enterpriseId: string): boolean {
  return actor?.role === Role.Staff || (actor?.role === Role.Enterprise && actor.enterpriseId === enterpriseId);
}

/**
 * An enterprise as this caller may see it. Enterprise ids are a hash of the name, so anyone can
 * ask for any enterprise by reference (`_entities`): only staff and its own representatives get
 * the facts of its latest case; everyone else gets those of its latest published case, or none,
 * so a business with only unpublished complaints is not revealed.
 */
async function visibleEnterprise(ctx: CasesContext, id: string): Promise<EnterpriseEntity> {
  if (seesAllCasesOf(ctx.actor, id)) return entityOf(id, await ctx.loaders.enterprise.load(id));
  return entityOf(id, await ctx.loaders.publishedEnterprise.load(id));
}

/**
 * The respondent of a case the caller may see: staff and its representatives get its latest
 * facts; a complainant gets the name and industry of this case, never those another complainant
 * gave in a case of their own.
 */
function caseRespondent(ctx: CasesContext, record: CaseRecord): EnterpriseEntity | Promise<EnterpriseEntity> {
  const { enterpriseId, name, creditCode } = record.respondent;
  if (seesAllCasesOf(ctx.actor, enterpriseId)) return visibleEnterprise(ctx, enterpriseId);
  return { id: enterpriseId, name, industry: record.industry, creditCode };
}

export const resolvers: GraphQLResolverMap<CasesContext> = {
  Query: {
    case: async (_: unknown, { id }: { id: string }, ctx: CasesContext) => {
      const actor = signedIn(ctx);
      const record = await ctx.loaders.caseById.load(id);
      if (!record || !canViewCase(record, actor)) throw notFound('Case', id);
      return record;
    },
    myCases: async (_: unknown, args: { first: number; after?: string | null }, ctx: CasesContext) => {
      const actor = requireRole(ctx, Role.Complainant);
      return connection(await ctx.repo.listForComplainant(actor.id, { first: args.first, after: args.after }));
    },
    casesForEnterprise: async (
      _: unknown,
      args: { enterpriseId?: string | null; first: number; after?: string | null },
      ctx: CasesContext,
    ) => {
      const actor = requireRole(ctx, Role.Staff, Role.Enterprise);
      const enterpriseId = args.enterpriseId ?? actor.enterpriseId;
      if (!enterpriseId) throw badUserInput('enterpriseId', 'the id of the enterprise whose cases to list');
      if (actor.role === Role.Enterprise && enterpriseId !== actor.enterpriseId) {
        throw forbidden('An enterprise representative sees only the cases against their own enterprise.');
      }
      const page = await ctx.repo.listForEnterprise(
        { enterpriseId, forwardedOnly: actor.role === Role.Enterprise },
        { first: args.first, after: args.after },
      );
      return connection(page);
    },
    casesQueue: async (
      _: unknown,
      args: { statuses?: string[] | null; first: number; after?: string | null },
      ctx: CasesContext,
    ) => {
      requireRole(ctx, Role.Staff);
      return connection(
        await ctx.repo.queue({ statuses: toStatuses(args.statuses) }, { first: args.first, after: args.after }),
      );
    },
    publishedCases: async (
      _: unknown,
      args: { first: number; after?: string | null; publishedSince?: string | null },
      ctx: CasesContext,
    ) => {
      let publishedSince: string | null = null;
      if (args.publishedSince) {
        const ms = Date.parse(args.publishedSince);
        if (!/^\d{4}-\d{2}-\d{2}T/.test(args.publishedSince) || Number.isNaN(ms)) {
          throw badUserInput(
            'publishedSince',
            'an ISO-8601 date-time with offset, e.g. 2026-11-01T00:00:00+08:00',
            args.publishedSince,
          );
        }
        publishedSince = new Date(ms).toISOString();
      }
      const page = await ctx.repo.published({ publishedSince }, { first: args.first, after: args.after });
      return {
        edges: page.items.map((record, i) => ({ cursor: page.cursors[i], node: publishedNode(record) })),
        pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.cursors[page.cursors.length - 1] ?? null },
      };
    },
  },

  Mutation: {
    submitCase: async (_: unknown, { input }: { input: SubmitCaseInput }, ctx: CasesContext) => {
      const actor = requireRole(ctx, Role.Complainant);
      return fresh(ctx, await submitCase(ctx, actor, input, ctx.now()));
    },
    editCase: async (
      _: unknown,
      { input }: { input: EditInput & { id: string; expectedVersion: number } },
      ctx: CasesContext,
    ) => {
      const actor = requireRole(ctx, Role.Complainant);
      const { id, expectedVersion, ...edit } = input;
      return fresh(ctx, await editCase(ctx, actor, id, expectedVersion, edit, ctx.now()));
    },
    addEvidence: async (_: unknown, { input }: { input: { id: string; evidenceIds: string[] } }, ctx: CasesContext) => {
      const actor = requireRole(ctx, Role.Complainant, Role.Staff);
      return fresh(ctx, await addEvidenceToCase(ctx, actor, input.id, input.evidenceIds, ctx.now()));
    },
    recordEscalation: (
      _: unknown,
      { input }: { input: { id: string; channelId: string; note?: string | null } },
      ctx: CasesContext,
    ) => step(ctx, input.id, { action: CaseAction.RecordEscalation, channelId: input.channelId, reason: input.note }),
    withdrawCase: (_: unknown, { input }: ReasonArgs, ctx: CasesContext) =>
      step(ctx, input.id, {
        action: CaseAction.Withdraw,
        reason: input.reason,
        expectedVersion: input.expectedVersion,
      }),
    acceptCase: (_: unknown, { input }: StepArgs, ctx: CasesContext) =>
      step(ctx, input.id, { action: CaseAction.Accept, reason: input.note, expectedVersion: input.expectedVersion }),
    rejectCase: (_: unknown, { input }: ReasonArgs, ctx: CasesContext) =>
      step(ctx, input.id, { action: CaseAction.Reject, reason: input.reason, expectedVersion: input.expectedVersion }),
    forwardCase: (_: unknown, { input }: StepArgs, ctx: CasesContext) =>
      step(ctx, input.id, { action: CaseAction.Forward, reason: input.note, expectedVersion: input.expectedVersion }),
    respondToCase: (
      _: unknown,
      { input }: { input: { id: string; reply: string; expectedVersion?: number | null } },
      ctx: CasesContext,
    ) =>
      step(ctx, input.id, { action: CaseAction.Respond, reply: input.reply, expectedVersion: input.expectedVersion }),
    confirmResolution: (
      _: unknown,
      { input }: { input: { id: string; satisfaction?: number | null; expectedVersion?: number | null } },
      ctx: CasesContext,
    ) =>
      step(ctx, input.id, {
        action: CaseAction.ConfirmResolution,
        satisfaction: input.satisfaction,
        expectedVersion: input.expectedVersion,
      }),
    reportUnsatisfied: (_: unknown, { input }: ReasonArgs, ctx: CasesContext) =>
      step(ctx, input.id, {
        action: CaseAction.ReportUnsatisfied,
        reason: input.reason,
        expectedVersion: input.expectedVersion,
      }),
    appealCase: (_: unknown, { input }: ReasonArgs, ctx: CasesContext) =>
      step(ctx, input.id, { action: CaseAction.Appeal, reason: input.reason, expectedVersion: input.expectedVersion }),
    closeCase: (_: unknown, { input }: ReasonArgs, ctx: CasesContext) =>
      step(ctx, input.id, { action: CaseAction.Close, reason: input.reason, expectedVersion: input.expectedVersion }),
    publishCase: (_: unknown, { input }: StepArgs, ctx: CasesContext) =>
      step(ctx, input.id, { action: CaseAction.Publish, reason: input.note, expectedVersion: input.expectedVersion }),
  },

  Case: {
    /** Other subgraphs may only reach cases the caller may see. */
    __resolveReference: async (ref: { id: string }, ctx: CasesContext) => {
      const record = await ctx.loaders.caseById.load(ref.id);
      if (!record || !canViewCase(record, ctx.actor)) return null;
      return record;
    },
    status: (record: CaseRecord) => upper(record.status),
    allowedActions: (record: CaseRecord, _: unknown, ctx: CasesContext) =>
      allowedActions(record, ctx.actor, ctx.policy, ctx.now()),
    respondent: (record: CaseRecord, _: unknown, ctx: CasesContext) => caseRespondent(ctx, record),
    respondentDetails: (record: CaseRecord) => record.respondent,
    // Who may read these two is the policy table's (`Case.complainant`, `Case.revisions`), enforced
    // around every resolver of the subgraph with the slice's ownership rules (ownership.ts).
    complainant: (record: CaseRecord) => record.complainant,
    evidence: async (record: CaseRecord, _: unknown, ctx: CasesContext) => {
      const found = await ctx.loaders.evidence.loadMany(record.evidenceIds);
      return found.filter((e) => e !== null && !(e instanceof Error));
    },
    timeline: (record: CaseRecord, _: unknown, ctx: CasesContext) => ctx.loaders.timeline.load(record.id),
    revisions: async (record: CaseRecord, _: unknown, ctx: CasesContext) =>
      revisionDiffs(await ctx.loaders.revisions.load(record.id)),
    deadlines: (record: CaseRecord, _: unknown, ctx: CasesContext) => {
      const appealable = transitionFor(CaseAction.Appeal).from.includes(record.status);
      return {
        acceptBy: record.acceptBy,
        respondBy: record.respondBy,
        appealBy: appealable ? appealOpenUntil(ctx.policy, record.statusChangedAt) : null,
        provisional:
          isProvisionalDeadline(ctx.policy.calendar, record.acceptBy) ||
          isProvisionalDeadline(ctx.policy.calendar, record.respondBy),
      };
    },
    overdue: (record: CaseRecord, _: unknown, ctx: CasesContext) => isOverdue(record, ctx.now()),
    suggestedChannels: (record: CaseRecord) =>
      suggestedChannelIds(record.industry, record.issueType).map((id) => ({ id })),
    escalatedTo: (record: CaseRecord) => (record.escalations ?? []).map((e) => ({ id: e.channelId })),
    closedAt: (record: CaseRecord) => record.closedAt,
    publishedAt: (record: CaseRecord) => record.publication?.publishedAt ?? null,
  },

  TimelineEvent: {
    actorRole: (event: TimelineEvent) => event.actorRole.toUpperCase(),
    actorId: (event: TimelineEvent, _: unknown, ctx: CasesContext) =>
      ctx.actor?.role === Role.Staff ? event.actorId : null,
    fromStatus: (event: TimelineEvent) => (event.fromStatus ? upper(event.fromStatus) : null),
    toStatus: (event: TimelineEvent) => (event.toStatus ? upper(event.toStatus) : null),
  },

  Enterprise: {
    __resolveReference: (ref: { id: string }, ctx: CasesContext) => visibleEnterprise(ctx, ref.id),
    caseIndustry: (enterprise: { industry?: string | null }) => enterprise.industry ?? null,
    cases: async (enterprise: { id: string }, args: { first: number; after?: string | null }, ctx: CasesContext) => {
      const actor = signedIn(ctx);
      const own = actor.role === Role.Enterprise && actor.enterpriseId === enterprise.id;
      if (actor.role !== Role.Staff && !own)
        throw forbidden('Only staff and the enterprise’s own representatives may list its cases.');
      return connection(
        await ctx.repo.listForEnterprise(
          { enterpriseId: enterprise.id, forwardedOnly: own },
          { first: args.first, after: args.after },
        ),
      );
    },
  },

  PublishedCase: {
    respondent: (node: { respondent: { id: string } }, _: unknown, ctx: CasesContext) =>
      visibleEnterprise(ctx, node.respondent.id),
  },
};
