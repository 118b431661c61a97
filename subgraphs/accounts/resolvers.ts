import type { RequestContext } from '../../platform/context.ts';
import { AccountRole, RepresentationStatus, type AccountRecord } from './domain/account.ts';
import { CodePurpose } from './domain/codes.ts';
import { maskContact } from './domain/contact.ts';
import * as accounts from './service.ts';

/** Thin resolvers: arguments in, a command of service.ts, its result out. */
export interface AccountsContext extends RequestContext {
  accounts: accounts.AccountsDeps;
  caller: accounts.Caller;
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
  },
  Mutation: {
    register: async (_: unknown, { input }: Args, ctx: AccountsContext) =>
      acknowledge(await accounts.register(ctx.accounts, ctx.caller, input?.contact ?? '', input?.password ?? '')),
    sendVerificationCode: async (_: unknown, args: Args, ctx: AccountsContext) =>
      acknowledge(await accounts.sendCode(ctx.accounts, ctx.caller, args.contact ?? '', PURPOSES[args.purpose ?? ''])),
    verifyContact: (_: unknown, args: Args, ctx: AccountsContext) =>
      accounts.verifyContact(ctx.accounts, ctx.caller, args.contact ?? '', args.code ?? ''),
    signIn: (_: unknown, args: Args, ctx: AccountsContext) =>
      accounts.signIn(ctx.accounts, ctx.caller, args.contact ?? '', args.password ?? '', args.enterpriseId ?? null),
    refreshSession: (_: unknown, args: Args, ctx: AccountsContext) =>
      accounts.refreshSession(ctx.accounts, args.refreshToken ?? ''),
    signOut: (_: unknown, args: Args, ctx: AccountsContext) => accounts.signOut(ctx.accounts, args.refreshToken ?? ''),
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
    changePassword: (_: unknown, args: Args, ctx: AccountsContext) =>
      accounts.changePassword(ctx.accounts, ctx.actor, args.currentPassword ?? '', args.newPassword ?? ''),
    deleteAccount: (_: unknown, args: Args, ctx: AccountsContext) =>
      accounts.deleteAccount(ctx.accounts, ctx.actor, args.password ?? ''),
  },
  Session: {
    refreshExpiresAt: (session: accounts.Session) => session.refreshExpiresAt.toISOString(),
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
