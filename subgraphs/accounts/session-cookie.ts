import type { ApolloServerPlugin } from '@apollo/server';
import { getCookies, Headers, setCookie } from 'undici';
import { REFRESH_TOKEN_LIFETIME_MS } from './domain/sessions.ts';
import type { Session } from './service.ts';

/**
 * The web site's refresh token, kept in a cookie its scripts cannot read (issue 15: "HttpOnly,
 * Secure, SameSite=Strict on our origin"). Everything about that cookie is decided here:
 *
 * - A request that carries `x-refresh-token-transport: cookie` (the site sends it with every
 *   session mutation) gets the refresh token of `signIn`, `verifyContact`, `changePassword` and
 *   `refreshSession` as `Set-Cookie` and `refreshToken: null` in the body, so a script running in
 *   the page (an injected one included) never holds it. Other clients (apps, curl) send nothing and
 *   keep getting it in the body, as before.
 * - `refreshSession` and `signOut` without a `refreshToken` argument read the cookie; signing out or a
 *   refused refresh clears it.
 * - Path=/graphql: the browser sends it with GraphQL requests only, never with page or evidence
 *   requests. The gateway forwards `Cookie` to the accounts subgraph alone and passes on
 *   `Set-Cookie` from it alone (gateway/gateway.ts), so no other subgraph ever sees it.
 *
 * Secure on http://127.0.0.1: browsers treat loopback as a secure context and accept the cookie.
 */
export const REFRESH_COOKIE = 'weiquan_refresh';
export const REFRESH_TRANSPORT_HEADER = 'x-refresh-token-transport';
const COOKIE_PATH = '/graphql';

/** What one request says and answers about the refresh cookie. */
export class RefreshCookie {
  /** The client asked for the refresh token in the cookie rather than in the body. */
  private wanted = false;
  /** The refresh token the request's cookie carried. */
  private presented: string | undefined;
  /** The Set-Cookie value of the answer, when it sets or clears the cookie. */
  private outgoing: string | undefined;

  /** Reads the request's headers (the plugin below, before any resolver runs). */
  read(headers: { get(name: string): string | undefined | null } | undefined): void {
    this.wanted = headers?.get(REFRESH_TRANSPORT_HEADER)?.trim().toLowerCase() === 'cookie';
    const cookie = headers?.get('cookie');
    this.presented = cookie ? getCookies(new Headers({ cookie }))[REFRESH_COOKIE] || undefined : undefined;
  }

  /** The refresh token to act on: the argument when given, else the cookie's (and the answer goes to the cookie). */
  tokenFrom(argument: string | null | undefined): string | undefined {
    if (argument) return argument;
    if (this.presented) this.wanted = true;
    return this.presented;
  }

  /** The session as it is answered: in cookie mode its refresh token leaves as the cookie only. */
  deliver(session: Session): Omit<Session, 'refreshToken'> & { refreshToken: string | null } {
    if (!this.wanted) return session;
    // Every session answered carries a new refresh token, good for its whole lifetime.
    this.outgoing = serialise(session.refreshToken, REFRESH_TOKEN_LIFETIME_MS / 1000);
    return { ...session, refreshToken: null };
  }

  /** Removes the cookie from the browser (signed out, or a refresh refused), when the request used it. */
  clear(): void {
    if (this.wanted || this.presented) this.outgoing = serialise('', 0);
  }

  setCookieHeader(): string | undefined {
    return this.outgoing;
  }
}

function serialise(value: string, maxAge: number): string {
  const headers = new Headers();
  setCookie(headers, {
    name: REFRESH_COOKIE,
    value,
    httpOnly: true,
    secure: true,
    sameSite: 'Strict',
    path: COOKIE_PATH,
    maxAge,
  });
  return headers.getSetCookie()[0] ?? '';
}

/** Gives each request its RefreshCookie from the request headers, and sets the answer's Set-Cookie. */
export function refreshCookiePlugin<Ctx extends { refreshCookie: RefreshCookie }>(): ApolloServerPlugin<Ctx> {
  return {
    async requestDidStart({ request, contextValue }) {
      contextValue.refreshCookie.read(request.http?.headers);
      return {
        async willSendResponse({ response, contextValue: context }) {
          const cookie = context.refreshCookie.setCookieHeader();
          if (cookie) response.http.headers.set('set-cookie', cookie);
        },
      };
    },
  };
}
