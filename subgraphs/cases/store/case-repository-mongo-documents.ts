import type { Document, IndexDescription } from 'mongodb';
import type { IdempotencyClaim, IdempotencyRecord } from '../domain/idempotency.ts';
import type { CaseRecord } from '../domain/model.ts';
import { OUTBOX_COLLECTION, queueDeadlineOf } from './case-repository.ts';

/**
 * How the MongoDB case store lays out its data: the collections, their indexes (created at start),
 * and the stored shapes of a case and an idempotency claim. The adapter is case-repository-mongo.ts.
 */

export const COLLECTIONS = {
  cases: 'cases',
  events: 'case_events',
  revisions: 'case_revisions',
  outbox: OUTBOX_COLLECTION,
  referenceDays: 'case_reference_days',
  enterprises: 'case_enterprises',
  idempotencyKeys: 'case_idempotency_keys',
} as const;

/** Same indexes as the SQLite adapter, declared in code and created at start. */
export const CASE_MONGO_INDEXES: Record<string, IndexDescription[]> = {
  [COLLECTIONS.cases]: [
    { key: { reference: 1 }, name: 'cases_reference', unique: true },
    { key: { status: 1, queueDeadline: 1, _id: 1 }, name: 'cases_queue' },
    { key: { enterpriseId: 1, submittedAt: -1, _id: -1 }, name: 'cases_enterprise' },
    {
      // forwardedAt last: the same sort order as cases_enterprise, but a key pattern of its own
      // (servers before 5.0 refuse two indexes that differ only in their partial filter).
      key: { enterpriseId: 1, submittedAt: -1, _id: -1, forwardedAt: 1 },
      name: 'cases_enterprise_forwarded',
      partialFilterExpression: { forwardedAt: { $type: 'string' } },
    },
    { key: { complainantId: 1, submittedAt: -1, _id: -1 }, name: 'cases_complainant' },
    {
      key: { publishedAt: 1, _id: 1 },
      name: 'cases_published',
      partialFilterExpression: { publishedAt: { $type: 'string' } },
    },
    // An enterprise's latest published case (what anonymous readers see of it), without reading
    // all its cases: as the SQLite adapter's CASE_ENTERPRISE_PUBLISHED_INDEX.
    {
      key: { enterpriseId: 1, publishedAt: -1, _id: -1 },
      name: 'cases_enterprise_published',
      partialFilterExpression: { publishedAt: { $type: 'string' } },
    },
    // Multikey: which cases an evidence file is attached to (download rights).
    { key: { evidenceIds: 1 }, name: 'cases_evidence' },
  ],
  [COLLECTIONS.events]: [{ key: { caseId: 1, sequence: 1 }, name: 'case_events_case', unique: true }],
  [COLLECTIONS.revisions]: [{ key: { caseId: 1, version: 1 }, name: 'case_revisions_case', unique: true }],
  [COLLECTIONS.outbox]: [
    // The dispatcher's due query: deliveredAt null, nextAttemptAt ≤ now, oldest first.
    { key: { deliveredAt: 1, nextAttemptAt: 1, _id: 1 }, name: 'case_outbox_due' },
    { key: { caseId: 1, createdAt: 1 }, name: 'case_outbox_case' },
  ],
  [COLLECTIONS.idempotencyKeys]: [
    // One claim per caller and key; a concurrent second claim fails on this index and is retried.
    { key: { scope: 1, key: 1 }, name: 'case_idempotency_keys_scope_key', unique: true },
    // The server removes expired claims itself (within about a minute); reads compare expiresAt.
    { key: { expiresAtDate: 1 }, name: 'case_idempotency_keys_ttl', expireAfterSeconds: 0 },
  ],
};

/** A stored idempotency claim: `expiresAtDate` is the same instant as a Date, for the TTL index. */
export interface IdempotencyDocument extends IdempotencyClaim {
  caseId: string;
  expiresAtDate: Date;
}

/** The filter of an unexpired claim of `key` by `scope` at `now` (ISO-8601 UTC strings sort as time). */
export function idempotencyKeyFilter(scope: string, key: string, now: string): Document {
  return { scope, key, expiresAt: { $gt: now } };
}

export function toIdempotencyRecord(doc: IdempotencyDocument): IdempotencyRecord {
  return { operation: doc.operation, fingerprint: doc.fingerprint, caseId: doc.caseId, expiresAt: doc.expiresAt };
}

/** A case as stored in MongoDB: the record plus the top-level keys the indexes use. */
export interface CaseDocument extends CaseRecord {
  _id: string;
  enterpriseId: string;
  queueDeadline: string;
  publishedAt: string | null;
}

export function toCaseDocument(record: CaseRecord): CaseDocument {
  return {
    ...record,
    _id: record.id,
    enterpriseId: record.respondent.enterpriseId,
    queueDeadline: queueDeadlineOf(record),
    publishedAt: record.publication?.publishedAt ?? null,
  };
}

export function fromCaseDocument(document: Document): CaseRecord {
  const { _id, enterpriseId: _e, queueDeadline: _q, publishedAt: _p, ...record } = document as CaseDocument;
  return record as CaseRecord;
}
