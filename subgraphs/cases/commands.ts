import { chinaDateOf } from '../../platform/calendar/index.ts';
import { Role, type Actor } from '../../platform/context.ts';
import type { EnterpriseResolver } from '../../platform/enterprise/identity.ts';
import { linksForNames, withLinks, type EnterpriseRegistry } from '../../platform/enterprise/registry.ts';
import { conflict, notFound, serviceUnavailable } from '../../platform/errors.ts';
import type { CasePolicy } from './domain/deadlines.ts';
import { newCase, validateEdit, validateFiling, type EditInput, type FilingInput } from './domain/filing.ts';
import { idempotencyClaim, matchesClaim, type IdempotencyClaim, type IdempotencyRecord } from './domain/idempotency.ts';
import { CaseAction, allowedActions, applyAction, contentOf, type ActionInput } from './domain/lifecycle.ts';
import type { CaseRecord } from './domain/model.ts';
import { outboxRowsFor, type NotificationRecipients } from './domain/outbox.ts';
import { resolveEvidenceForCase, type EvidenceRepository } from './store/evidence.ts';
import { IdempotencyKeyTakenError, StaleVersionError, type CaseRepository } from './store/case-repository.ts';

/** What the case commands need; the resolvers, the scheduler and the demo seed share them. */
export interface CaseCommandDeps {
  repo: CaseRepository;
  policy: CasePolicy;
  recipients: NotificationRecipients;
  resolver: EnterpriseResolver;
  /** Evidence metadata (store/evidence.ts); null where evidence is not wired (some tests). */
  evidence: EvidenceRepository | null;
  /**
   * The enterprise registry (platform/enterprise/registry.ts): name ids linked to credit-code ids
   * when staff approve a representative. Null where it is not wired (some tests): no links.
   */
  registry?: EnterpriseRegistry | null;
}

/** The resolver for a filing or an edit naming `names`: the registry's links for them applied. */
async function resolverFor(deps: CaseCommandDeps, names: ReadonlyArray<unknown>): Promise<EnterpriseResolver> {
  if (!deps.registry) return deps.resolver;
  return withLinks(deps.resolver, await linksForNames(deps.registry, deps.resolver, names));
}

/**
 * Brings the cases filed against an enterprise by its name alone under its credit-code id, once
 * the registry links the two (a representative was approved): then its representative sees them.
 * Run before a representative's request is served; cheap when there is nothing to move (one
 * indexed read of the registry, one of the cases). Returns how many cases moved.
 */
export async function relinkEnterpriseCases(deps: CaseCommandDeps, enterpriseId: string): Promise<number> {
  if (!deps.registry) return 0;
  const nameIds = await deps.registry.nameIdsOf(enterpriseId);
  return nameIds.length === 0 ? 0 : deps.repo.relinkRespondent(nameIds, enterpriseId);
}

/**
 * Who may see a case: its complainant, staff and the system, and the respondent's
 * representatives once it has been forwarded to them. Everyone else is told it does not exist.
 */
export function canViewCase(record: CaseRecord, actor: Actor | null): boolean {
  if (!actor) return false;
  switch (actor.role) {
    case Role.Staff:
    case Role.System:
      return true;
    case Role.Complainant:
      return record.complainantId === actor.id;
    case Role.Enterprise:
      return record.respondent.enterpriseId === actor.enterpriseId && record.forwardedAt !== null;
    default:
      return false;
  }
}

/**
 * Whether the case is the caller's own, for the policy table's `own` (platform/policy.ts): a
 * complainant's own case, or a case against the representative's enterprise once it has been
 * forwarded to it. Staff are `allow` in the table and never asked.
 */
export function isCaseParty(record: CaseRecord, actor: Actor | null): boolean {
  if (actor?.role === Role.Complainant) return record.complainantId === actor.id;
  if (actor?.role === Role.Enterprise) return isForwardedTo(record, actor);
  return false;
}

/**
 * May `actor` read the complainant's contact details (`Case.complainant`): the complainant, staff,
 * and a representative of the respondent only once the case has been forwarded to that
 * enterprise, whatever else of the case they may see; never a representative of another one.
 */
export function mayReadContact(record: CaseRecord, actor: Actor | null): boolean {
  if (actor?.role === Role.Staff) return true;
  if (actor?.role === Role.Complainant) return record.complainantId === actor.id;
  if (actor?.role === Role.Enterprise) return isForwardedTo(record, actor);
  return false;
}

function isForwardedTo(record: CaseRecord, actor: Actor): boolean {
  return (
    actor.enterpriseId !== undefined &&
    record.respondent.enterpriseId === actor.enterpriseId &&
    record.forwardedAt !== null
  );
}

async function loadVisible(deps: CaseCommandDeps, actor: Actor, caseId: string): Promise<CaseRecord> {
  const record = await deps.repo.findById(caseId);
  if (!record || !canViewCase(record, actor)) throw notFound('Case', caseId);
  return record;
}

/** What `submitCase` takes: the filing, evidence already uploaded, and an optional idempotency key. */
export type SubmitCaseInput = FilingInput & {
  evidenceIds?: readonly string[] | null;
  idempotencyKey?: string | null;
};

/**
 * The answer to a request whose key was claimed before: the case the first request filed, or
 * CONFLICT when the key came with another request.
 */
async function replay(deps: CaseCommandDeps, claim: IdempotencyClaim, earlier: IdempotencyRecord) {
  if (!matchesClaim(earlier, claim)) {
    throw conflict(
      `Idempotency key ${JSON.stringify(claim.key)} was already used with a different request; ` +
        'send a new key for a new request.',
      { reason: 'IDEMPOTENCY_KEY_REUSED', idempotencyKey: claim.key, keyExpiresAt: earlier.expiresAt },
    );
  }
  const record = await deps.repo.findById(earlier.caseId);
  if (!record) throw notFound('Case', earlier.caseId);
  return record;
}

/**
 * Files a case: validated, reference allocated, first event, revision and notifications, in one
 * write. With `idempotencyKey`, the same caller sending the same request again within
 * IDEMPOTENCY_KEY_TTL_MS gets the case the first one filed and files nothing; the key is claimed
 * in the insert's own transaction, so two concurrent copies file one case.
 */
export async function submitCase(
  deps: CaseCommandDeps,
  actor: Actor,
  submitted: SubmitCaseInput,
  now: Date,
): Promise<CaseRecord> {
  const { idempotencyKey, ...input } = submitted;
  const claim =
    idempotencyKey === undefined || idempotencyKey === null
      ? undefined
      : idempotencyClaim(actor, 'submitCase', idempotencyKey, input, now, 'input.idempotencyKey');
  if (claim) {
    const earlier = await deps.repo.findIdempotencyKey(claim.scope, claim.key, claim.createdAt);
    if (earlier) return replay(deps, claim, earlier);
  }
  const content = validateFiling(input, await resolverFor(deps, [input.respondent?.name]), now);
  const evidenceIds = input.evidenceIds ?? [];
  if (evidenceIds.length > 0) {
    if (!deps.evidence) throw serviceUnavailable('evidence storage');
    // The filer is the case's complainant (filing.ts `newCase`).
    await resolveEvidenceForCase(deps.evidence, actor, actor.id, evidenceIds, 'input.evidenceIds');
  }
  const created = newCase(content, actor, now, deps.policy);
  created.record.evidenceIds = [...evidenceIds];
  try {
    return await deps.repo.insert({
      ...created,
      idempotency: claim,
      enqueue: (record) =>
        outboxRowsFor(
          record,
          created.event,
          [
            { event: created.event.type, audience: 'staff' },
            { event: created.event.type, audience: 'complainant' },
          ],
          deps.recipients,
          now,
        ),
    });
  } catch (error) {
    // Another request with the same key committed first (a concurrent retry): answer as it did.
    if (claim && error instanceof IdempotencyKeyTakenError) return replay(deps, claim, error.existing);
    throw error;
  }
}

/**
 * Loads, applies one action of the lifecycle table and commits the change with its events and
 * notifications in one transaction. A concurrent change in between turns into CONFLICT.
 */
export async function performCaseAction(
  deps: CaseCommandDeps,
  actor: Actor,
  caseId: string,
  input: ActionInput,
  now: Date,
): Promise<CaseRecord> {
  const record = await loadVisible(deps, actor, caseId);
  const result = applyAction(record, input, actor, now, deps.policy);
  const revision =
    input.action === CaseAction.Edit
      ? {
          caseId,
          version: result.record.version,
          at: now.toISOString(),
          actorId: actor.id,
          content: contentOf(result.record),
        }
      : undefined;
  try {
    await deps.repo.commit({
      record: result.record,
      events: result.events,
      revision,
      enqueue: outboxRowsFor(result.record, result.events[0], result.notifications, deps.recipients, now),
    });
  } catch (error) {
    if (!(error instanceof StaleVersionError)) throw error;
    const current = await deps.repo.findById(caseId);
    throw conflict(`Case ${record.reference} was changed by someone else meanwhile; reload it and retry.`, {
      currentStatus: (current?.status ?? record.status).toUpperCase(),
      currentVersion: current?.version ?? null,
      allowedActions: current ? allowedActions(current, actor, deps.policy, now) : [],
    });
  }
  return result.record;
}

/** The complainant's edit, validated as a whole filing and applied only over the version they saw. */
export async function editCase(
  deps: CaseCommandDeps,
  actor: Actor,
  caseId: string,
  expectedVersion: number,
  edit: EditInput,
  now: Date,
): Promise<CaseRecord> {
  const record = await loadVisible(deps, actor, caseId);
  const resolver = await resolverFor(deps, [record.respondent.name, edit.respondent?.name]);
  const content = validateEdit(contentOf(record), edit, resolver, now);
  return performCaseAction(deps, actor, caseId, { action: CaseAction.Edit, expectedVersion, content }, now);
}

/** Attaches uploaded evidence after checking each file exists and may be attached to this case by the actor. */
export async function addEvidenceToCase(
  deps: CaseCommandDeps,
  actor: Actor,
  caseId: string,
  evidenceIds: readonly string[],
  now: Date,
): Promise<CaseRecord> {
  if (!deps.evidence) throw serviceUnavailable('evidence storage');
  const record = await loadVisible(deps, actor, caseId);
  await resolveEvidenceForCase(deps.evidence, actor, record.complainantId, evidenceIds, 'input.evidenceIds');
  return performCaseAction(deps, actor, caseId, { action: CaseAction.AddEvidence, evidenceIds }, now);
}

export const SCHEDULER_ACTOR: Actor = { id: 'overdue-scheduler', role: Role.System };

/**
 * For the overdue scheduler: flags every case whose deadline has passed (once per missed
 * deadline), each in its own transaction with its reminders in the outbox. Safe to run on
 * several instances: a case flagged meanwhile by another one is skipped (version conflict).
 * Returns how many cases this call flagged; if some could not be written, the others are still
 * flagged and an AggregateError reports the failures (the scheduler logs it and retries next tick).
 */
export async function flagOverdueCases(
  deps: CaseCommandDeps,
  now: Date,
  limit = 100,
  actor: Actor = SCHEDULER_ACTOR,
): Promise<number> {
  const due = await deps.repo.listPastDeadline(chinaDateOf(now), limit);
  let flagged = 0;
  const failures: unknown[] = [];
  for (const record of due) {
    try {
      await performCaseAction(
        deps,
        actor,
        record.id,
        { action: CaseAction.FlagOverdue, expectedVersion: record.version },
        now,
      );
      flagged += 1;
    } catch (error) {
      // One case that cannot be written must not hold back the others behind it in the list.
      if ((error as { extensions?: { code?: string } }).extensions?.code !== 'CONFLICT') failures.push(error);
    }
  }
  if (failures.length > 0) {
    throw new AggregateError(failures, `Flagged ${flagged} overdue case(s); ${failures.length} could not be flagged.`);
  }
  return flagged;
}
