import type { LetterRecord } from '../domain/letters.ts';

/**
 * Where authorisation letters are kept: beside the accounts (the same SQLite file or MongoDB
 * database), bytes with their metadata in one row. Letters are few and at most EVIDENCE_MAX_BYTES
 * (10 MiB by default, under MongoDB's 16 MiB document limit), so no separate blob store is needed.
 */
export interface LetterStore {
  insert(letter: LetterRecord, bytes: Buffer): Promise<void>;
  metadata(id: string): Promise<LetterRecord | null>;
  content(id: string): Promise<{ letter: LetterRecord; bytes: Buffer } | null>;
  /** Removes an account's letters but `keep` (those backing an approved representation). */
  purgeAccount(accountId: string, keep: readonly string[]): Promise<void>;
}
