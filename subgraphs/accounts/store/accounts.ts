import type { JWK } from 'jose';
import type { AccountRecord, AccountRole, RepresentationRecord } from '../domain/account.ts';
import type { CodePurpose, CodeRecord } from '../domain/codes.ts';
import type { Contact } from '../domain/contact.ts';
import type { RefreshTokenRecord } from '../domain/sessions.ts';

/**
 * The accounts slice's store: accounts, verification codes, refresh tokens, signing keys,
 * representations and the security log. One interface, two adapters (`accounts-sqlite.ts`,
 * `accounts-mongo.ts`), one contract suite (test/subgraphs/accounts/store/).
 */
export interface SigningKeyRecord {
  kid: string;
  publicJwk: JWK;
  /** Never leaves this slice: read by keys.ts to sign, nowhere else. */
  privateJwk: JWK;
  createdAt: Date;
}

export interface SigningKeyStore {
  signingKeys(): Promise<SigningKeyRecord[]>;
  insertSigningKey(key: SigningKeyRecord): Promise<void>;
}

/** What the security log records. Never a contact, a password, a code or a token: ids and kinds only. */
export const SecurityEventKind = {
  Registered: 'registered',
  Verified: 'verified',
  SignedIn: 'signed_in',
  SignInFailed: 'sign_in_failed',
  CodeFailed: 'code_failed',
  Locked: 'locked',
  RefreshReuse: 'refresh_reuse',
  SignedOut: 'signed_out',
  PasswordChanged: 'password_changed',
  PasswordReset: 'password_reset',
  AccountDeleted: 'account_deleted',
  RoleChanged: 'role_changed',
  RepresentationDecided: 'representation_decided',
  AppKeyRegistered: 'app_key_registered',
  AppKeyRevoked: 'app_key_revoked',
  AppKeyLimitChanged: 'app_key_limit_changed',
} as const;
export type SecurityEventKind = (typeof SecurityEventKind)[keyof typeof SecurityEventKind];

export interface SecurityEvent {
  at: Date;
  kind: SecurityEventKind;
  /** The account concerned, when one is known (never for an unknown contact). */
  accountId: string | null;
  /** A short, non-personal note: a limiter name, a role, a family id. */
  detail: string | null;
}

export interface AccountStore extends SigningKeyStore {
  /** Adds an account; false (nothing written) when its contact already has one. */
  insertAccount(account: AccountRecord): Promise<boolean>;
  accountById(id: string): Promise<AccountRecord | null>;
  accountByContact(contact: Contact): Promise<AccountRecord | null>;
  updateAccount(
    id: string,
    patch: Partial<{ passwordHash: string; verifiedAt: Date | null; role: AccountRole }>,
  ): Promise<void>;
  /**
   * Deletes an account's personal data (contact, password hash, codes, representations pending)
   * and revokes its sessions; the id stays, so cases filed under it keep their complainant.
   */
  erasePersonalData(id: string, at: Date): Promise<void>;

  /** Stores the live code of an account and purpose, replacing any earlier one. */
  putCode(code: CodeRecord): Promise<void>;
  codeFor(accountId: string, purpose: CodePurpose): Promise<CodeRecord | null>;
  /** Counts one try; returns the tries counted so far (concurrent tries each count). */
  countCodeAttempt(accountId: string, purpose: CodePurpose): Promise<number>;
  deleteCode(accountId: string, purpose: CodePurpose): Promise<void>;

  insertRefreshToken(token: RefreshTokenRecord): Promise<void>;
  refreshTokenByHash(hash: string): Promise<RefreshTokenRecord | null>;
  /** Marks a token used if it is neither used nor revoked; false when it was (another use won). */
  claimRefreshToken(hash: string, at: Date): Promise<boolean>;
  /** Revokes every token of a family; returns how many were live. */
  revokeFamily(familyId: string, at: Date): Promise<number>;
  revokeAccountSessions(accountId: string, at: Date): Promise<number>;

  upsertRepresentation(representation: RepresentationRecord): Promise<void>;
  representationsOf(accountId: string): Promise<RepresentationRecord[]>;
  /** Requests waiting for staff, oldest first. */
  pendingRepresentations(): Promise<RepresentationRecord[]>;

  appendSecurityEvent(event: SecurityEvent): Promise<void>;
  /** Newest first. */
  securityEvents(limit: number): Promise<SecurityEvent[]>;

  ping(): Promise<void>;
  close(): Promise<void>;
}
