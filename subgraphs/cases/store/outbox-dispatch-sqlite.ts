import type { DatabaseSync } from 'node:sqlite';
import { migrate, transaction } from '../../../platform/store/sqlite.ts';
import type { OutboxRow, RecipientKind } from './case-repository.ts';
import { DeliveryOutcome, type OutboxDispatchStore } from './outbox-dispatch.ts';

const MIGRATIONS = [
  `CREATE TABLE case_outbox_deliveries (
     outbox_id TEXT NOT NULL,
     attempt INTEGER NOT NULL,
     at TEXT NOT NULL,
     outcome TEXT NOT NULL CHECK (outcome IN ('delivered', 'failed', 'parked')),
     detail TEXT,
     error TEXT
   ) STRICT;
   CREATE INDEX case_outbox_deliveries_outbox ON case_outbox_deliveries (outbox_id, attempt);`,
];

interface OutboxSqlRow {
  id: string;
  case_id: string;
  event: string;
  recipient_kind: string;
  recipient_address: string;
  payload: string;
  created_at: string;
  delivered_at: string | null;
  attempts: number;
  next_attempt_at: string;
}

function fromSqlRow(row: OutboxSqlRow): OutboxRow {
  return {
    id: row.id,
    caseId: row.case_id,
    event: row.event,
    recipient: { kind: row.recipient_kind as RecipientKind, address: row.recipient_address },
    payload: JSON.parse(row.payload) as OutboxRow['payload'],
    createdAt: row.created_at,
    deliveredAt: row.delivered_at,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
  };
}

/**
 * SQLite adapter over the cases database. The `case_outbox` table belongs to the case
 * repository (create it first); the delivery log table is this module's own. Times are ISO-8601
 * UTC strings (`toISOString`), which sort as text.
 */
export function createSqliteOutboxDispatchStore(db: DatabaseSync): OutboxDispatchStore {
  migrate(db, 'cases-outbox-dispatch', MIGRATIONS);
  const log = db.prepare(
    'INSERT INTO case_outbox_deliveries (outbox_id, attempt, at, outcome, detail, error) VALUES (?, ?, ?, ?, ?, ?)',
  );
  return {
    async claimDue({ now, claimUntil, limit, kinds }) {
      if (kinds.length === 0 || limit <= 0) return [];
      // One statement: the rows chosen are the rows updated, so two dispatchers never claim the same row.
      const rows = db
        .prepare(
          `UPDATE case_outbox SET next_attempt_at = :claimUntil
           WHERE id IN (
             SELECT id FROM case_outbox
             WHERE delivered_at IS NULL AND next_attempt_at <= :now
               AND recipient_kind IN (SELECT value FROM json_each(:kinds))
             ORDER BY next_attempt_at, id LIMIT :limit)
           RETURNING *`,
        )
        .all({
          claimUntil: claimUntil.toISOString(),
          now: now.toISOString(),
          kinds: JSON.stringify(kinds),
          limit,
        }) as unknown as OutboxSqlRow[];
      return rows.map(fromSqlRow).sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
    },
    async markDelivered(id, now, detail) {
      transaction(db, () => {
        const updated = db
          .prepare(
            `UPDATE case_outbox SET delivered_at = ?, attempts = attempts + 1, last_error = NULL
             WHERE id = ? AND delivered_at IS NULL RETURNING attempts`,
          )
          .get(now.toISOString(), id) as { attempts: number } | undefined;
        const attempt = updated?.attempts ?? nextAttemptNumber(db, id);
        log.run(id, attempt, now.toISOString(), DeliveryOutcome.Delivered, detail, null);
      });
    },
    async markFailed(id, failure) {
      transaction(db, () => {
        const updated = db
          .prepare(
            `UPDATE case_outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?
             WHERE id = ? AND delivered_at IS NULL RETURNING attempts`,
          )
          .get(failure.error, failure.nextAttemptAt, id) as { attempts: number } | undefined;
        const attempt = updated?.attempts ?? nextAttemptNumber(db, id);
        const outcome = failure.parked ? DeliveryOutcome.Parked : DeliveryOutcome.Failed;
        log.run(id, attempt, failure.now.toISOString(), outcome, failure.detail, failure.error);
      });
    },
    async deliveryLog(outboxId) {
      const rows = db
        .prepare('SELECT * FROM case_outbox_deliveries WHERE outbox_id = ? ORDER BY attempt, rowid')
        .all(outboxId) as Array<{
        outbox_id: string;
        attempt: number;
        at: string;
        outcome: DeliveryOutcome;
        detail: string | null;
        error: string | null;
      }>;
      return rows.map((row) => ({
        outboxId: row.outbox_id,
        attempt: row.attempt,
        at: row.at,
        outcome: row.outcome,
        detail: row.detail,
        error: row.error,
      }));
    },
  };
}

/** For a row another dispatcher already finished (a redelivery): number the attempt after the last logged one. */
function nextAttemptNumber(db: DatabaseSync, id: string): number {
  const row = db.prepare('SELECT MAX(attempt) AS last FROM case_outbox_deliveries WHERE outbox_id = ?').get(id) as {
    last: number | null;
  };
  return (row.last ?? 0) + 1;
}
