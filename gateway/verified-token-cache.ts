import { createHash } from 'node:crypto';
import { decodeJwt } from 'jose';
import type { Authenticator } from '../platform/auth.ts';
import type { Actor } from '../platform/context.ts';

/**
 * The gateway verifies a bearer token only to name the client its rate limit counts
 * (`plugins/client-rate-limit.ts`); every subgraph verifies it again, in full, for what it grants.
 * A signed-in app sends the same token on every request for its 15 minutes, and an EdDSA
 * verification (WebCrypto's, through jose) was about half a millisecond of the gateway's CPU per
 * signed-in request in a profile (issue 17), so a token that verified is remembered until its `exp`:
 * - only an accepted token is remembered; a refused one (bad signature, another key, expired,
 *   malformed, a development token in production) is verified again every time it is sent;
 * - the entry is keyed by the whole `Authorization` header, so a token differing in any byte (a
 *   tampered claim, another signature) is a different entry, verified on its own;
 * - past its `exp` an entry is dropped and the token verified again, which refuses it;
 * - access tokens are stateless: nothing revokes one before its `exp` (signing out ends the refresh
 *   token), so remembering one changes no answer. A signing key withdrawn from the JWKS still names
 *   the client of a remembered token until it expires (at most 15 minutes; the JWKS is itself cached
 *   10), for the rate limit alone: the subgraphs check the keys they hold.
 * Entries are keyed by the header's SHA-256, so the gateway's memory holds no usable token, and
 * bounded in number (the oldest goes first).
 */
export const VERIFIED_TOKENS_MAX_ENTRIES = 10_000;

/** As `platform/auth.ts` reads the header. */
const BEARER = /^Bearer\s+(\S+)$/i;

export function cacheVerifiedTokens(authenticate: Authenticator, options: { maxEntries?: number } = {}): Authenticator {
  const maxEntries = options.maxEntries ?? VERIFIED_TOKENS_MAX_ENTRIES;
  const verified = new Map<string, { actor: Actor; expiresAtMs: number }>();
  return async (authorization) => {
    if (!authorization) return authenticate(authorization);
    const key = createHash('sha256').update(authorization).digest('base64url');
    const remembered = verified.get(key);
    if (remembered && Date.now() < remembered.expiresAtMs) return remembered.actor;
    verified.delete(key);
    // Throws for a refused token: nothing is remembered.
    const actor = await authenticate(authorization);
    // Verified above, so its claims can be read as they are; `exp` is required by the verification.
    const token = BEARER.exec(authorization)?.[1];
    if (!actor || !token) return actor;
    const { exp } = decodeJwt(token);
    if (typeof exp !== 'number') return actor;
    if (verified.size >= maxEntries) verified.delete(verified.keys().next().value as string);
    verified.set(key, { actor: Object.freeze({ ...actor }), expiresAtMs: exp * 1000 });
    return actor;
  };
}
