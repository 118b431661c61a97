import type { DatabaseSync, SQLInputValue } from 'node:sqlite';
import { pingSqlite, transaction } from '../../../platform/store/sqlite.ts';
import { formatReference, referenceDay } from '../domain/filing.ts';
import type { IdempotencyRecord } from '../domain/idempotency.ts';
import type { CaseRecord, CaseRevision, TimelineEvent } from '../domain/model.ts';
import {
  DEADLINE_STATUSES,
  pageSize,
  SORT_KEYS,
  STAFF_QUEUE_STATUSES,
  IdempotencyKeyTakenError,
  StaleVersionError,
  publishedFactsOf,
  cursorParts,
  queueDeadlineOf,
  toPage,
  type CaseChange,
  type CaseRepository,
  type EnterpriseCasesFilter,
  type EnterpriseFacts,
  type EvidenceCasesFilter,
  type NewCase,
  type OutboxRow,
  type Page,
  type PageRequest,
  type PublishedFilter,
  type QueueFilter,
} from './case-repository.ts';
import { migrateCases } from './case-repository-sqlite-schema.ts';
import {
  readIdempotencyKey,
  writeEnterprise,
  writeEvents,
  writeEvidenceLinks,
  writeIdempotencyKey,
  writeOutbox,
  writeRevision,
} from './case-repository-sqlite-related-rows.ts';

interface CaseRow {
  doc: string;
}

/**
 * The SQLite adapter. Every write is one IMMEDIATE transaction, and the version check inside it
 * makes concurrent changes of one case fail cleanly (StaleVersionError) instead of overwriting.
 */
export class SqliteCaseRepository implements CaseRepository {
  readonly db: DatabaseSync;

  constructor(db: DatabaseSync) {
    this.db = db;
    migrateCases(db);
  }

  private parse(rows: unknown[]): CaseRecord[] {
    return (rows as CaseRow[]).map((row) => JSON.parse(row.doc) as CaseRecord);
  }

  private columns(record: CaseRecord): SQLInputValue[] {
    return [
      record.reference,
      record.status,
      record.version,
      record.complainantId,
      record.respondent.enterpriseId,
      record.submittedAt,
      record.forwardedAt,
      queueDeadlineOf(record),
      record.publication?.publishedAt ?? null,
      JSON.stringify(record),
    ];
  }

  async insert(newCase: NewCase): Promise<CaseRecord> {
    const claim = newCase.idempotency;
    return transaction(this.db, () => {
      if (claim) {
        const existing = readIdempotencyKey(this.db, claim.scope, claim.key, claim.createdAt);
        if (existing) throw new IdempotencyKeyTakenError(claim.key, existing);
      }
      const day = referenceDay(newCase.record.submittedAt);
      const { last } = this.db
        .prepare(
          `INSERT INTO case_reference_days (day, last) VALUES (?, 1)
           ON CONFLICT (day) DO UPDATE SET last = last + 1 RETURNING last`,
        )
        .get(day) as { last: number };
      const record: CaseRecord = { ...newCase.record, reference: formatReference(newCase.record.submittedAt, last) };
      this.db
        .prepare(
          `INSERT INTO cases (reference, status, version, complainant_id, enterprise_id, submitted_at, forwarded_at,
             queue_deadline, published_at, doc, id)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(...this.columns(record), record.id);
      writeEvents(this.db, [newCase.event]);
      writeRevision(this.db, newCase.revision);
      writeOutbox(this.db, newCase.enqueue(record));
      writeEvidenceLinks(this.db, record);
      writeEnterprise(this.db, record, record.submittedAt);
      if (claim) writeIdempotencyKey(this.db, claim, record.id);
      return record;
    });
  }

  async commit(change: CaseChange): Promise<void> {
    const { record } = change;
    transaction(this.db, () => {
      const result = this.db
        .prepare(
          `UPDATE cases SET reference = ?, status = ?, version = ?, complainant_id = ?, enterprise_id = ?,
             submitted_at = ?,
             forwarded_at = ?, queue_deadline = ?, published_at = ?, doc = ?
           WHERE id = ? AND version = ?`,
        )
        .run(...this.columns(record), record.id, record.version - 1);
      if (Number(result.changes) !== 1) {
        const current = this.db.prepare('SELECT version FROM cases WHERE id = ?').get(record.id) as
          | { version: number }
          | undefined;
        throw new StaleVersionError(record.id, current?.version ?? null);
      }
      writeEvents(this.db, change.events);
      writeRevision(this.db, change.revision);
      writeOutbox(this.db, change.enqueue);
      writeEvidenceLinks(this.db, record);
      writeEnterprise(this.db, record, change.events[0]?.at ?? record.statusChangedAt);
    });
  }

  async findById(id: string): Promise<CaseRecord | null> {
    return this.parse(this.db.prepare('SELECT doc FROM cases WHERE id = ?').all(id))[0] ?? null;
  }

  async findByIds(ids: readonly string[]): Promise<Array<CaseRecord | null>> {
    if (ids.length === 0) return [];
    const found = this.parse(
      this.db.prepare('SELECT doc FROM cases WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify(ids)),
    );
    const byId = new Map(found.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  async findByReference(reference: string): Promise<CaseRecord | null> {
    return this.parse(this.db.prepare('SELECT doc FROM cases WHERE reference = ?').all(reference))[0] ?? null;
  }

  async findIdempotencyKey(scope: string, key: string, now: string): Promise<IdempotencyRecord | null> {
    return readIdempotencyKey(this.db, scope, key, now);
  }

  async timelines(caseIds: readonly string[]): Promise<Map<string, TimelineEvent[]>> {
    const result = new Map<string, TimelineEvent[]>(caseIds.map((id) => [id, []]));
    if (caseIds.length === 0) return result;
    const rows = this.db
      .prepare(
        'SELECT doc FROM case_events WHERE case_id IN (SELECT value FROM json_each(?)) ORDER BY case_id, sequence',
      )
      .all(JSON.stringify(caseIds)) as unknown as CaseRow[];
    for (const row of rows) {
      const event = JSON.parse(row.doc) as TimelineEvent;
      result.get(event.caseId)?.push(event);
    }
    return result;
  }

  async revisions(caseIds: readonly string[]): Promise<Map<string, CaseRevision[]>> {
    const result = new Map<string, CaseRevision[]>(caseIds.map((id) => [id, []]));
    if (caseIds.length === 0) return result;
    const rows = this.db
      .prepare(
        'SELECT doc FROM case_revisions WHERE case_id IN (SELECT value FROM json_each(?)) ORDER BY case_id, version',
      )
      .all(JSON.stringify(caseIds)) as unknown as CaseRow[];
    for (const row of rows) {
      const revision = JSON.parse(row.doc) as CaseRevision;
      result.get(revision.caseId)?.push(revision);
    }
    return result;
  }

  async enterprises(ids: readonly string[]): Promise<Map<string, EnterpriseFacts>> {
    if (ids.length === 0) return new Map();
    const rows = this.db
      .prepare(
        'SELECT id, name, credit_code, industry FROM case_enterprises WHERE id IN (SELECT value FROM json_each(?))',
      )
      .all(JSON.stringify(ids)) as Array<{
      id: string;
      name: string;
      credit_code: string | null;
      industry: EnterpriseFacts['industry'];
    }>;
    return new Map(
      rows.map((row) => [row.id, { id: row.id, name: row.name, creditCode: row.credit_code, industry: row.industry }]),
    );
  }

  async publishedEnterprises(ids: readonly string[]): Promise<Map<string, EnterpriseFacts>> {
    if (ids.length === 0) return new Map();
    const rows = this.db
      .prepare(
        `SELECT doc FROM cases WHERE id IN (
           SELECT (SELECT id FROM cases WHERE enterprise_id = j.value AND published_at IS NOT NULL
                   ORDER BY published_at DESC, id DESC LIMIT 1)
           FROM json_each(?) j)`,
      )
      .all(JSON.stringify(ids));
    const facts = this.parse(rows).map(publishedFactsOf);
    return new Map(facts.filter((f) => f !== null).map((f) => [f.id, f]));
  }

  async listForComplainant(complainantId: string, page: PageRequest): Promise<Page<CaseRecord>> {
    const size = pageSize(page);
    const after = cursorParts(page, 2);
    const rows = this.db
      .prepare(
        `SELECT doc FROM cases WHERE complainant_id = ?
           AND (? IS NULL OR submitted_at < ? OR (submitted_at = ? AND id < ?))
         ORDER BY submitted_at DESC, id DESC LIMIT ?`,
      )
      .all(complainantId, after?.[0] ?? null, after?.[0] ?? null, after?.[0] ?? null, after?.[1] ?? null, size + 1);
    return toPage(this.parse(rows), size, SORT_KEYS.newestFirst);
  }

  async listForEnterprise(filter: EnterpriseCasesFilter, page: PageRequest): Promise<Page<CaseRecord>> {
    const size = pageSize(page);
    const after = cursorParts(page, 2);
    // The forwarded-only condition is spelled out (not a parameter) so the planner can use the partial index.
    const rows = this.db
      .prepare(
        `SELECT doc FROM cases WHERE enterprise_id = ?
           ${filter.forwardedOnly ? 'AND forwarded_at IS NOT NULL' : ''}
           AND (? IS NULL OR submitted_at < ? OR (submitted_at = ? AND id < ?))
         ORDER BY submitted_at DESC, id DESC LIMIT ?`,
      )
      .all(
        filter.enterpriseId,
        after?.[0] ?? null,
        after?.[0] ?? null,
        after?.[0] ?? null,
        after?.[1] ?? null,
        size + 1,
      );
    return toPage(this.parse(rows), size, SORT_KEYS.newestFirst);
  }

  /**
   * One index range per status, each already in (deadline, id) order and cut at the page size,
   * merged by the outer ORDER BY: a page costs O(statuses × page size), whatever the table size.
   */
  async queue(filter: QueueFilter, page: PageRequest): Promise<Page<CaseRecord>> {
    const size = pageSize(page);
    const after = cursorParts(page, 2);
    const statuses = [
      ...new Set(filter.statuses && filter.statuses.length > 0 ? filter.statuses : STAFF_QUEUE_STATUSES),
    ];
    const branch = `SELECT * FROM (SELECT doc, queue_deadline, id FROM cases WHERE status = ?
        AND (? IS NULL OR queue_deadline > ? OR (queue_deadline = ? AND id > ?))
      ORDER BY queue_deadline, id LIMIT ?)`;
    const sql = `${statuses.map(() => branch).join(' UNION ALL ')} ORDER BY queue_deadline, id LIMIT ?`;
    const params: SQLInputValue[] = [];
    for (const status of statuses) {
      params.push(status, after?.[0] ?? null, after?.[0] ?? null, after?.[0] ?? null, after?.[1] ?? null, size + 1);
    }
    params.push(size + 1);
    return toPage(this.parse(this.db.prepare(sql).all(...params)), size, SORT_KEYS.queue);
  }

  async listPastDeadline(beforeDate: string, limit: number): Promise<CaseRecord[]> {
    const rows = this.db
      .prepare(
        `SELECT doc FROM cases WHERE queue_deadline < ? AND status IN (SELECT value FROM json_each(?))
           AND json_extract(doc, '$.overdueFlaggedFor') IS NOT queue_deadline
         ORDER BY queue_deadline, id LIMIT ?`,
      )
      .all(beforeDate, JSON.stringify(DEADLINE_STATUSES), limit);
    return this.parse(rows);
  }

  async casesWithEvidence(evidenceId: string, filter: EvidenceCasesFilter, limit: number): Promise<CaseRecord[]> {
    const complainantId = filter.complainantId ?? null;
    const enterpriseId = filter.enterpriseId ?? null;
    const rows = this.db
      .prepare(
        `SELECT c.doc FROM case_evidence e JOIN cases c ON c.id = e.case_id
         WHERE e.evidence_id = ?
           AND (? IS NULL OR c.complainant_id = ?)
           AND (? IS NULL OR c.enterprise_id = ?)
           AND (? = 0 OR c.forwarded_at IS NOT NULL)
         ORDER BY c.id LIMIT ?`,
      )
      .all(evidenceId, complainantId, complainantId, enterpriseId, enterpriseId, filter.forwardedOnly ? 1 : 0, limit);
    return this.parse(rows);
  }

  async published(filter: PublishedFilter, page: PageRequest): Promise<Page<CaseRecord>> {
    const size = pageSize(page);
    const after = cursorParts(page, 2);
    const since = filter.publishedSince ?? null;
    const rows = this.db
      .prepare(
        `SELECT doc FROM cases WHERE published_at IS NOT NULL
           AND (? IS NULL OR published_at >= ?)
           AND (? IS NULL OR published_at > ? OR (published_at = ? AND id > ?))
         ORDER BY published_at, id LIMIT ?`,
      )
      .all(since, since, after?.[0] ?? null, after?.[0] ?? null, after?.[0] ?? null, after?.[1] ?? null, size + 1);
    return toPage(this.parse(rows), size, SORT_KEYS.published);
  }

  async outboxFor(caseId: string): Promise<OutboxRow[]> {
    const rows = this.db
      .prepare('SELECT * FROM case_outbox WHERE case_id = ? ORDER BY created_at, id')
      .all(caseId) as Array<Record<string, string | number | null>>;
    return rows.map((row) => ({
      id: String(row.id),
      caseId: String(row.case_id),
      event: String(row.event),
      recipient: { kind: row.recipient_kind as OutboxRow['recipient']['kind'], address: String(row.recipient_address) },
      payload: JSON.parse(String(row.payload)) as OutboxRow['payload'],
      createdAt: String(row.created_at),
      deliveredAt: row.delivered_at === null ? null : String(row.delivered_at),
      attempts: Number(row.attempts),
      nextAttemptAt: String(row.next_attempt_at),
    }));
  }

  async countCases(): Promise<number> {
    return Number((this.db.prepare('SELECT COUNT(*) AS n FROM cases').get() as { n: number }).n);
  }

  async relinkRespondent(fromIds: readonly string[], toId: string): Promise<number> {
    const from = JSON.stringify(fromIds.filter((id) => id !== toId));
    // Read first: the common answer is "nothing to move", which must not take the write lock.
    const any = this.db
      .prepare('SELECT 1 FROM cases WHERE enterprise_id IN (SELECT value FROM json_each(?)) LIMIT 1')
      .get(from);
    if (!any) return 0;
    return transaction(this.db, () => {
      this.db
        .prepare(
          `INSERT INTO case_enterprises (id, name, credit_code, industry, updated_at)
           SELECT ?, name, credit_code, industry, updated_at FROM case_enterprises
           WHERE id IN (SELECT value FROM json_each(?)) ORDER BY updated_at DESC LIMIT 1
           ON CONFLICT (id) DO NOTHING`,
        )
        .run(toId, from);
      const moved = this.db
        .prepare(
          `UPDATE cases SET enterprise_id = ?, doc = json_set(doc, '$.respondent.enterpriseId', ?)
           WHERE enterprise_id IN (SELECT value FROM json_each(?))`,
        )
        .run(toId, toId, from);
      return Number(moved.changes);
    });
  }

  async ping(): Promise<void> {
    pingSqlite(this.db);
  }

  async close(): Promise<void> {
    if (this.db.isOpen) this.db.close();
  }
}
