/**
 * Refresh tokens: opaque, stored only as a hash, rotated on every use. Each sign-in starts a
 * family; every refresh replaces the family's live token with a new one. Presenting a token that
 * was already used (or whose family was revoked) means it was copied: the whole family is revoked,
 * signing the account out on every device that shared it.
 */
export const REFRESH_TOKEN_LIFETIME_MS = 30 * 24 * 3600_000;

export interface RefreshTokenRecord {
  tokenHash: string;
  familyId: string;
  accountId: string;
  /** The enterprise the session acts for (a representative's choice at sign-in), or null. */
  enterpriseId: string | null;
  issuedAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
  revokedAt: Date | null;
}

export type RefreshDecision = 'rotate' | 'reuse' | 'expired' | 'revoked';

export function judgeRefresh(record: RefreshTokenRecord, now: Date): RefreshDecision {
  if (record.revokedAt) return 'revoked';
  if (record.usedAt) return 'reuse';
  if (now.getTime() >= record.expiresAt.getTime()) return 'expired';
  return 'rotate';
}
