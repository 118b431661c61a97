import { SignJWT, createRemoteJWKSet, decodeProtectedHeader, jwtVerify, errors as joseErrors } from 'jose';
import { z } from 'zod';
import { forbidden, unauthenticated } from './errors.ts';
import { Role, type Actor, type RequestContext } from './context.ts';

/**
 * Bearer tokens come in two kinds, and every subgraph verifies them itself, so a subgraph reached
 * directly (bypassing the gateway) grants exactly what the gateway would:
 * - access tokens the accounts subgraph signs (EdDSA, 15 minutes, a `kid`), checked against its
 *   JWKS (`createAuthenticator` below): the only kind accepted in production;
 * - development tokens (HS256 with AUTH_SECRET, `npm run token`), refused when NODE_ENV=production.
 */

/**
 * The roles a bearer token may carry. `system` is not one: it is the in-process scheduler and
 * dispatchers, which act without a token, so a token naming it is refused, however well signed.
 */
export const CALLER_ROLES = [Role.Complainant, Role.Staff, Role.Enterprise, Role.Admin] as const;

const claimsSchema = z.object({
  sub: z.string().min(1),
  role: z.enum(CALLER_ROLES),
  ent: z.string().min(1).optional(),
  iat: z.number(),
  exp: z.number(),
});

const ISSUER = 'weiquan';

/** A token lives at most this long unless AUTH_TOKEN_MAX_LIFETIME_SECONDS says otherwise: one day. */
export const DEFAULT_TOKEN_MAX_LIFETIME_SECONDS = 24 * 3600;

export async function issueToken(secret: string, actor: Actor, ttlSeconds = 3600): Promise<string> {
  return new SignJWT({ role: actor.role, ...(actor.enterpriseId ? { ent: actor.enterpriseId } : {}) })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(actor.id)
    .setIssuer(ISSUER)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(new TextEncoder().encode(secret));
}

export interface AuthOptions {
  /** The longest a token may live, from `iat` to `exp`, and the oldest `iat` accepted. */
  maxLifetimeSeconds?: number;
}

/**
 * Reads the `Authorization` header. No header means anonymous (null); a header that is present
 * but invalid or expired is an error, never a silent downgrade to anonymous. A token must say
 * when it was issued and when it expires (`iat`, `exp`), and live no longer than the maximum.
 */
export async function authenticate(
  secret: string,
  authorization: string | undefined | null,
  options: AuthOptions = {},
): Promise<Actor | null> {
  if (!authorization) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(authorization);
  if (!match) throw unauthenticated('The Authorization header must be "Bearer <token>".');
  const maxLifetime = options.maxLifetimeSeconds ?? DEFAULT_TOKEN_MAX_LIFETIME_SECONDS;
  try {
    const { payload } = await jwtVerify(match[1], new TextEncoder().encode(secret), {
      issuer: ISSUER,
      algorithms: ['HS256'],
      requiredClaims: ['exp', 'iat', 'sub'],
      maxTokenAge: maxLifetime,
    });
    return actorOf(payload, maxLifetime);
  } catch (error) {
    throw asAuthError(error);
  }
}

/** The verified payload as the caller it names; refuses `system`, over-long lifetimes, a nameless enterprise. */
function actorOf(payload: Record<string, unknown>, maxLifetime: number): Actor {
  if (payload.role === Role.System) {
    throw unauthenticated('No bearer token may carry the system role: it is reserved for in-process jobs.');
  }
  const claims = claimsSchema.parse(payload);
  if (claims.exp - claims.iat > maxLifetime) {
    throw unauthenticated(`The bearer token lives longer than the ${maxLifetime} s allowed (from "iat" to "exp").`);
  }
  if (claims.role === Role.Enterprise && !claims.ent) {
    throw unauthenticated('An enterprise token must name its enterprise.');
  }
  return { id: claims.sub, role: claims.role, ...(claims.ent ? { enterpriseId: claims.ent } : {}) };
}

function asAuthError(error: unknown): Error {
  if (error instanceof joseErrors.JWTExpired) return unauthenticated('The bearer token has expired.');
  if (error instanceof joseErrors.JWTClaimValidationFailed && error.reason === 'missing') {
    return unauthenticated(`The bearer token must carry the "${error.claim}" claim.`);
  }
  if (error instanceof joseErrors.JWKSTimeout || (error instanceof TypeError && /fetch/i.test(error.message))) {
    return unauthenticated('The signing keys of the accounts service could not be fetched; try again shortly.');
  }
  if (error instanceof Error && 'extensions' in error) return error;
  return unauthenticated('The bearer token is invalid.');
}

/** Access tokens: who signs them, for whom, how, and how long they live. */
export const ACCESS_TOKEN = {
  issuer: 'weiquan-accounts',
  audience: 'weiquan',
  algorithm: 'EdDSA',
  lifetimeSeconds: 15 * 60,
} as const;

/** Where the accounts subgraph serves its public keys, beside its GraphQL endpoint. */
export const JWKS_PATH = '/.well-known/jwks.json';
export function jwksUrlOf(accountsGraphqlUrl: string): URL {
  return new URL(JWKS_PATH, accountsGraphqlUrl);
}

export type Authenticator = (authorization: string | undefined | null) => Promise<Actor | null>;

export interface AuthenticatorOptions {
  /** Production refuses development (HS256) tokens outright. */
  production: boolean;
  /** AUTH_SECRET: the development tokens' key. */
  developmentSecret: string;
  developmentMaxLifetimeSeconds: number;
  /**
   * The accounts subgraph's GraphQL URL, read at the first access token (the test harness and
   * `npm start` learn it once accounts listens).
   */
  accountsUrl: () => string;
  /** How long after a JWKS fetch an unknown `kid` may not trigger another: 30 s unless a test says otherwise. */
  jwksCooldownMs?: number;
}

/**
 * Verifies either kind of bearer token (see the top of this file). The JWKS is fetched once and
 * cached: an unknown `kid` (a rotated key) triggers one refetch, at most every 30 s, so a forged
 * `kid` cannot make every request hit the accounts subgraph. Any other `alg` (`none` included) is
 * refused before any key is looked up.
 */
export function createAuthenticator(options: AuthenticatorOptions): Authenticator {
  let jwks: ReturnType<typeof createRemoteJWKSet> | undefined;
  const keys = () => {
    jwks ??= createRemoteJWKSet(jwksUrlOf(options.accountsUrl()), {
      cooldownDuration: options.jwksCooldownMs ?? 30_000,
      cacheMaxAge: 10 * 60_000,
      timeoutDuration: 5_000,
    });
    return jwks;
  };
  return async (authorization) => {
    if (!authorization) return null;
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (!match) throw unauthenticated('The Authorization header must be "Bearer <token>".');
    let alg: unknown;
    try {
      alg = decodeProtectedHeader(match[1]).alg;
    } catch {
      throw unauthenticated('The bearer token is invalid.');
    }
    if (alg === 'HS256') {
      if (options.production) {
        throw unauthenticated(
          'Development tokens (HS256, AUTH_SECRET) are refused in production: sign in through the accounts service.',
        );
      }
      return authenticate(options.developmentSecret, authorization, {
        maxLifetimeSeconds: options.developmentMaxLifetimeSeconds,
      });
    }
    if (alg !== ACCESS_TOKEN.algorithm) throw unauthenticated('The bearer token is invalid.');
    try {
      const { payload } = await jwtVerify(match[1], keys(), {
        issuer: ACCESS_TOKEN.issuer,
        audience: ACCESS_TOKEN.audience,
        algorithms: [ACCESS_TOKEN.algorithm],
        requiredClaims: ['exp', 'iat', 'sub'],
        maxTokenAge: ACCESS_TOKEN.lifetimeSeconds,
      });
      return actorOf(payload, ACCESS_TOKEN.lifetimeSeconds);
    } catch (error) {
      throw asAuthError(error);
    }
  };
}

/** The caller, who must be signed in with one of `roles`. */
export function requireRole(ctx: RequestContext, ...roles: Role[]): Actor {
  if (!ctx.actor) throw unauthenticated();
  if (!roles.includes(ctx.actor.role)) {
    throw forbidden(`This operation needs one of the roles ${roles.join(', ')}; you are ${ctx.actor.role}.`);
  }
  return ctx.actor;
}
