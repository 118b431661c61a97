import { randomUUID } from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';
import { migrateCases } from '../../../subgraphs/cases/store/case-repository-sqlite-schema.ts';
import type { OutboxRow, RecipientKind } from '../../../subgraphs/cases/store/case-repository.ts';

/**
 * Outbox rows for the dispatcher tests, written into the real `case_outbox` table of the case
 * repository's schema. Each row needs its case (foreign key): a bare case row stands in for it.
 */
export function prepareOutboxDb(db: DatabaseSync): void {
  migrateCases(db);
}

export function outboxRow(
  kind: RecipientKind,
  address: string,
  at: Date,
  overrides: Partial<OutboxRow> = {},
): OutboxRow {
  const id = overrides.id ?? randomUUID();
  const caseId = overrides.caseId ?? 'case-1';
  const iso = at.toISOString();
  return {
    id,
    caseId,
    event: 'FORWARDED',
    recipient: { kind, address },
    payload: {
      notificationId: id,
      event: 'FORWARDED',
      audience: kind === 'email' ? 'complainant' : 'enterprise',
      caseId,
      reference: 'WQ-20261001-000001',
      status: 'forwarded',
      enterpriseId: 'ent1_abc',
      title: '退款未到账',
      at: iso,
      note: null,
    },
    createdAt: iso,
    deliveredAt: null,
    attempts: 0,
    nextAttemptAt: iso,
    ...overrides,
  };
}

export function insertOutboxRows(db: DatabaseSync, rows: readonly OutboxRow[]): void {
  const ensureCase = db.prepare(
    `INSERT OR IGNORE INTO cases (id, reference, status, version, complainant_id, enterprise_id, submitted_at,
       queue_deadline, doc)
     VALUES (?, ?, 'forwarded', 1, 'user-1', 'ent1_abc', '2026-10-01T00:00:00.000Z', '9999-12-31', '{}')`,
  );
  const insert = db.prepare(
    `INSERT INTO case_outbox (id, case_id, event, recipient_kind, recipient_address, payload, created_at,
       delivered_at, attempts, next_attempt_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const row of rows) {
    ensureCase.run(row.caseId, `REF-${row.caseId}`);
    insert.run(
      row.id,
      row.caseId,
      row.event,
      row.recipient.kind,
      row.recipient.address,
      JSON.stringify(row.payload),
      row.createdAt,
      row.deliveredAt,
      row.attempts,
      row.nextAttemptAt,
    );
  }
}

export function storedOutboxRow(
  db: DatabaseSync,
  id: string,
): { delivered_at: string | null; attempts: number; next_attempt_at: string; last_error: string | null } {
  return db
    .prepare('SELECT delivered_at, attempts, next_attempt_at, last_error FROM case_outbox WHERE id = ?')
    .get(id) as never;
}
