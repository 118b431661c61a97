/**
 * The desk's sign-in for development: a bearer token from `npm run token`, kept in sessionStorage
 * (gone when the tab closes, never in localStorage or a URL). Its claims are read only to choose
 * which desk to show; the graph verifies the token on every request. Replaced by real accounts
 * when the accounts issue lands.
 */
const KEY = 'weiquan.desk.token';

export type DeskRole = 'complainant' | 'staff' | 'enterprise';

export interface DeskSession {
  token: string;
  role: DeskRole;
  subject: string;
  enterpriseId?: string;
}

function claimsOf(token: string): Record<string, unknown> | null {
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    const bytes = Uint8Array.from(json, (char) => char.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
  } catch {
    return null;
  }
}

/** The session a token opens, or null when it is not a desk token of a known role. */
export function sessionFor(token: string): DeskSession | null {
  const claims = claimsOf(token.trim());
  const role = claims?.role;
  if (role !== 'complainant' && role !== 'staff' && role !== 'enterprise') return null;
  return {
    token: token.trim(),
    role,
    subject: String(claims?.sub ?? ''),
    enterpriseId: typeof claims?.ent === 'string' ? claims.ent : undefined,
  };
}

export function currentSession(): DeskSession | null {
  const token = sessionStorage.getItem(KEY);
  return token ? sessionFor(token) : null;
}

export function signIn(session: DeskSession): void {
  sessionStorage.setItem(KEY, session.token);
}

export function signOut(): void {
  sessionStorage.removeItem(KEY);
}

/** The Authorization header of the signed-in desk user, if any. */
export function authorizationHeader(): Record<string, string> {
  const session = currentSession();
  return session ? { authorization: `Bearer ${session.token}` } : {};
}
