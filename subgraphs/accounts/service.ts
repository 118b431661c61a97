import type { Logger } from 'pino';
import { Role, type Actor } from '../../platform/context.ts';
import { badUserInput, forbidden, unauthenticated } from '../../platform/errors.ts';
import { AccountRole, RepresentationStatus, type AccountRecord } from './domain/account.ts';
import { CODE_POLICY, CodePurpose, checkCode, nextSendAllowedAt } from './domain/codes.ts';
import { parseContact, type Contact } from './domain/contact.ts';
import { passwordProblem } from './domain/password-policy.ts';
import { REFRESH_TOKEN_LIFETIME_MS, judgeRefresh } from './domain/sessions.ts';
import type { SigningKeys } from './keys.ts';
import { recipientKindFor } from './domain/code-delivery.ts';
import type { CodeOutboxStore } from './store/code-outbox.ts';
import type { LetterStore } from './store/letters.ts';
import type { EnterpriseRegistry } from '../../platform/enterprise/registry.ts';
import {
  type CodeSealer,
  hashCode,
  hashPassword,
  hashToken,
  newAccountId,
  newCode,
  newFamilyId,
  newCodeDeliveryId,
  newRefreshToken,
  verifyAgainstDecoy,
  verifyPassword,
} from './secrets.ts';
import { SecurityEventKind, type AccountStore } from './store/accounts.ts';
import type { AttemptLimits } from './attempt-limits.ts';
import type { AppKeyStore } from './store/app-keys.ts';

/**
 * The accounts commands: what each mutation does, in one place the resolvers, the demo seed and
 * the admin CLI share. Answers about a contact never say whether it has an account: registering,
 * sending a code and resetting answer the same acknowledgement, and a failed sign-in or code
 * names no reason an outsider could tell apart (a missing account costs the same scrypt as a
 * wrong password).
 */
export interface AccountsDeps {
  store: AccountStore;
  keys: SigningKeys;
  /** The code outbox: where issued codes wait, sealed, for the dispatcher (notify/code-delivery.ts). */
  codes: CodeOutbox;
  /** Representatives' authorisation letters (representations.ts). */
  letters: LetterStore;
  /** Where an approved representation links the enterprise's name to its credit code. */
  registry: EnterpriseRegistry;
  limits?: AttemptLimits;
  /** The account's app keys (app-keys.ts), revoked with the account when it is deleted. */
  appKeys?: AppKeyStore;
  now: () => Date;
  logger: Logger;
}

export interface CodeOutbox {
  store: CodeOutboxStore;
  sealer: CodeSealer;
  /** Asks the dispatcher for a round now, so a new code leaves without waiting for the poll. */
  nudge(): void;
}

/** Who is asking, as far as the limits need to know: the client address the request came from. */
export interface Caller {
  address: string;
}

export const ACKNOWLEDGEMENT =
  'If this phone number or e-mail address can use this, a code has been sent to it ' +
  `(at most one a minute); it is good for ${CODE_POLICY.lifetimeMs / 60_000} minutes ` +
  `and ${CODE_POLICY.maxAttempts} tries.`;
const WRONG_CREDENTIALS = 'The phone number, e-mail address or password is wrong.';
const CONTACT_EXPECTED = 'a mainland mobile number (11 digits, 1[3-9]…) or an e-mail address';

export interface Session {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  refreshToken: string;
  refreshExpiresAt: Date;
  enterpriseId: string | null;
  account: AccountRecord;
}

function contactOf(raw: string, argumentPath: string): Contact {
  const contact = parseContact(raw);
  if (!contact) throw badUserInput(argumentPath, CONTACT_EXPECTED);
  return contact;
}

function checkPassword(password: string, argumentPath: string, contact?: string): void {
  const problem = passwordProblem(password, contact);
  if (problem) throw badUserInput(argumentPath, problem);
}

async function securityEvent(
  deps: AccountsDeps,
  kind: SecurityEventKind,
  accountId: string | null,
  detail: string | null = null,
): Promise<void> {
  deps.logger.info({ securityEvent: kind, accountId, detail }, 'security event');
  await deps.store.appendSecurityEvent({ at: deps.now(), kind, accountId, detail });
}

/**
 * Issues a new code unless the last one was sent less than the cool-down ago (then nothing is sent,
 * and the caller gets the same acknowledgement). The code's hash and its sealed copy in the outbox
 * are written before the answer, so an acknowledged code is durable; the dispatcher delivers it
 * (retrying with backoff) after the answer, so delivery time never tells whether a code went out.
 * The hash is stored first: a failure between the two writes leaves a code that was never sent
 * (the person asks again after the cool-down), never a sent code that cannot be verified.
 */
async function issueCode(deps: AccountsDeps, account: AccountRecord, purpose: CodePurpose): Promise<void> {
  if (!account.contact) return;
  const last = await deps.store.codeFor(account.id, purpose);
  const allowedAt = nextSendAllowedAt(last);
  if (allowedAt && deps.now() < allowedAt) return;
  const code = newCode();
  const now = deps.now();
  const expiresAt = new Date(now.getTime() + CODE_POLICY.lifetimeMs);
  await deps.store.putCode({
    accountId: account.id,
    purpose,
    codeHash: hashCode(account.id, purpose, code),
    sentAt: now,
    expiresAt,
    attempts: 0,
  });
  const id = newCodeDeliveryId();
  await deps.codes.store.enqueue({
    id,
    accountId: account.id,
    purpose,
    recipient: { kind: recipientKindFor(account.contact.kind), address: account.contact.value },
    sealedCode: deps.codes.sealer.seal(id, code),
    expiresAt: expiresAt.toISOString(),
    createdAt: now.toISOString(),
    deliveredAt: null,
    attempts: 0,
    nextAttemptAt: now.toISOString(),
  });
  setImmediate(() => deps.codes.nudge());
}

export async function register(deps: AccountsDeps, caller: Caller, rawContact: string, password: string) {
  const contact = contactOf(rawContact, 'input.contact');
  checkPassword(password, 'input.password', contact.value);
  await deps.limits?.beforeCodeSend(contact, caller);
  const passwordHash = await hashPassword(password);
  let account = await deps.store.accountByContact(contact);
  if (!account) {
    const created: AccountRecord = {
      id: newAccountId(),
      role: AccountRole.Complainant,
      contact,
      passwordHash,
      verifiedAt: null,
      createdAt: deps.now(),
      deletedAt: null,
    };
    if (await deps.store.insertAccount(created)) {
      await securityEvent(deps, SecurityEventKind.Registered, created.id);
      await issueCode(deps, created, CodePurpose.VerifyContact);
      return ACKNOWLEDGEMENT;
    }
    account = await deps.store.accountByContact(contact);
  }
  // Nobody has proved they hold an unverified contact: whoever registers it last sets the password,
  // and the code decides who gets the account. A verified account is left as it is.
  if (account && !account.verifiedAt) {
    await deps.store.updateAccount(account.id, { passwordHash });
    await issueCode(deps, account, CodePurpose.VerifyContact);
  }
  return ACKNOWLEDGEMENT;
}

export async function sendCode(deps: AccountsDeps, caller: Caller, rawContact: string, purpose: CodePurpose) {
  const contact = contactOf(rawContact, 'contact');
  await deps.limits?.beforeCodeSend(contact, caller);
  const account = await deps.store.accountByContact(contact);
  if (account && !account.deletedAt) {
    const wanted = purpose === CodePurpose.VerifyContact ? !account.verifiedAt : Boolean(account.verifiedAt);
    if (wanted) await issueCode(deps, account, purpose);
  }
  return ACKNOWLEDGEMENT;
}

/** Spends one try of the code `purpose` of the account holding `contact`; throws the same error for any failure. */
async function spendCode(deps: AccountsDeps, caller: Caller, contact: Contact, purpose: CodePurpose, code: string) {
  const refuse = () =>
    badUserInput(
      'code',
      `the ${CODE_POLICY.digits}-digit code most recently sent to this contact, ` +
        `within ${CODE_POLICY.lifetimeMs / 60_000} minutes and ${CODE_POLICY.maxAttempts} tries ` +
        '(else ask for a new one)',
    );
  await deps.limits?.beforeCodeCheck(contact, caller);
  const account = await deps.store.accountByContact(contact);
  const record = account ? await deps.store.codeFor(account.id, purpose) : null;
  if (!account || !record || !/^\d{6}$/.test(code)) {
    await deps.limits?.onCodeFailure(contact, caller);
    throw refuse();
  }
  // Counted before it is judged, atomically: concurrent tries cannot get more than five between them.
  const attempts = await deps.store.countCodeAttempt(account.id, purpose);
  const outcome = checkCode({ ...record, attempts: attempts - 1 }, hashCode(account.id, purpose, code), deps.now());
  if (outcome !== 'accepted') {
    await securityEvent(deps, SecurityEventKind.CodeFailed, account.id, `${purpose}: ${outcome}`);
    if (outcome !== 'wrong' || attempts >= CODE_POLICY.maxAttempts) await deps.store.deleteCode(account.id, purpose);
    await deps.limits?.onCodeFailure(contact, caller);
    throw refuse();
  }
  await deps.store.deleteCode(account.id, purpose);
  await deps.limits?.onCodeSuccess(contact, caller);
  return account;
}

export async function verifyContact(deps: AccountsDeps, caller: Caller, rawContact: string, code: string) {
  const contact = contactOf(rawContact, 'contact');
  const account = await spendCode(deps, caller, contact, CodePurpose.VerifyContact, code);
  await deps.store.updateAccount(account.id, { verifiedAt: deps.now() });
  await securityEvent(deps, SecurityEventKind.Verified, account.id);
  return startSession(deps, { ...account, verifiedAt: deps.now() }, null);
}

export async function signIn(
  deps: AccountsDeps,
  caller: Caller,
  rawContact: string,
  password: string,
  enterpriseId: string | null,
): Promise<Session> {
  const contact = contactOf(rawContact, 'contact');
  await deps.limits?.beforeSignIn(contact, caller);
  const account = await deps.store.accountByContact(contact);
  const matches =
    account?.passwordHash && !account.deletedAt
      ? await verifyPassword(password, account.passwordHash)
      : await verifyAgainstDecoy(password);
  if (!account || !matches) {
    if (account) await securityEvent(deps, SecurityEventKind.SignInFailed, account.id);
    await deps.limits?.onSignInFailure(contact, caller);
    throw unauthenticated(WRONG_CREDENTIALS);
  }
  await deps.limits?.onSignInSuccess(contact, caller);
  if (!account.verifiedAt) {
    throw unauthenticated('Confirm your phone number or e-mail address first: verifyContact with the code sent.');
  }
  await securityEvent(deps, SecurityEventKind.SignedIn, account.id);
  return startSession(deps, account, enterpriseId);
}

/** The caller a session's access token names: a representative acts for one approved enterprise. */
async function actorFor(deps: AccountsDeps, account: AccountRecord, enterpriseId: string | null): Promise<Actor> {
  if (!enterpriseId) return { id: account.id, role: account.role };
  const representations = await deps.store.representationsOf(account.id);
  const approved = representations.some(
    (r) => r.enterpriseId === enterpriseId && r.status === RepresentationStatus.Approved,
  );
  if (!approved) throw forbidden(`This account is not an approved representative of enterprise "${enterpriseId}".`);
  return { id: account.id, role: Role.Enterprise, enterpriseId };
}

async function startSession(
  deps: AccountsDeps,
  account: AccountRecord,
  enterpriseId: string | null,
  familyId = newFamilyId(),
): Promise<Session> {
  const actor = await actorFor(deps, account, enterpriseId);
  const { token, hash } = newRefreshToken();
  const now = deps.now();
  const refreshExpiresAt = new Date(now.getTime() + REFRESH_TOKEN_LIFETIME_MS);
  await deps.store.insertRefreshToken({
    tokenHash: hash,
    familyId,
    accountId: account.id,
    enterpriseId,
    issuedAt: now,
    expiresAt: refreshExpiresAt,
    usedAt: null,
    revokedAt: null,
  });
  return {
    accessToken: await deps.keys.sign(actor, familyId),
    tokenType: 'Bearer',
    expiresIn: deps.keys.accessTokenLifetimeSeconds,
    refreshToken: token,
    refreshExpiresAt,
    enterpriseId,
    account,
  };
}

/**
 * Rotates a refresh token into a new session of the same sign-in. `actFor` switches whom it acts
 * for (undefined: as before); a representation is checked before the token is used, so a refused
 * switch leaves the sign-in as it was.
 */
export async function refreshSession(
  deps: AccountsDeps,
  refreshToken: string,
  actFor?: string | null,
): Promise<Session> {
  const invalid = () => unauthenticated('The refresh token is invalid, expired or signed out: sign in again.');
  const record = await deps.store.refreshTokenByHash(hashToken(refreshToken));
  if (!record) throw invalid();
  const enterpriseId = actFor === undefined ? record.enterpriseId : actFor;
  if (enterpriseId && enterpriseId !== record.enterpriseId) {
    const account = await deps.store.accountById(record.accountId);
    if (account) await actorFor(deps, account, enterpriseId);
  }
  const now = deps.now();
  let decision = judgeRefresh(record, now);
  if (decision === 'rotate' && !(await deps.store.claimRefreshToken(record.tokenHash, now))) decision = 'reuse';
  if (decision === 'reuse') {
    await deps.store.revokeFamily(record.familyId, now);
    await securityEvent(deps, SecurityEventKind.RefreshReuse, record.accountId, record.familyId);
    throw unauthenticated(
      'This refresh token was already used, so it may have been copied: ' +
        'every session of that sign-in is now signed out. Sign in again.',
    );
  }
  if (decision !== 'rotate') throw invalid();
  const account = await deps.store.accountById(record.accountId);
  if (!account || account.deletedAt) throw invalid();
  return startSession(deps, account, enterpriseId, record.familyId);
}

/** Ends the sign-in the refresh token belongs to (every token of its family). Always true. */
export async function signOut(deps: AccountsDeps, refreshToken: string): Promise<boolean> {
  const record = await deps.store.refreshTokenByHash(hashToken(refreshToken));
  if (record && (await deps.store.revokeFamily(record.familyId, deps.now())) > 0) {
    await securityEvent(deps, SecurityEventKind.SignedOut, record.accountId, record.familyId);
  }
  return true;
}

export async function resetPassword(
  deps: AccountsDeps,
  caller: Caller,
  rawContact: string,
  code: string,
  newPassword: string,
) {
  const contact = contactOf(rawContact, 'contact');
  checkPassword(newPassword, 'newPassword', contact.value);
  const account = await spendCode(deps, caller, contact, CodePurpose.ResetPassword, code);
  await deps.store.updateAccount(account.id, { passwordHash: await hashPassword(newPassword) });
  await deps.store.revokeAccountSessions(account.id, deps.now());
  await securityEvent(deps, SecurityEventKind.PasswordReset, account.id);
  return 'Your password has been changed and every session signed out: sign in with the new password.';
}

/** The signed-in account behind `actor`, or UNAUTHENTICATED (a development token's subject may have none). */
export async function ownAccount(deps: AccountsDeps, actor: Actor | null): Promise<AccountRecord> {
  if (!actor) throw unauthenticated();
  const account = await deps.store.accountById(actor.id);
  if (!account || account.deletedAt) throw unauthenticated('This token names no account: sign in.');
  return account;
}

async function confirmPassword(deps: AccountsDeps, account: AccountRecord, password: string, path: string) {
  if (!account.passwordHash || !(await verifyPassword(password, account.passwordHash))) {
    await securityEvent(deps, SecurityEventKind.SignInFailed, account.id, path);
    throw badUserInput(path, 'your current password');
  }
}

/** Changes the password and signs out every other session; returns a fresh session for this device. */
export async function changePassword(deps: AccountsDeps, actor: Actor | null, current: string, next: string) {
  const account = await ownAccount(deps, actor);
  checkPassword(next, 'newPassword', account.contact?.value);
  await confirmPassword(deps, account, current, 'currentPassword');
  await deps.store.updateAccount(account.id, { passwordHash: await hashPassword(next) });
  await deps.store.revokeAccountSessions(account.id, deps.now());
  await securityEvent(deps, SecurityEventKind.PasswordChanged, account.id);
  return startSession(deps, account, actor?.enterpriseId ?? null);
}

/**
 * Deletes the caller's account: contact and password hash go, sessions end. Cases filed under it
 * stay (they are evidence) and keep the id, with what the complainant entered on them.
 */
export async function deleteAccount(deps: AccountsDeps, actor: Actor | null, password: string): Promise<boolean> {
  const account = await ownAccount(deps, actor);
  await confirmPassword(deps, account, password, 'password');
  await deps.store.erasePersonalData(account.id, deps.now());
  await deps.appKeys?.revokeAppKeysOf(account.id, deps.now());
  await deps.codes.store.purgeAccount(account.id);
  // A letter backing an approved representation is the record of that authority; the others go.
  const approved = (await deps.store.representationsOf(account.id)).filter(
    (r) => r.status === RepresentationStatus.Approved && r.letterId,
  );
  await deps.letters.purgeAccount(
    account.id,
    approved.map((r) => r.letterId as string),
  );
  await securityEvent(deps, SecurityEventKind.AccountDeleted, account.id);
  return true;
}

export async function me(deps: AccountsDeps, actor: Actor | null): Promise<AccountRecord | null> {
  if (!actor) throw unauthenticated();
  const account = await deps.store.accountById(actor.id);
  return account && !account.deletedAt ? account : null;
}
