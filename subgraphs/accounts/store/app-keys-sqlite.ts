import type { DatabaseSync } from 'node:sqlite';
import { migrate } from '../../../platform/store/sqlite.ts';
import type { AppKeyRecord } from '../domain/app-keys.ts';
import type { AppKeyStore } from './app-keys.ts';

/** Append only: each entry is one migration, applied once, in order (platform/store/sqlite.ts). */
const MIGRATIONS = [
  `CREATE TABLE app_keys (
     id TEXT PRIMARY KEY,
     key_hash TEXT NOT NULL UNIQUE,
     account_id TEXT NOT NULL,
     name TEXT NOT NULL,
     requests_per_minute INTEGER,
     created_at TEXT NOT NULL,
     revoked_at TEXT
   );
   CREATE INDEX app_keys_account ON app_keys (account_id, created_at);`,
];

type Row = Record<string, string | number | null>;

function toAppKey(row: Row): AppKeyRecord {
  return {
    id: String(row.id),
    keyHash: String(row.key_hash),
    accountId: String(row.account_id),
    name: String(row.name),
    requestsPerMinute: row.requests_per_minute === null ? null : Number(row.requests_per_minute),
    createdAt: new Date(String(row.created_at)),
    revokedAt: row.revoked_at === null ? null : new Date(String(row.revoked_at)),
  };
}

/** App keys in the accounts SQLite file (the same connection as the account store's). */
export class SqliteAppKeyStore implements AppKeyStore {
  private readonly db: DatabaseSync;

  constructor(db: DatabaseSync) {
    this.db = db;
    migrate(db, 'app_keys', MIGRATIONS);
  }

  async insertAppKey(key: AppKeyRecord): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO app_keys (id, key_hash, account_id, name, requests_per_minute, created_at, revoked_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        key.id,
        key.keyHash,
        key.accountId,
        key.name,
        key.requestsPerMinute,
        key.createdAt.toISOString(),
        key.revokedAt?.toISOString() ?? null,
      );
  }

  async appKeyByHash(keyHash: string): Promise<AppKeyRecord | null> {
    const row = this.db.prepare('SELECT * FROM app_keys WHERE key_hash = ?').get(keyHash) as Row | undefined;
    return row ? toAppKey(row) : null;
  }

  async appKeyById(id: string): Promise<AppKeyRecord | null> {
    const row = this.db.prepare('SELECT * FROM app_keys WHERE id = ?').get(id) as Row | undefined;
    return row ? toAppKey(row) : null;
  }

  async appKeysOf(accountId: string): Promise<AppKeyRecord[]> {
    const rows = this.db
      .prepare('SELECT * FROM app_keys WHERE account_id = ? ORDER BY created_at DESC, id DESC')
      .all(accountId) as Row[];
    return rows.map(toAppKey);
  }

  async allAppKeys(limit: number): Promise<AppKeyRecord[]> {
    const rows = this.db.prepare('SELECT * FROM app_keys ORDER BY created_at DESC, id DESC LIMIT ?').all(limit);
    return (rows as Row[]).map(toAppKey);
  }

  async revokeAppKey(id: string, at: Date): Promise<boolean> {
    const result = this.db
      .prepare('UPDATE app_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL')
      .run(at.toISOString(), id);
    return Number(result.changes) === 1;
  }

  async revokeAppKeysOf(accountId: string, at: Date): Promise<number> {
    const result = this.db
      .prepare('UPDATE app_keys SET revoked_at = ? WHERE account_id = ? AND revoked_at IS NULL')
      .run(at.toISOString(), accountId);
    return Number(result.changes);
  }

  async setAppKeyRateLimit(id: string, requestsPerMinute: number | null): Promise<boolean> {
    const result = this.db
      .prepare('UPDATE app_keys SET requests_per_minute = ? WHERE id = ?')
      .run(requestsPerMinute, id);
    return Number(result.changes) === 1;
  }
}
