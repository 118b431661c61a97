import type { DatabaseSync } from 'node:sqlite';
import { migrate } from '../../../platform/store/sqlite.ts';
import type { LetterRecord } from '../domain/letters.ts';
import type { LetterStore } from './letters.ts';

const MIGRATIONS = [
  `CREATE TABLE representation_letters (
     id TEXT PRIMARY KEY,
     account_id TEXT NOT NULL,
     name TEXT NOT NULL,
     media_type TEXT NOT NULL,
     size INTEGER NOT NULL,
     sha256 TEXT NOT NULL,
     uploaded_at TEXT NOT NULL,
     bytes BLOB NOT NULL
   ) STRICT;
   CREATE INDEX representation_letters_account ON representation_letters (account_id);`,
];

type Row = Record<string, string | number | Uint8Array | null>;
const fromRow = (row: Row): LetterRecord => ({
  id: String(row.id),
  accountId: String(row.account_id),
  name: String(row.name),
  mediaType: row.media_type as LetterRecord['mediaType'],
  size: Number(row.size),
  sha256: String(row.sha256),
  uploadedAt: new Date(String(row.uploaded_at)),
});

export function createSqliteLetterStore(db: DatabaseSync): LetterStore {
  migrate(db, 'accounts-letters', MIGRATIONS);
  const META = 'id, account_id, name, media_type, size, sha256, uploaded_at';
  return {
    async insert(letter, bytes) {
      db.prepare(`INSERT INTO representation_letters (${META}, bytes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`).run(
        letter.id,
        letter.accountId,
        letter.name,
        letter.mediaType,
        letter.size,
        letter.sha256,
        letter.uploadedAt.toISOString(),
        bytes,
      );
    },
    async metadata(id) {
      const row = db.prepare(`SELECT ${META} FROM representation_letters WHERE id = ?`).get(id) as Row | undefined;
      return row ? fromRow(row) : null;
    },
    async content(id) {
      const row = db.prepare('SELECT * FROM representation_letters WHERE id = ?').get(id) as Row | undefined;
      return row ? { letter: fromRow(row), bytes: Buffer.from(row.bytes as Uint8Array) } : null;
    },
    async purgeAccount(accountId, keep) {
      db.prepare(
        'DELETE FROM representation_letters WHERE account_id = ? AND id NOT IN (SELECT value FROM json_each(?))',
      ).run(accountId, JSON.stringify(keep));
    },
  };
}
