import type { DatabaseSync } from 'node:sqlite';
import { migrate, pingSqlite, transaction } from '../../../platform/store/sqlite.ts';
import type { AccountRecord, AccountRole, RepresentationRecord } from '../domain/account.ts';
import type { CodePurpose, CodeRecord } from '../domain/codes.ts';
import type { Contact } from '../domain/contact.ts';
import type { RefreshTokenRecord } from '../domain/sessions.ts';
import type { AccountStore, SecurityEvent, SigningKeyRecord } from './accounts.ts';

/** Append only: each entry is one migration, applied once, in order (platform/store/sqlite.ts). */
const MIGRATIONS = [
  `CREATE TABLE accounts (
     id TEXT PRIMARY KEY,
     role TEXT NOT NULL,
     contact_kind TEXT,
     contact TEXT UNIQUE,
     password_hash TEXT,
     verified_at TEXT,
     created_at TEXT NOT NULL,
     deleted_at TEXT
   );
   CREATE TABLE verification_codes (
     account_id TEXT NOT NULL REFERENCES accounts(id),
     purpose TEXT NOT NULL,
     code_hash TEXT NOT NULL,
     sent_at TEXT NOT NULL,
     expires_at TEXT NOT NULL,
     attempts INTEGER NOT NULL DEFAULT 0,
     PRIMARY KEY (account_id, purpose)
   );
   CREATE TABLE refresh_tokens (
     token_hash TEXT PRIMARY KEY,
     family_id TEXT NOT NULL,
     account_id TEXT NOT NULL REFERENCES accounts(id),
     enterprise_id TEXT,
     issued_at TEXT NOT NULL,
     expires_at TEXT NOT NULL,
     used_at TEXT,
     revoked_at TEXT
   );
   CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
   CREATE INDEX refresh_tokens_account ON refresh_tokens (account_id);
   CREATE TABLE signing_keys (
     kid TEXT PRIMARY KEY,
     public_jwk TEXT NOT NULL,
     private_jwk TEXT NOT NULL,
     created_at TEXT NOT NULL
   );
   CREATE TABLE representations (
     account_id TEXT NOT NULL REFERENCES accounts(id),
     enterprise_id TEXT NOT NULL,
     credit_code TEXT NOT NULL,
     status TEXT NOT NULL,
     requested_at TEXT NOT NULL,
     decided_at TEXT,
     PRIMARY KEY (account_id, enterprise_id)
   );
   CREATE TABLE security_events (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     at TEXT NOT NULL,
     kind TEXT NOT NULL,
     account_id TEXT,
     detail TEXT
   );`,
  `ALTER TABLE representations ADD COLUMN enterprise_name TEXT;
   ALTER TABLE representations ADD COLUMN letter_id TEXT;`,
];

type Row = Record<string, string | number | null>;
const date = (value: string | number | null): Date | null => (value === null ? null : new Date(String(value)));
const iso = (value: Date | null | undefined): string | null => (value ? value.toISOString() : null);

function toAccount(row: Row): AccountRecord {
  return {
    id: String(row.id),
    role: row.role as AccountRole,
    contact: row.contact === null ? null : ({ kind: row.contact_kind, value: row.contact } as Contact),
    passwordHash: row.password_hash === null ? null : String(row.password_hash),
    verifiedAt: date(row.verified_at),
    createdAt: date(row.created_at) as Date,
    deletedAt: date(row.deleted_at),
  };
}

function toRefresh(row: Row): RefreshTokenRecord {
  return {
    tokenHash: String(row.token_hash),
    familyId: String(row.family_id),
    accountId: String(row.account_id),
    enterpriseId: row.enterprise_id === null ? null : String(row.enterprise_id),
    issuedAt: date(row.issued_at) as Date,
    expiresAt: date(row.expires_at) as Date,
    usedAt: date(row.used_at),
    revokedAt: date(row.revoked_at),
  };
}

export class SqliteAccountStore implements AccountStore {
  readonly db: DatabaseSync;

  constructor(db: DatabaseSync) {
    this.db = db;
    migrate(db, 'accounts', MIGRATIONS);
  }

  async insertAccount(account: AccountRecord): Promise<boolean> {
    const result = this.db
      .prepare(
        `INSERT INTO accounts (id, role, contact_kind, contact, password_hash, verified_at, created_at, deleted_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      )
      .run(
        account.id,
        account.role,
        account.contact?.kind ?? null,
        account.contact?.value ?? null,
        account.passwordHash,
        iso(account.verifiedAt),
        iso(account.createdAt),
        iso(account.deletedAt),
      );
    return Number(result.changes) === 1;
  }

  async accountById(id: string): Promise<AccountRecord | null> {
    const row = this.db.prepare('SELECT * FROM accounts WHERE id = ?').get(id) as Row | undefined;
    return row ? toAccount(row) : null;
  }

  async accountByContact(contact: Contact): Promise<AccountRecord | null> {
    const row = this.db
      .prepare('SELECT * FROM accounts WHERE contact = ? AND contact_kind = ?')
      .get(contact.value, contact.kind) as Row | undefined;
    return row ? toAccount(row) : null;
  }

  async updateAccount(
    id: string,
    patch: Partial<{ passwordHash: string; verifiedAt: Date | null; role: AccountRole }>,
  ): Promise<void> {
    const sets: string[] = [];
    const values: Array<string | null> = [];
    if (patch.passwordHash !== undefined) sets.push('password_hash = ?') && values.push(patch.passwordHash);
    if (patch.verifiedAt !== undefined) sets.push('verified_at = ?') && values.push(iso(patch.verifiedAt));
    if (patch.role !== undefined) sets.push('role = ?') && values.push(patch.role);
    if (sets.length === 0) return;
    this.db.prepare(`UPDATE accounts SET ${sets.join(', ')} WHERE id = ?`).run(...values, id);
  }

  async erasePersonalData(id: string, at: Date): Promise<void> {
    transaction(this.db, () => {
      this.db
        .prepare(
          `UPDATE accounts SET contact = NULL, contact_kind = NULL, password_hash = NULL, deleted_at = ?
           WHERE id = ?`,
        )
        .run(iso(at), id);
      this.db.prepare('DELETE FROM verification_codes WHERE account_id = ?').run(id);
      this.db.prepare("DELETE FROM representations WHERE account_id = ? AND status = 'pending'").run(id);
      this.db
        .prepare('UPDATE refresh_tokens SET revoked_at = ? WHERE account_id = ? AND revoked_at IS NULL')
        .run(iso(at), id);
    });
  }

  async putCode(code: CodeRecord): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO verification_codes (account_id, purpose, code_hash, sent_at, expires_at, attempts)
         VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (account_id, purpose) DO UPDATE SET code_hash = excluded.code_hash,
           sent_at = excluded.sent_at, expires_at = excluded.expires_at, attempts = excluded.attempts`,
      )
      .run(code.accountId, code.purpose, code.codeHash, iso(code.sentAt), iso(code.expiresAt), code.attempts);
  }

  async codeFor(accountId: string, purpose: CodePurpose): Promise<CodeRecord | null> {
    const row = this.db
      .prepare('SELECT * FROM verification_codes WHERE account_id = ? AND purpose = ?')
      .get(accountId, purpose) as Row | undefined;
    if (!row) return null;
    return {
      accountId,
      purpose,
      codeHash: String(row.code_hash),
      sentAt: date(row.sent_at) as Date,
      expiresAt: date(row.expires_at) as Date,
      attempts: Number(row.attempts),
    };
  }

  async countCodeAttempt(accountId: string, purpose: CodePurpose): Promise<number> {
    const row = this.db
      .prepare(
        `UPDATE verification_codes SET attempts = attempts + 1 WHERE account_id = ? AND purpose = ?
         RETURNING attempts`,
      )
      .get(accountId, purpose) as Row | undefined;
    return row ? Number(row.attempts) : 0;
  }

  async deleteCode(accountId: string, purpose: CodePurpose): Promise<void> {
    this.db.prepare('DELETE FROM verification_codes WHERE account_id = ? AND purpose = ?').run(accountId, purpose);
  }

  async insertRefreshToken(token: RefreshTokenRecord): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO refresh_tokens (token_hash, family_id, account_id, enterprise_id, issued_at, expires_at,
           used_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        token.tokenHash,
        token.familyId,
        token.accountId,
        token.enterpriseId,
        iso(token.issuedAt),
        iso(token.expiresAt),
        iso(token.usedAt),
        iso(token.revokedAt),
      );
  }

  async refreshTokenByHash(hash: string): Promise<RefreshTokenRecord | null> {
    const row = this.db.prepare('SELECT * FROM refresh_tokens WHERE token_hash = ?').get(hash) as Row | undefined;
    return row ? toRefresh(row) : null;
  }

  async claimRefreshToken(hash: string, at: Date): Promise<boolean> {
    const result = this.db
      .prepare(
        `UPDATE refresh_tokens SET used_at = ?
         WHERE token_hash = ? AND used_at IS NULL AND revoked_at IS NULL`,
      )
      .run(iso(at), hash);
    return Number(result.changes) === 1;
  }

  async revokeFamily(familyId: string, at: Date): Promise<number> {
    const result = this.db
      .prepare('UPDATE refresh_tokens SET revoked_at = ? WHERE family_id = ? AND revoked_at IS NULL')
      .run(iso(at), familyId);
    return Number(result.changes);
  }

  async revokeAccountSessions(accountId: string, at: Date): Promise<number> {
    const result = this.db
      .prepare('UPDATE refresh_tokens SET revoked_at = ? WHERE account_id = ? AND revoked_at IS NULL')
      .run(iso(at), accountId);
    return Number(result.changes);
  }

  async signingKeys(): Promise<SigningKeyRecord[]> {
    const rows = this.db.prepare('SELECT * FROM signing_keys ORDER BY created_at, kid').all() as Row[];
    return rows.map((row) => ({
      kid: String(row.kid),
      publicJwk: JSON.parse(String(row.public_jwk)),
      privateJwk: JSON.parse(String(row.private_jwk)),
      createdAt: date(row.created_at) as Date,
    }));
  }

  async insertSigningKey(key: SigningKeyRecord): Promise<void> {
    this.db
      .prepare('INSERT INTO signing_keys (kid, public_jwk, private_jwk, created_at) VALUES (?, ?, ?, ?)')
      .run(key.kid, JSON.stringify(key.publicJwk), JSON.stringify(key.privateJwk), iso(key.createdAt));
  }

  async upsertRepresentation(r: RepresentationRecord): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO representations (account_id, enterprise_id, credit_code, enterprise_name, letter_id, status,
           requested_at, decided_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (account_id, enterprise_id) DO UPDATE SET credit_code = excluded.credit_code,
           enterprise_name = excluded.enterprise_name, letter_id = excluded.letter_id,
           status = excluded.status, requested_at = excluded.requested_at, decided_at = excluded.decided_at`,
      )
      .run(
        r.accountId,
        r.enterpriseId,
        r.creditCode,
        r.enterpriseName,
        r.letterId,
        r.status,
        iso(r.requestedAt),
        iso(r.decidedAt),
      );
  }

  async representationsOf(accountId: string): Promise<RepresentationRecord[]> {
    return this.representations(
      this.db
        .prepare('SELECT * FROM representations WHERE account_id = ? ORDER BY requested_at, enterprise_id')
        .all(accountId) as Row[],
    );
  }

  async pendingRepresentations(): Promise<RepresentationRecord[]> {
    return this.representations(
      this.db
        .prepare("SELECT * FROM representations WHERE status = 'pending' ORDER BY requested_at, account_id")
        .all() as Row[],
    );
  }

  private representations(rows: Row[]): RepresentationRecord[] {
    return rows.map((row) => ({
      accountId: String(row.account_id),
      enterpriseId: String(row.enterprise_id),
      creditCode: String(row.credit_code),
      enterpriseName: row.enterprise_name === null ? null : String(row.enterprise_name),
      letterId: row.letter_id === null ? null : String(row.letter_id),
      status: row.status as RepresentationRecord['status'],
      requestedAt: date(row.requested_at) as Date,
      decidedAt: date(row.decided_at),
    }));
  }

  async appendSecurityEvent(event: SecurityEvent): Promise<void> {
    this.db
      .prepare('INSERT INTO security_events (at, kind, account_id, detail) VALUES (?, ?, ?, ?)')
      .run(iso(event.at), event.kind, event.accountId, event.detail);
  }

  async securityEvents(limit: number): Promise<SecurityEvent[]> {
    const rows = this.db.prepare('SELECT * FROM security_events ORDER BY seq DESC LIMIT ?').all(limit) as Row[];
    return rows.map((row) => ({
      at: date(row.at) as Date,
      kind: row.kind as SecurityEvent['kind'],
      accountId: row.account_id === null ? null : String(row.account_id),
      detail: row.detail === null ? null : String(row.detail),
    }));
  }

  async ping(): Promise<void> {
    pingSqlite(this.db);
  }

  async close(): Promise<void> {
    if (this.db.isOpen) this.db.close();
  }
}
