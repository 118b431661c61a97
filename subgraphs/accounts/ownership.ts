/**
 * What "the caller's own" means in the accounts slice, for the policy table's `own` rules
 * (platform/policy.ts), enforced around every field of the subgraph (platform/server/field-policy.ts).
 */
import type { GraphQLResolveInfo } from 'graphql';
import type { Ownership } from '../../platform/server/field-policy.ts';
import type { AccountRecord, RepresentationRecord } from './domain/account.ts';
import type { AppKeyRecord } from './domain/app-keys.ts';
import type { LetterRecord } from './domain/letters.ts';
import type { AccountsContext } from './resolvers.ts';

export const accountsOwnership: Ownership<AccountsContext> = {
  // The token's account, or the account of the session this answer opens: a Session is returned
  // only to whoever presented its password, code or refresh token, signed in or not.
  Account: (account: AccountRecord, ctx: AccountsContext, info: GraphQLResolveInfo) =>
    ctx.actor?.id === account.id || info.path.prev?.typename === 'Session',
  Representation: (request: RepresentationRecord, ctx: AccountsContext) => ctx.actor?.id === request.accountId,
  AuthorisationLetter: (letter: LetterRecord, ctx: AccountsContext) => ctx.actor?.id === letter.accountId,
  AppKey: (key: AppKeyRecord, ctx: AccountsContext) => ctx.actor?.id === key.accountId,
};
