import type { Contact } from './contact.ts';

/**
 * What an account may do on the desk. A complainant may also represent enterprises once staff
 * approved it (representations); staff and admin accounts come from `npm run admin`, never from
 * self-registration.
 */
export const AccountRole = {
  Complainant: 'complainant',
  Staff: 'staff',
  Admin: 'admin',
} as const;
export type AccountRole = (typeof AccountRole)[keyof typeof AccountRole];

export interface AccountRecord {
  id: string;
  role: AccountRole;
  /** null once the account is deleted: its personal data is gone, its id stays on its cases. */
  contact: Contact | null;
  /** `scrypt$…` (passwords.ts); null once deleted. */
  passwordHash: string | null;
  verifiedAt: Date | null;
  createdAt: Date;
  deletedAt: Date | null;
}

export const RepresentationStatus = { Pending: 'pending', Approved: 'approved', Refused: 'refused' } as const;
export type RepresentationStatus = (typeof RepresentationStatus)[keyof typeof RepresentationStatus];

/** An account's request to act for an enterprise, and staff's decision on it. */
export interface RepresentationRecord {
  accountId: string;
  enterpriseId: string;
  creditCode: string;
  /** The registered name the requester gave (null on requests made before it was kept). */
  enterpriseName: string | null;
  /** The authorisation letter the requester uploaded (store/letters.ts); approval needs one. */
  letterId: string | null;
  status: RepresentationStatus;
  requestedAt: Date;
  decidedAt: Date | null;
}
