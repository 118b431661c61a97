import { CaseStatus, type CaseRecord, type CaseRevision, type TimelineEvent } from '../domain/model.ts';
import type { IdempotencyClaim, IdempotencyRecord } from '../domain/idempotency.ts';
import type { OutboxRow } from '../domain/outbox.ts';
import { badUserInput } from '../../../platform/errors.ts';

export type { OutboxRow, OutboxPayload, RecipientKind } from '../domain/outbox.ts';

/** The outbox table (SQLite) and collection (MongoDB) the notification dispatcher reads. */
export const OUTBOX_COLLECTION = 'case_outbox';

/** Keyset pagination: the opaque `after` cursor a connection returned, and how many to take. */
export interface PageRequest {
  first: number;
  after?: string | null;
}

export interface Page<T> {
  items: T[];
  /** Cursor of each item, same order. */
  cursors: string[];
  hasNextPage: boolean;
}

/** The stored change a transition produces; written all or nothing. */
export interface CaseChange {
  /** The new state of the case; its `version` must be exactly one more than the stored one. */
  record: CaseRecord;
  events: TimelineEvent[];
  /** A new revision, for edits. */
  revision?: CaseRevision;
  /** Notifications to enqueue in the same transaction. */
  enqueue: OutboxRow[];
}

/** A new case as filed; the store assigns the reference within the insert transaction. */
export interface NewCase {
  record: CaseRecord;
  event: TimelineEvent;
  revision: CaseRevision;
  /** Builds the outbox rows once the reference is known. */
  enqueue(withReference: CaseRecord): OutboxRow[];
  /**
   * The caller's idempotency key, stored with the case in the same transaction. While an earlier
   * claim of the same scope and key has not expired, the insert writes nothing and throws
   * IdempotencyKeyTakenError naming it; an expired claim is replaced.
   */
  idempotency?: IdempotencyClaim;
}

/** What the cases store knows about an enterprise: the latest name and code complainants gave. */
export interface EnterpriseFacts {
  id: string;
  name: string;
  creditCode: string | null;
  industry: CaseRecord['industry'];
}

/** An enterprise as its published case shows it: the redacted publication's name and code. */
export function publishedFactsOf(record: CaseRecord): EnterpriseFacts | null {
  if (!record.publication) return null;
  return {
    id: record.respondent.enterpriseId,
    name: record.publication.respondentName,
    creditCode: record.publication.respondentCreditCode,
    industry: record.industry,
  };
}

/** Raised when the stored version is not the one the change was computed from. */
export class StaleVersionError extends Error {
  readonly currentVersion: number | null;
  constructor(caseId: string, currentVersion: number | null) {
    super(`Case ${caseId} changed meanwhile (now at version ${currentVersion}).`);
    this.name = 'StaleVersionError';
    this.currentVersion = currentVersion;
  }
}

/** Raised by `insert` when the caller's idempotency key is already held by an unexpired claim. */
export class IdempotencyKeyTakenError extends Error {
  readonly existing: IdempotencyRecord;
  constructor(key: string, existing: IdempotencyRecord) {
    super(`Idempotency key ${JSON.stringify(key)} already names case ${existing.caseId}.`);
    this.name = 'IdempotencyKeyTakenError';
    this.existing = existing;
  }
}

export interface QueueFilter {
  /** Only these statuses; default: those waiting on staff (submitted, appealed). */
  statuses?: readonly CaseStatus[];
}

export interface EnterpriseCasesFilter {
  enterpriseId: string;
  /** Enterprise representatives see only cases forwarded to them. */
  forwardedOnly: boolean;
}

export interface EvidenceCasesFilter {
  /** Only this complainant's cases. */
  complainantId?: string | null;
  /** Only cases against this enterprise. */
  enterpriseId?: string | null;
  /** Only cases already forwarded. */
  forwardedOnly?: boolean;
}

export interface PublishedFilter {
  publishedSince?: string | null;
}

/**
 * Every read and write of the cases slice. Both adapters (SQLite, MongoDB) pass the same
 * contract tests (test/subgraphs/cases/store/case-repository-contract.ts).
 */
export interface CaseRepository {
  /** Inserts a new case with its first event, revision and notifications; returns it with its reference. */
  insert(newCase: NewCase): Promise<CaseRecord>;
  /**
   * Writes a state change, its timeline events, its revision and its outbox rows in ONE
   * transaction, only if the stored version is `record.version - 1`; else StaleVersionError.
   */
  commit(change: CaseChange): Promise<void>;
  findById(id: string): Promise<CaseRecord | null>;
  /** One query for many ids; the result is in the order of `ids`, null where missing. */
  findByIds(ids: readonly string[]): Promise<Array<CaseRecord | null>>;
  findByReference(reference: string): Promise<CaseRecord | null>;
  /** The unexpired claim of `key` by `scope` at `now` (ISO-8601 UTC), or null (index: primary key). */
  findIdempotencyKey(scope: string, key: string, now: string): Promise<IdempotencyRecord | null>;
  /** Timeline events of many cases in one query, each list in sequence order. */
  timelines(caseIds: readonly string[]): Promise<Map<string, TimelineEvent[]>>;
  /** Revisions of many cases in one query, each list in version order. */
  revisions(caseIds: readonly string[]): Promise<Map<string, CaseRevision[]>>;
  /** Facts about enterprises named by cases, in one query. */
  enterprises(ids: readonly string[]): Promise<Map<string, EnterpriseFacts>>;
  /**
   * What anyone may know of these enterprises: the facts of each one's latest published case
   * (`publishedFactsOf`); an enterprise without a published case is absent.
   */
  publishedEnterprises(ids: readonly string[]): Promise<Map<string, EnterpriseFacts>>;
  /** The complainant's own cases, newest first. */
  listForComplainant(complainantId: string, page: PageRequest): Promise<Page<CaseRecord>>;
  /** Cases against an enterprise, newest first (index enterpriseId, submittedAt). */
  listForEnterprise(filter: EnterpriseCasesFilter, page: PageRequest): Promise<Page<CaseRecord>>;
  /** The staff queue, soonest deadline first, no-deadline last (index status, pendingDeadline). */
  queue(filter: QueueFilter, page: PageRequest): Promise<Page<CaseRecord>>;
  /**
   * Cases whose pending deadline is before `beforeDate` (China date) and not yet flagged: the
   * overdue scheduler's input.
   */
  listPastDeadline(beforeDate: string, limit: number): Promise<CaseRecord[]>;
  /**
   * The cases an evidence file is attached to (at most `limit`), whoever uploaded it, narrowed to
   * one complainant's or one enterprise's cases when the filter says so: who may download a file
   * is decided by who may see one of these cases (index on the evidence id).
   */
  casesWithEvidence(evidenceId: string, filter: EvidenceCasesFilter, limit: number): Promise<CaseRecord[]>;
  /**
   * Moves the cases filed under any of `fromIds` (name-derived enterprise ids the enterprise
   * registry links to the credit-code id `toId`) to `toId`, and gives `toId` the enterprise facts
   * if it has none; returns how many cases moved. Idempotent; the cases' versions do not change
   * (who the respondent is has not, only the id it is known by).
   */
  relinkRespondent(fromIds: readonly string[], toId: string): Promise<number>;
  /** Published cases, publishedAt ascending then id. */
  published(filter: PublishedFilter, page: PageRequest): Promise<Page<CaseRecord>>;
  /** Outbox rows of one case (tests and the staff view), oldest first. */
  outboxFor(caseId: string): Promise<OutboxRow[]>;
  countCases(): Promise<number>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export function encodeCursor(parts: ReadonlyArray<string | null>): string {
  return Buffer.from(JSON.stringify(parts), 'utf8').toString('base64url');
}

/** Decodes a cursor of `arity` parts; null when it is not one of ours. */
export function decodeCursor(cursor: string, arity: number): Array<string | null> | null {
  try {
    const parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (!Array.isArray(parts) || parts.length !== arity) return null;
    if (!parts.every((p) => p === null || typeof p === 'string')) return null;
    return parts as Array<string | null>;
  } catch {
    return null;
  }
}

export const MAX_PAGE_SIZE = 100;

/** Sorts cases without a running deadline after every real date in the staff queue. */
export const NO_DEADLINE = '9999-12-31';

/** The statuses waiting on staff: the default queue. */
export const STAFF_QUEUE_STATUSES: readonly CaseStatus[] = [
  CaseStatus.Submitted,
  CaseStatus.Appealed,
  CaseStatus.Accepted,
];

/** Statuses whose pending deadline the overdue scheduler watches. */
export const DEADLINE_STATUSES: readonly CaseStatus[] = [
  CaseStatus.Submitted,
  CaseStatus.Appealed,
  CaseStatus.Forwarded,
];

/**
 * The page size asked for, checked where every listing query enters the store: the resolvers
 * pass `first` through as sent.
 */
export function pageSize(page: PageRequest): number {
  if (!Number.isInteger(page.first) || page.first < 0 || page.first > MAX_PAGE_SIZE) {
    throw badUserInput('first', `a whole number from 0 to ${MAX_PAGE_SIZE}`, page.first);
  }
  return page.first;
}

/** The page's `after` cursor split into its sort keys, or null for the first page. */
export function cursorParts(page: PageRequest, arity: number): Array<string | null> | null {
  if (!page.after) return null;
  const parts = decodeCursor(page.after, arity);
  if (!parts) throw badUserInput('after', 'a cursor returned by this connection', page.after);
  return parts;
}

export function queueDeadlineOf(record: CaseRecord): string {
  return record.pendingDeadline ?? NO_DEADLINE;
}

/** The sort keys each listing pages by (and encodes into its cursors). */
export const SORT_KEYS = {
  queue: (r: CaseRecord) => [queueDeadlineOf(r), r.id],
  newestFirst: (r: CaseRecord) => [r.submittedAt, r.id],
  published: (r: CaseRecord) => [r.publication?.publishedAt ?? '', r.id],
} as const;

/** A page of `size` records from a fetch of one more than the page (the extra one says whether a next page exists). */
export function toPage(records: CaseRecord[], size: number, key: (r: CaseRecord) => string[]): Page<CaseRecord> {
  const items = records.slice(0, size);
  return { items, cursors: items.map((r) => encodeCursor(key(r))), hasNextPage: records.length > size };
}
