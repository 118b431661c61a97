/**
 * The desk's sign-in with real accounts (the accounts subgraph, through `/graphql` only).
 *
 * - The access token lives in this module's memory and nowhere else: no localStorage, no
 *   sessionStorage, no URL. A reload or a new tab gets a new one from the refresh cookie.
 * - The refresh token never reaches page script: every session mutation here is sent with
 *   `x-refresh-token-transport: cookie`, so the accounts subgraph answers it as an HttpOnly, Secure,
 *   SameSite=Strict cookie for /graphql (subgraphs/accounts/session-cookie.ts) and `refreshSession`
 *   reads it back from there.
 * - Renewal: a timer renews the session a minute before the access token expires (at 80 % of a
 *   short lifetime), and a request sent after that point waits for the renewal first (a background
 *   tab's timers are throttled). Refresh tokens are single-use, so renewals are serialised, within
 *   the tab and across the site's tabs (Web Locks): each one sends the cookie the last one set.
 * - Whom a representative acts for: chosen after signing in. A sign-in that a representative left
 *   before choosing comes back from the cookie acting as the account itself, so a restored session
 *   of an account with representations and no enterprise asks again (`needsActingChoice`), and
 *   `switchActingFor` changes it within the same sign-in (no password again, the cookie rules kept).
 */
import { Client, type CombinedError, fetchExchange } from '@urql/core';
import {
  type DeskSessionFieldsFragment,
  RefreshSessionDocument,
  SignInDocument,
  SignOutDocument,
  SwitchActingForDocument,
  VerifyContactDocument,
} from '../gql/graphql.ts';

export type DeskRole = 'complainant' | 'staff' | 'admin' | 'enterprise';

export interface DeskSession {
  accessToken: string;
  role: DeskRole;
  accountId: string;
  /** The sign-in contact, masked by the graph (138****8000). */
  contact: string;
  /** The enterprise this session acts for (a representative's choice), or null. */
  enterpriseId: string | null;
  /** Enterprises the account may act for, for the choice after signing in. */
  representedEnterprises: string[];
  /** When to renew (ms since the epoch): before the access token expires. */
  renewAt: number;
}

/** The accounts' own client: no cache, no bearer token, the refresh token asked for as the cookie. */
const accounts = new Client({
  url: '/graphql',
  exchanges: [fetchExchange],
  preferGetMethod: false,
  requestPolicy: 'network-only',
  fetchOptions: { headers: { 'x-refresh-token-transport': 'cookie' }, credentials: 'same-origin' },
});

let current: DeskSession | null = null;
/** Whether this page load has asked the cookie for a session yet. */
let restored: Promise<void> | null = null;
let renewal: ReturnType<typeof setTimeout> | undefined;
let renewing: Promise<DeskSession | null> | null = null;
const listeners = new Set<() => void>();
/** Whether whom the session acts for was chosen in this page load (a restored sign-in's was not, maybe). */
let actingChosen = false;

function sessionFrom(fields: DeskSessionFieldsFragment): DeskSession {
  const lifetimeMs = fields.expiresIn * 1000;
  return {
    accessToken: fields.accessToken,
    role: fields.enterpriseId ? 'enterprise' : (fields.account.role.toLowerCase() as DeskRole),
    accountId: fields.account.id,
    contact: fields.account.contact,
    enterpriseId: fields.enterpriseId ?? null,
    representedEnterprises: fields.account.representedEnterprises,
    renewAt: Date.now() + Math.max(lifetimeMs * 0.8, lifetimeMs - 60_000),
  };
}

function publish(next: DeskSession | null): void {
  current = next;
  if (!next) actingChosen = false;
  clearTimeout(renewal);
  if (next) renewal = setTimeout(() => void renew(), Math.max(0, next.renewAt - Date.now()));
  for (const listener of listeners) listener();
}

export function currentSession(): DeskSession | null {
  return current;
}

/** Calls `listener` whenever the session changes; returns the unsubscribe. */
export function onSessionChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Serialised across the site's tabs when the browser has Web Locks, else within this tab. */
function exclusively<T>(work: () => Promise<T>): Promise<T> {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  return locks ? (locks.request('weiquan-session-renewal', work) as Promise<T>) : work();
}

/**
 * Exchanges the refresh cookie for a new session (one renewal at a time). Null when there is no
 * sign-in to renew; a lost connection keeps the current session, to try again on the next request.
 */
export function renew(): Promise<DeskSession | null> {
  renewing ??= exclusively(async () => {
    const result = await accounts.mutation(RefreshSessionDocument, {}).toPromise();
    if (result.data) publish(sessionFrom(result.data.refreshSession));
    else if (!result.error?.networkError) publish(null);
    return current;
  }).finally(() => {
    renewing = null;
  });
  return renewing;
}

/** On the first desk page of a page load: the session the refresh cookie still holds, if any. */
export function restoreSession(): Promise<void> {
  restored ??= current ? Promise.resolve() : renew().then(() => undefined);
  return restored;
}

export type SessionOutcome = { session: DeskSession } | { error: CombinedError };

function outcomeOf(
  fields: DeskSessionFieldsFragment | undefined,
  error: CombinedError | undefined,
  adoptNow = true,
): SessionOutcome {
  if (fields) {
    const session = sessionFrom(fields);
    if (adoptNow) {
      actingChosen = true;
      publish(session);
    }
    return { session };
  }
  return { error: error as CombinedError };
}

/**
 * Signs in. `hold` returns the session without making it the page's yet: a representative first
 * chooses whom to act for (then `adopt` it, or sign in again with the enterprise).
 */
export async function signIn(
  contact: string,
  password: string,
  options: { enterpriseId?: string; hold?: boolean } = {},
): Promise<SessionOutcome> {
  const variables = { contact, password, enterpriseId: options.enterpriseId };
  const result = await accounts.mutation(SignInDocument, variables).toPromise();
  return outcomeOf(result.data?.signIn, result.error, !options.hold);
}

/** Makes a held session the page's, acting as it does (the representative's choice made). */
export function adopt(session: DeskSession): void {
  actingChosen = true;
  publish(session);
}

/**
 * Whether the page should ask whom this session acts for: an account with approved representations,
 * no enterprise chosen, and no choice made in this page load (e.g. it left before choosing).
 */
export function needsActingChoice(session: DeskSession): boolean {
  return !actingChosen && !session.enterpriseId && session.representedEnterprises.length > 0;
}

/** Switches whom the sign-in acts for: an enterprise it represents, or null for the account itself. */
export async function switchActingFor(enterpriseId: string | null): Promise<SessionOutcome> {
  const result = await exclusively(() => accounts.mutation(SwitchActingForDocument, { enterpriseId }).toPromise());
  return outcomeOf(result.data?.refreshSession, result.error);
}

/** The code step of registering: confirms the contact and signs the new account in. */
export async function verifyContact(contact: string, code: string): Promise<SessionOutcome> {
  const result = await accounts.mutation(VerifyContactDocument, { contact, code }).toPromise();
  return outcomeOf(result.data?.verifyContact, result.error);
}

/** Ends the sign-in (the graph revokes it and clears the cookie) and forgets the access token. */
export async function signOut(): Promise<void> {
  await exclusively(() => accounts.mutation(SignOutDocument, {}).toPromise());
  publish(null);
}

/** The Authorization header of the signed-in desk user, if any. */
export function authorizationHeader(): Record<string, string> {
  return current ? { authorization: `Bearer ${current.accessToken}` } : {};
}

/** A token fit to send now: renewed first when its renewal is due (a throttled timer may be late). */
export async function freshAuthorizationHeader(): Promise<Record<string, string>> {
  if (current && Date.now() >= current.renewAt) await renew();
  return authorizationHeader();
}

/** The site's GraphQL fetch: the caller's bearer token, renewed first when due. */
export async function authorizedFetch(input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  for (const [name, value] of Object.entries(await freshAuthorizationHeader())) headers.set(name, value);
  return fetch(input, { ...init, headers });
}
