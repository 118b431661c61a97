/**
 * Six-digit verification codes: what confirms a contact and what resets a password. The rules are
 * here; the store keeps one live code per account and purpose, hashed.
 */
export const CodePurpose = { VerifyContact: 'verify_contact', ResetPassword: 'reset_password' } as const;
export type CodePurpose = (typeof CodePurpose)[keyof typeof CodePurpose];

export const CODE_POLICY = {
  digits: 6,
  /** A code is good for 10 minutes from when it was sent. */
  lifetimeMs: 10 * 60_000,
  /** Five wrong tries burn the code: a new one must be sent. */
  maxAttempts: 5,
  /** A new code for the same account and purpose only a minute after the last. */
  resendCooldownMs: 60_000,
} as const;

export interface CodeRecord {
  accountId: string;
  purpose: CodePurpose;
  codeHash: string;
  sentAt: Date;
  expiresAt: Date;
  attempts: number;
}

export type CodeCheck = 'accepted' | 'wrong' | 'expired' | 'exhausted';

/** Judges a try of `record` whose hash is `triedHash`, before the try is counted. */
export function checkCode(record: CodeRecord, triedHash: string, now: Date): CodeCheck {
  if (record.attempts >= CODE_POLICY.maxAttempts) return 'exhausted';
  if (now.getTime() >= record.expiresAt.getTime()) return 'expired';
  return timingSafeEqualHex(record.codeHash, triedHash) ? 'accepted' : 'wrong';
}

/** When a new code may be sent, given the last one (null: now). */
export function nextSendAllowedAt(last: CodeRecord | null): Date | null {
  return last ? new Date(last.sentAt.getTime() + CODE_POLICY.resendCooldownMs) : null;
}

function timingSafeEqualHex(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
