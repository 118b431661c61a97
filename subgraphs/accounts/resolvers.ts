import type { RequestContext } from '../../platform/context.ts';
import { AccountRole, RepresentationStatus, type AccountRecord, type RepresentationRecord } from './domain/account.ts';
import { CodePurpose } from './domain/codes.ts';
import { maskContact } from './domain/contact.ts';
import * as apps from './app-keys.ts';
import type { AppKeyRecord } from './domain/app-keys.ts';
import { mayReadLetter, type LetterRecord } from './domain/letters.ts';
import { LETTERS_PATH } from './http/letters.ts';
import * as desk from './representations.ts';
import * as accounts from './service.ts';
import type { RefreshCookie } from './session-cookie.ts';
import type { SecurityEvent } from './store/accounts.ts';

/** Thin resolvers: arguments in, a command of service.ts, its result out. */
export interface AccountsContext extends RequestContext {
  accounts: apps.AppKeyDeps;
  caller: accounts.Caller;
  /** The site's refresh cookie: read from the request, set on the answer (session-cookie.ts). */
  refreshCookie: RefreshCookie;
}

const PURPOSES: Record<string, CodePurpose> = {
  VERIFY_CONTACT: CodePurpose.VerifyContact,
  RESET_PASSWORD: CodePurpose.ResetPassword,
};
const ROLES: Record<AccountRole, string> = {
  [AccountRole.Complainant]: 'COMPLAINANT',
  [AccountRole.Staff]: 'STAFF',
  [AccountRole.Admin]: 'ADMIN',
};

type Args = Record<string, string | undefined> & { input?: { contact: string; password: string } };
const acknowledge = (message: string) => ({ message });

export const resolvers = {
  Query: {
    me: (_: unknown, __: unknown, ctx: AccountsContext) => accounts.me(ctx.accounts, ctx.actor),
    myRepresentations: async (_: unknown, __: unknown, ctx: AccountsContext) => {
      const account = await accounts.me(ctx.accounts, ctx.actor);
      return account ? ctx.accounts.store.representationsOf(account.id) : [];
    },
    pendingRepresentations: (_: unknown, __: unknown, ctx: AccountsContext) =>
      desk.pendingRepresentations(ctx.accounts, ctx.actor),
    securityEvents: (_: unknown, args: { first: number }, ctx: AccountsContext) =>
      desk.securityEvents(ctx.accounts, ctx.actor, args.first),
    myAppKeys: (_: unknown, __: unknown, ctx: AccountsContext) => apps.myAppKeys(ctx.accounts, ctx.actor),
    appKeys: (_: unknown, args: { first: number }, ctx: AccountsContext) =>
      apps.allAppKeys(ctx.accounts, ctx.actor, args.first),
  },
  Mutation: {
    register: async (_: unknown, { input }: Args, ctx: AccountsContext) =>
      acknowledge(await accounts.register(ctx.accounts, ctx.caller, input?.contact ?? '', input?.password ?? '')),
    sendVerificationCode: async (_: unknown, args: Args, ctx: AccountsContext) =>
      acknowledge(await accounts.sendCode(ctx.accounts, ctx.caller, args.contact ?? '', PURPOSES[args.purpose ?? ''])),
    verifyContact: async (_: unknown, args: Args, ctx: AccountsContext) =>
      ctx.refreshCookie.deliver(
        await accounts.verifyContact(ctx.accounts, ctx.caller, args.contact ?? '', args.code ?? ''),
      ),
    signIn: async (_: unknown, args: Args, ctx: AccountsContext) =>
      ctx.refreshCookie.deliver(
        await accounts.signIn(
          ctx.accounts,
          ctx.caller,
          args.contact ?? '',
          args.password ?? '',
          args.enterpriseId ?? null,
        ),
      ),
    refreshSession: async (
      _: unknown,
      args: { refreshToken?: string; enterpriseId?: string | null },
      ctx: AccountsContext,
    ) => {
      const token = ctx.refreshCookie.tokenFrom(args.refreshToken) ?? '';
      try {
        return ctx.refreshCookie.deliver(await accounts.refreshSession(ctx.accounts, token, args.enterpriseId));
      } catch (error) {
        // A sign-in that cannot be renewed is over; a refused switch of whom it acts for is not.
        if ((error as { extensions?: { code?: unknown } }).extensions?.code !== 'FORBIDDEN') {
          ctx.refreshCookie.clear();
        }
        throw error;
      }
    },
    signOut: async (_: unknown, args: Args, ctx: AccountsContext) => {
      const refreshToken = ctx.refreshCookie.tokenFrom(args.refreshToken);
      ctx.refreshCookie.clear();
      return refreshToken ? accounts.signOut(ctx.accounts, refreshToken) : true;
    },
    resetPassword: async (_: unknown, args: Args, ctx: AccountsContext) =>
      acknowledge(
        await accounts.resetPassword(
          ctx.accounts,
          ctx.caller,
          args.contact ?? '',
          args.code ?? '',
          args.newPassword ?? '',
        ),
      ),
    changePassword: async (_: unknown, args: Args, ctx: AccountsContext) =>
      ctx.refreshCookie.deliver(
        await accounts.changePassword(ctx.accounts, ctx.actor, args.currentPassword ?? '', args.newPassword ?? ''),
      ),
    requestRepresentation: (_: unknown, args: Args, ctx: AccountsContext) =>
      desk.requestRepresentation(
        ctx.accounts,
        ctx.actor,
        args.creditCode ?? '',
        args.enterpriseName ?? '',
        args.letterId ?? null,
      ),
    decideRepresentation: (_: unknown, args: Args & { approve?: boolean }, ctx: AccountsContext) =>
      desk.decideRepresentation(
        ctx.accounts,
        ctx.actor,
        args.accountId ?? '',
        args.enterpriseId ?? '',
        Boolean(args.approve),
      ),
    deleteAccount: (_: unknown, args: Args, ctx: AccountsContext) =>
      accounts.deleteAccount(ctx.accounts, ctx.actor, args.password ?? ''),
    registerAppKey: (_: unknown, args: Args, ctx: AccountsContext) =>
      apps.registerAppKey(ctx.accounts, ctx.actor, args.name ?? ''),
    revokeAppKey: (_: unknown, args: Args, ctx: AccountsContext) =>
      apps.revokeAppKey(ctx.accounts, ctx.actor, args.id ?? ''),
    setAppKeyRateLimit: (_: unknown, args: { id: string; requestsPerMinute?: number | null }, ctx: AccountsContext) =>
      apps.setAppKeyRateLimit(ctx.accounts, ctx.actor, args.id, args.requestsPerMinute ?? null),
  },
  AppKey: {
    createdAt: (key: AppKeyRecord) => key.createdAt.toISOString(),
    revokedAt: (key: AppKeyRecord) => key.revokedAt?.toISOString() ?? null,
  },
  Session: {
    refreshExpiresAt: (session: accounts.Session) => session.refreshExpiresAt.toISOString(),
  },
  Representation: {
    status: (r: RepresentationRecord) => r.status.toUpperCase(),
    requestedAt: (r: RepresentationRecord) => r.requestedAt.toISOString(),
    decidedAt: (r: RepresentationRecord) => r.decidedAt?.toISOString() ?? null,
    // A request reaches only its requester and the desk; the letter is checked again all the same.
    letter: async (r: RepresentationRecord, _: unknown, ctx: AccountsContext) => {
      const letter = r.letterId ? await ctx.accounts.letters.metadata(r.letterId) : null;
      return letter && ctx.actor && mayReadLetter(ctx.actor, letter) ? letter : null;
    },
  },
  AuthorisationLetter: {
    uploadedAt: (letter: LetterRecord) => letter.uploadedAt.toISOString(),
    url: (letter: LetterRecord) => `${LETTERS_PATH}/${encodeURIComponent(letter.id)}`,
  },
  SecurityEvent: {
    at: (event: SecurityEvent) => event.at.toISOString(),
  },
  Account: {
    role: (account: AccountRecord) => ROLES[account.role],
    contact: (account: AccountRecord) => (account.contact ? maskContact(account.contact) : ''),
    verified: (account: AccountRecord) => account.verifiedAt !== null,
    createdAt: (account: AccountRecord) => account.createdAt.toISOString(),
    representedEnterprises: async (account: AccountRecord, _: unknown, ctx: AccountsContext) =>
      (await ctx.accounts.store.representationsOf(account.id))
        .filter((r) => r.status === RepresentationStatus.Approved)
        .map((r) => r.enterpriseId),
  },
};
