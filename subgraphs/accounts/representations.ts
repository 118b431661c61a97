import type { Logger } from 'pino';
import { Role, type Actor } from '../../platform/context.ts';
import { enterpriseResolver } from '../../platform/enterprise/aliases.ts';
import { normaliseCreditCode } from '../../platform/enterprise/credit-code.ts';
import { badUserInput, forbidden, notFound, unauthenticated } from '../../platform/errors.ts';
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
  deps: DeskDeps,
  actor: Actor | null,
  rawCreditCode: string,
  enterpriseName: string,
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
  const enterpriseId = enterpriseResolver().resolve({ name: enterpriseName, creditCode }).id;
  const existing = (await deps.store.representationsOf(account.id)).find((r) => r.enterpriseId === enterpriseId);
  if (existing?.status === RepresentationStatus.Approved) return existing;
  const request: RepresentationRecord = {
    accountId: account.id,
    enterpriseId,
    creditCode,
    status: RepresentationStatus.Pending,
    requestedAt: deps.now(),
    decidedAt: null,
  };
  await deps.store.upsertRepresentation(request);
  return request;
}

export async function decideRepresentation(
  deps: DeskDeps,
  actor: Actor | null,
  accountId: string,
  enterpriseId: string,
  approve: boolean,
): Promise<RepresentationRecord> {
  const desk = requireDesk(actor);
  const request = (await deps.store.representationsOf(accountId)).find((r) => r.enterpriseId === enterpriseId);
  if (!request) throw notFound('Representation request', `${accountId}/${enterpriseId}`);
  const decided: RepresentationRecord = {
    ...request,
    status: approve ? RepresentationStatus.Approved : RepresentationStatus.Refused,
    decidedAt: deps.now(),
  };
  await deps.store.upsertRepresentation(decided);
  await event(deps, SecurityEventKind.RepresentationDecided, accountId, `${decided.status} by ${desk.id}`);
  return decided;
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
