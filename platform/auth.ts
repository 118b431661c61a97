import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { z } from 'zod';
import { forbidden, unauthenticated } from './errors.ts';
import { Role, type Actor, type RequestContext } from './context.ts';

/**
 * Bearer tokens are HS256 JWTs signed with AUTH_SECRET. Every subgraph verifies them itself, so a
 * subgraph reached directly (bypassing the gateway) grants exactly what the gateway would.
 */
const claimsSchema = z.object({
  sub: z.string().min(1),
  role: z.enum([Role.Complainant, Role.Staff, Role.Enterprise, Role.System]),
  ent: z.string().min(1).optional(),
});

const ISSUER = 'weiquan';

export async function issueToken(secret: string, actor: Actor, ttlSeconds = 3600): Promise<string> {
  return new SignJWT({ role: actor.role, ...(actor.enterpriseId ? { ent: actor.enterpriseId } : {}) })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(actor.id)
    .setIssuer(ISSUER)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(new TextEncoder().encode(secret));
}

/**
 * Reads the `Authorization` header. No header means anonymous (null); a header that is present
 * but invalid or expired is an error, never a silent downgrade to anonymous.
 */
export async function authenticate(secret: string, authorization: string | undefined | null): Promise<Actor | null> {
  if (!authorization) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(authorization);
  if (!match) throw unauthenticated('The Authorization header must be "Bearer <token>".');
  try {
    const { payload } = await jwtVerify(match[1], new TextEncoder().encode(secret), {
      issuer: ISSUER,
      algorithms: ['HS256'],
    });
    const claims = claimsSchema.parse(payload);
    if (claims.role === Role.Enterprise && !claims.ent) {
      throw unauthenticated('An enterprise token must name its enterprise.');
    }
    return { id: claims.sub, role: claims.role, ...(claims.ent ? { enterpriseId: claims.ent } : {}) };
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) throw unauthenticated('The bearer token has expired.');
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
