import type { Logger } from 'pino';
import { Role, type Actor } from '../../platform/context.ts';
import { enterpriseResolver } from '../../platform/enterprise/aliases.ts';
import { normaliseCreditCode } from '../../platform/enterprise/credit-code.ts';
import { badUserInput, conflict, forbidden, notFound, unauthenticated } from '../../platform/errors.ts';
import { linkFor, type EnterpriseRegistry } from '../../platform/enterprise/registry.ts';
import { LETTERS_PATH } from './http/letters.ts';
import type { LetterStore } from './store/letters.ts';
import { AccountRole, RepresentationStatus, type AccountRecord, type RepresentationRecord } from './domain/account.ts';
import { hashPassword } from './secrets.ts';
import { SecurityEventKind, type AccountStore, type SecurityEvent } from './store/accounts.ts';
import type { Contact } from './domain/contact.ts';

/**
 * Representatives, staff and the security log: what staff and admins do in the accounts slice.
 * A signed-in account asks to represent an enterprise by its unified social credit code (check
 * digit verified); staff or an admin approve or refuse; an approved representative then signs in
 * for that enterprise (service.ts signIn) and the access token carries it.
 */
export interface DeskDeps {
  store: AccountStore;
  now: () => Date;
  logger: Logger;
}

/** What the representation commands need besides: the letters, and the registry an approval links in. */
export interface RepresentationDeps extends DeskDeps {
  letters: LetterStore;
  registry: EnterpriseRegistry;
}

function requireDesk(actor: Actor | null): Actor {
  if (!actor) throw unauthenticated();
  if (actor.role !== Role.Staff && actor.role !== Role.Admin) {
    throw forbidden(`This operation needs one of the roles staff, admin; you are ${actor.role}.`);
  }
  return actor;
}

async function event(deps: DeskDeps, kind: SecurityEvent['kind'], accountId: string | null, detail: string) {
  deps.logger.info({ securityEvent: kind, accountId, detail }, 'security event');
  await deps.store.appendSecurityEvent({ at: deps.now(), kind, accountId, detail });
}

export async function requestRepresentation(
  deps: RepresentationDeps,
  actor: Actor | null,
  rawCreditCode: string,
  enterpriseName: string,
  letterId: string | null,
): Promise<RepresentationRecord> {
  if (!actor) throw unauthenticated();
  const account = await deps.store.accountById(actor.id);
  if (!account || account.deletedAt || account.role !== AccountRole.Complainant) {
    throw forbidden('Only a signed-in complainant account can ask to represent an enterprise.');
  }
  const creditCode = normaliseCreditCode(rawCreditCode);
  if (!creditCode) {
    throw badUserInput('creditCode', 'an 18-character unified social credit code with a valid check character');
  }
  if (enterpriseName.trim().length < 2) throw badUserInput('enterpriseName', 'the enterprise’s registered name');
  if (letterId !== null) {
    const letter = await deps.letters.metadata(letterId);
    // Another account's letter reads as an unknown one.
    if (!letter || letter.accountId !== account.id) {
      throw badUserInput('letterId', `the id of a letter you uploaded through POST ${LETTERS_PATH}`, letterId);
    }
  }
  const enterpriseId = enterpriseResolver().resolve({ name: enterpriseName, creditCode }).id;
  const existing = (await deps.store.representationsOf(account.id)).find((r) => r.enterpriseId === enterpriseId);
  if (existing?.status === RepresentationStatus.Approved) return existing;
  const request: RepresentationRecord = {
    accountId: account.id,
    enterpriseId,
    creditCode,
    enterpriseName: enterpriseName.trim(),
    letterId: letterId ?? existing?.letterId ?? null,
    status: RepresentationStatus.Pending,
    requestedAt: deps.now(),
    decidedAt: null,
  };
  await deps.store.upsertRepresentation(request);
  return request;
}

/**
 * Staff approve or refuse a request. Approval needs the authorisation letter (the evidence that the
 * enterprise gave this person its authority) and links the registered name to the credit code in
 * the enterprise registry (platform/enterprise/registry.ts), so the representative also sees the
 * complaints filed against the enterprise by its name alone.
 */
export async function decideRepresentation(
  deps: RepresentationDeps,
  actor: Actor | null,
  accountId: string,
  enterpriseId: string,
  approve: boolean,
): Promise<RepresentationRecord> {
  const desk = requireDesk(actor);
  const request = (await deps.store.representationsOf(accountId)).find((r) => r.enterpriseId === enterpriseId);
  if (!request) throw notFound('Representation request', `${accountId}/${enterpriseId}`);
  if (approve && !request.letterId) {
    throw conflict(
      'This request has no authorisation letter: the requester uploads one (POST /representation-letters) ' +
        'and asks again with its letterId before it can be approved.',
      { reason: 'AUTHORISATION_LETTER_MISSING' },
    );
  }
  const decided: RepresentationRecord = {
    ...request,
    status: approve ? RepresentationStatus.Approved : RepresentationStatus.Refused,
    decidedAt: deps.now(),
  };
  await deps.store.upsertRepresentation(decided);
  await event(deps, SecurityEventKind.RepresentationDecided, accountId, `${decided.status} by ${desk.id}`);
  if (approve && decided.enterpriseName) await linkEnterpriseName(deps, decided);
  return decided;
}

async function linkEnterpriseName(deps: RepresentationDeps, approved: RepresentationRecord): Promise<void> {
  const link = linkFor(
    enterpriseResolver(),
    { name: approved.enterpriseName ?? '', creditCode: approved.creditCode },
    deps.now(),
  );
  if (!link) return;
  const stored = await deps.registry.link(link);
  if (stored.enterpriseId !== link.enterpriseId) {
    // Two approved credit codes claim one name: the first link stands; staff resolve it by hand.
    deps.logger.warn(
      { nameId: link.nameId, linkedTo: stored.enterpriseId, refused: link.enterpriseId },
      'enterprise name already linked to another credit code',
    );
  }
}

export async function pendingRepresentations(deps: DeskDeps, actor: Actor | null): Promise<RepresentationRecord[]> {
  requireDesk(actor);
  return deps.store.pendingRepresentations();
}

export async function securityEvents(deps: DeskDeps, actor: Actor | null, first: number): Promise<SecurityEvent[]> {
  requireDesk(actor);
  if (!Number.isInteger(first) || first < 1 || first > 500) throw badUserInput('first', 'a whole number from 1 to 500');
  return deps.store.securityEvents(first);
}

/**
 * Creates a staff or admin account (`npm run admin -- create-staff`), verified, with `password`.
 * Refuses a contact that already has an account: roles are never changed by this command.
 */
export async function createDeskAccount(
  deps: DeskDeps,
  contact: Contact,
  role: typeof AccountRole.Staff | typeof AccountRole.Admin,
  id: string,
  password: string,
): Promise<AccountRecord> {
  const account: AccountRecord = {
    id,
    role,
    contact,
    passwordHash: await hashPassword(password),
    verifiedAt: deps.now(),
    createdAt: deps.now(),
    deletedAt: null,
  };
  if (!(await deps.store.insertAccount(account))) {
    throw new Error('That phone number or e-mail address already has an account.');
  }
  await event(deps, SecurityEventKind.RoleChanged, id, `created as ${role}`);
  return account;
}
