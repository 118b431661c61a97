import { FetchError } from '../fetch/fetcher.ts';

/** How a crawl reads what a source answered when it did not serve a page: a login wall, or an error to report. */

/** Path segments that are a login step, with any extension dropped (`/sso`, `/oauth2/authorize`). */
const LOGIN_SEGMENTS = new Set(['sso', 'auth', 'passport', 'oauth', 'oauth2', 'authorize', 'cas', 'logbox']);
/**
 * "login" as a word of its own in a segment (`login.html`, `user-login`), not letters inside
 * another (`/blogindex`).
 */
const LOGIN_WORD = /(?:^|[^a-z])(?:log-?in|log-?on|sign-?in)(?![a-z])/;
/** "Login" as the capitalised part of a compound (`ServiceLogin`, `unifyAccountLogin.do`). */
const LOGIN_COMPOUND = /[a-z0-9](?:Log-?[Ii]n|Log[Oo]n|Sign-?[Ii]n)(?![a-z])/;
/** A host that is a login service (`login.sina.com.cn`, `passport.example.com`). */
const LOGIN_HOST = /^(?:login|passport|sso|signin|auth)\./i;

/**
 * Whether a redirect target is a login page. Matched on whole words, not substrings, so
 * `/authors` or `/news/oauth-explained` are not taken for one.
 */
export function isLoginPage(location: string): boolean {
  const url = URL.parse(location, 'http://relative.invalid');
  if (!url) return false;
  if (LOGIN_HOST.test(url.hostname)) return true;
  return url.pathname.split('/').some((segment) => {
    const lower = segment.toLowerCase();
    return (
      LOGIN_SEGMENTS.has(lower.replace(/\.[a-z0-9]+$/, '')) || LOGIN_WORD.test(lower) || LOGIN_COMPOUND.test(segment)
    );
  });
}

/**
 * How a site tells an anonymous visitor it will not serve a page without a login: 401, or a
 * redirect to a login page. We stop there (redirects are never followed, nothing is bypassed).
 */
export function loginAnswer(error: unknown): { httpStatus: number; location: string | null } | null {
  if (!(error instanceof FetchError) || error.status === null) return null;
  if (error.status === 401) return { httpStatus: 401, location: null };
  const redirect = error.status >= 300 && error.status < 400;
  if (redirect && error.location && isLoginPage(error.location))
    return { httpStatus: error.status, location: error.location };
  return null;
}

export function describeError(error: unknown): string {
  if (error instanceof FetchError)
    return `${error.kind}${error.status ? ` ${error.status}` : ''} after ${error.attempts} attempt(s): ${error.url}`;
  return error instanceof Error ? error.message : String(error);
}
