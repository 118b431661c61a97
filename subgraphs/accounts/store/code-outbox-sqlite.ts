import type { DatabaseSync } from 'node:sqlite';
import { migrate } from '../../../platform/store/sqlite.ts';
import type { CodeDeliveryRow } from '../domain/code-delivery.ts';
import { finishedAddress, type CodeOutboxStore } from './code-outbox.ts';

const MIGRATIONS = [
  `CREATE TABLE code_outbox (
     id TEXT PRIMARY KEY,
     account_id TEXT NOT NULL,
     purpose TEXT NOT NULL,
     recipient_kind TEXT NOT NULL,
     recipient_address TEXT NOT NULL,
     sealed_code TEXT,
     expires_at TEXT NOT NULL,
     created_at TEXT NOT NULL,
     delivered_at TEXT,
     attempts INTEGER NOT NULL DEFAULT 0,
     next_attempt_at TEXT NOT NULL,
     parked INTEGER NOT NULL DEFAULT 0,
     last_error TEXT
   ) STRICT;
   CREATE INDEX code_outbox_due ON code_outbox (next_attempt_at) WHERE delivered_at IS NULL;
   CREATE INDEX code_outbox_account ON code_outbox (account_id, created_at);`,
];

type SqlRow = Record<string, string | number | null>;

function fromSql(row: SqlRow): CodeDeliveryRow {
  return {
    id: String(row.id),
    accountId: String(row.account_id),
    purpose: row.purpose as CodeDeliveryRow['purpose'],
    recipient: {
      kind: row.recipient_kind as CodeDeliveryRow['recipient']['kind'],
      address: String(row.recipient_address),
    },
    sealedCode: row.sealed_code === null ? null : String(row.sealed_code),
    expiresAt: String(row.expires_at),
    createdAt: String(row.created_at),
    deliveredAt: row.delivered_at === null ? null : String(row.delivered_at),
    attempts: Number(row.attempts),
    nextAttemptAt: String(row.next_attempt_at),
  };
}

/** The code outbox in the accounts SQLite file (accounts.db). Times are ISO-8601 UTC strings, which sort as text. */
export function createSqliteCodeOutboxStore(db: DatabaseSync): CodeOutboxStore {
  migrate(db, 'accounts-code-outbox', MIGRATIONS);
  const finish = (id: string) => {
    const row = db.prepare('SELECT recipient_address FROM code_outbox WHERE id = ?').get(id) as SqlRow | undefined;
    return row ? finishedAddress(String(row.recipient_address)) : '';
  };
  return {
    async enqueue(row) {
      db.prepare(
        `INSERT INTO code_outbox (id, account_id, purpose, recipient_kind, recipient_address, sealed_code, expires_at,
           created_at, delivered_at, attempts, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        row.id,
        row.accountId,
        row.purpose,
        row.recipient.kind,
        row.recipient.address,
        row.sealedCode,
        row.expiresAt,
        row.createdAt,
        row.deliveredAt,
        row.attempts,
        row.nextAttemptAt,
      );
    },
    async claimDue({ now, claimUntil, limit, kinds }) {
      if (kinds.length === 0 || limit <= 0) return [];
      // One statement: the rows chosen are the rows updated, so two dispatchers never claim the same row.
      const rows = db
        .prepare(
          `UPDATE code_outbox SET next_attempt_at = :claimUntil
           WHERE id IN (
             SELECT id FROM code_outbox
             WHERE delivered_at IS NULL AND parked = 0 AND next_attempt_at <= :now
               AND recipient_kind IN (SELECT value FROM json_each(:kinds))
             ORDER BY next_attempt_at, id LIMIT :limit)
           RETURNING *`,
        )
        .all({
          claimUntil: claimUntil.toISOString(),
          now: now.toISOString(),
          kinds: JSON.stringify(kinds),
          limit,
        }) as SqlRow[];
      return rows.map(fromSql).sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
    },
    async markDelivered(id, now) {
      db.prepare(
        `UPDATE code_outbox SET delivered_at = ?, attempts = attempts + 1, last_error = NULL, sealed_code = NULL,
           recipient_address = ? WHERE id = ? AND delivered_at IS NULL`,
      ).run(now.toISOString(), finish(id), id);
    },
    async markFailed(id, failure) {
      if (failure.parked) {
        db.prepare(
          `UPDATE code_outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?, parked = 1,
             sealed_code = NULL, recipient_address = ? WHERE id = ? AND delivered_at IS NULL`,
        ).run(failure.error, failure.nextAttemptAt, finish(id), id);
        return;
      }
      db.prepare(
        `UPDATE code_outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?
         WHERE id = ? AND delivered_at IS NULL`,
      ).run(failure.error, failure.nextAttemptAt, id);
    },
    async rowsOf(accountId) {
      const rows = db
        .prepare('SELECT * FROM code_outbox WHERE account_id = ? ORDER BY created_at, id')
        .all(accountId) as SqlRow[];
      return rows.map(fromSql);
    },
    async purgeAccount(accountId) {
      db.prepare('DELETE FROM code_outbox WHERE account_id = ?').run(accountId);
    },
  };
}
