import type { AppKeyRecord } from '../domain/app-keys.ts';

/**
 * App keys in the accounts store: one interface, two adapters (`app-keys-sqlite.ts` in the accounts
 * SQLite file, `app-keys-mongo.ts` in the accounts database), one contract suite
 * (test/subgraphs/accounts/store/app-keys-contract.ts). Keys are found by the SHA-256 of the key;
 * the key itself is never stored.
 */
export interface AppKeyStore {
  insertAppKey(key: AppKeyRecord): Promise<void>;
  appKeyByHash(keyHash: string): Promise<AppKeyRecord | null>;
  appKeyById(id: string): Promise<AppKeyRecord | null>;
  /** An account's keys, revoked ones included, newest first. */
  appKeysOf(accountId: string): Promise<AppKeyRecord[]>;
  /** Every account's keys, newest first (staff). */
  allAppKeys(limit: number): Promise<AppKeyRecord[]>;
  /** Revokes a live key; false when there is no such key or it was already revoked. */
  revokeAppKey(id: string, at: Date): Promise<boolean>;
  /** Revokes every live key of an account (its deletion); returns how many were live. */
  revokeAppKeysOf(accountId: string, at: Date): Promise<number>;
  /** Sets a key's own limit (null: the default); false when there is no such key. */
  setAppKeyRateLimit(id: string, requestsPerMinute: number | null): Promise<boolean>;
}
