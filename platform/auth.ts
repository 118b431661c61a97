import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { z } from 'zod';
import { forbidden, unauthenticated } from './errors.ts';
import { Role, type Actor, type RequestContext } from './context.ts';

/**
 * Bearer tokens are HS256 JWTs signed with AUTH_SECRET. Every subgraph verifies them itself, so a
 * subgraph reached directly (bypassing the gateway) grants exactly what the gateway would.
 */

/**
 * The roles a bearer token may carry. `system` is not one: it is the in-process scheduler and
 * dispatchers, which act without a token, so a token naming it is refused, however well signed.
 */
export const CALLER_ROLES = [Role.Complainant, Role.Staff, Role.Enterprise] as const;

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
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) throw unauthenticated('The bearer token has expired.');
    if (error instanceof joseErrors.JWTClaimValidationFailed && error.reason === 'missing') {
      throw unauthenticated(`The bearer token must carry the "${error.claim}" claim.`);
    }
    if (error instanceof Error && 'extensions' in error) throw error;
    throw unauthenticated('The bearer token is invalid.');
  }
}

/** The caller, who must be signed in with one of `roles`. */
export function requireRole(ctx: RequestContext, ...roles: Role[]): Actor {
  if (!ctx.actor) throw unauthenticated();
  if (!roles.includes(ctx.actor.role)) {
    throw forbidden(`This operation needs one of the roles ${roles.join(', ')}; you are ${ctx.actor.role}.`);
  }
  return ctx.actor;
}
