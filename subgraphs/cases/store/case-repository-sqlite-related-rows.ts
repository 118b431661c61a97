import type { DatabaseSync } from 'node:sqlite';
import type { IdempotencyClaim, IdempotencyRecord } from '../domain/idempotency.ts';
import type { CaseRecord, CaseRevision, TimelineEvent } from '../domain/model.ts';
import type { OutboxRow } from './case-repository.ts';

/**
 * The rows kept beside each case in SQLite, written inside the case's own transaction by
 * case-repository-sqlite.ts: timeline events, revisions, outbox rows, evidence links, the
 * respondent's facts, and the idempotency keys of the creating mutations.
 */

interface IdempotencyRow {
  operation: string;
  fingerprint: string;
  case_id: string;
  expires_at: string;
}

export function writeEvents(db: DatabaseSync, events: readonly TimelineEvent[]): void {
  const insert = db.prepare('INSERT INTO case_events (id, case_id, sequence, doc) VALUES (?, ?, ?, ?)');
  for (const event of events) insert.run(event.id, event.caseId, event.sequence, JSON.stringify(event));
}

export function writeRevision(db: DatabaseSync, revision: CaseRevision | undefined): void {
  if (!revision) return;
  db.prepare('INSERT INTO case_revisions (case_id, version, doc) VALUES (?, ?, ?)').run(
    revision.caseId,
    revision.version,
    JSON.stringify(revision),
  );
}

export function writeOutbox(db: DatabaseSync, rows: readonly OutboxRow[]): void {
  const insert = db.prepare(
    `INSERT INTO case_outbox (id, case_id, event, recipient_kind, recipient_address, payload, created_at,
       delivered_at, attempts, next_attempt_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const row of rows) {
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

/** Evidence is only ever added to a case, so linking its current ids is enough. */
export function writeEvidenceLinks(db: DatabaseSync, record: CaseRecord): void {
  if (record.evidenceIds.length === 0) return;
  db.prepare('INSERT OR IGNORE INTO case_evidence (evidence_id, case_id) SELECT value, ? FROM json_each(?)').run(
    record.id,
    JSON.stringify(record.evidenceIds),
  );
}

export function writeEnterprise(db: DatabaseSync, record: CaseRecord, at: string): void {
  db.prepare(
    `INSERT INTO case_enterprises (id, name, credit_code, industry, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET name = excluded.name, credit_code = COALESCE(excluded.credit_code, credit_code),
         industry = excluded.industry, updated_at = excluded.updated_at`,
  ).run(record.respondent.enterpriseId, record.respondent.name, record.respondent.creditCode, record.industry, at);
}

export function readIdempotencyKey(
  db: DatabaseSync,
  scope: string,
  key: string,
  now: string,
): IdempotencyRecord | null {
  const row = db
    .prepare(
      `SELECT operation, fingerprint, case_id, expires_at FROM case_idempotency_keys
       WHERE scope = ? AND key = ? AND expires_at > ?`,
    )
    .get(scope, key, now) as IdempotencyRow | undefined;
  if (!row) return null;
  return { operation: row.operation, fingerprint: row.fingerprint, caseId: row.case_id, expiresAt: row.expires_at };
}

/** Stores the claim for `caseId`, replacing an expired claim of the same key; purges expired keys. */
export function writeIdempotencyKey(db: DatabaseSync, claim: IdempotencyClaim, caseId: string): void {
  db.prepare('DELETE FROM case_idempotency_keys WHERE expires_at <= ?').run(claim.createdAt);
  db.prepare(
    `INSERT INTO case_idempotency_keys (scope, key, operation, fingerprint, case_id, created_at, expires_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ).run(claim.scope, claim.key, claim.operation, claim.fingerprint, caseId, claim.createdAt, claim.expiresAt);
}
