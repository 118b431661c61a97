import type { ListingChange, ListingRecord, ListingSource, ListingStatus } from '../domain/listing.ts';

/**
 * The listings repository: where ingestion writes and statistics read. One row per
 * (source, externalId); a record whose raw item changed upstream is updated in place and its
 * previous version goes to the history. Both adapters (SQLite, MongoDB) pass the same contract.
 */

/** A record that could not be normalised, kept with the reason and the raw item for review. */
export interface QuarantinedItem {
  source: ListingSource;
  /** The source's id when it could be read, else null. */
  externalId: string | null;
  reason: string;
  /** The item exactly as fetched (JSON or an HTML fragment), as text. */
  raw: string;
  /** Page URL the item came from. */
  url: string | null;
}

export interface StoredQuarantinedItem extends QuarantinedItem {
  rawHash: string;
  quarantinedAt: number;
}

/** A previous version of a record, written when an update replaced it. */
export interface ListingHistoryEntry {
  record: ListingRecord;
  /** When the newer version replaced this one (epoch ms). */
  replacedAt: number;
}

export interface UpsertResult {
  inserted: number;
  updated: number;
  unchanged: number;
  quarantined: number;
  changes: ListingChange[];
}

/**
 * Called INSIDE the write transaction with the changes the batch actually made (new records
 * with `before: null`, updates with both sides; unchanged records are not included). Throwing
 * rolls the whole batch back. SQLite calls it synchronously (return nothing); MongoDB passes its
 * `ClientSession` as `session` and awaits the returned promise.
 */
export type OnListingChanges = (changes: ListingChange[], session?: unknown) => void | Promise<void>;

export interface UpsertOptions {
  /** Items of the same page to quarantine in the same transaction. */
  quarantine?: QuarantinedItem[];
  /** Clock for history and quarantine timestamps (epoch ms). */
  now?: number;
}

export interface ListingQuery {
  source?: ListingSource;
  enterpriseId?: string;
  status?: ListingStatus;
  /** Inclusive lower bound on createdAt (epoch ms). */
  createdFrom?: number;
  /** Exclusive upper bound on createdAt (epoch ms). */
  createdTo?: number;
}

export interface ListingPageRequest {
  first: number;
  /** Opaque cursor from a previous page (`endCursor`). */
  after?: string | null;
}

export interface ListingPage {
  records: ListingRecord[];
  endCursor: string | null;
  hasNextPage: boolean;
}

export interface ListingRepository {
  /** Writes a page's batch in ONE transaction (records, history, quarantine, onChanges). */
  upsertBatch(records: ListingRecord[], onChanges?: OnListingChanges, options?: UpsertOptions): Promise<UpsertResult>;
  get(source: ListingSource, externalId: string): Promise<ListingRecord | null>;
  /** Stored raw hashes for these ids (missing ids are absent from the map). */
  rawHashes(source: ListingSource, externalIds: string[]): Promise<Map<string, string>>;
  /** Older versions, oldest first. */
  history(source: ListingSource, externalId: string): Promise<ListingHistoryEntry[]>;
  /** Newest createdAt first, then source and externalId (a stable order for cursors). */
  find(query: ListingQuery, page: ListingPageRequest): Promise<ListingPage>;
  count(query?: ListingQuery): Promise<number>;
  countBySource(): Promise<Partial<Record<ListingSource, number>>>;
  quarantined(source: ListingSource, limit?: number): Promise<StoredQuarantinedItem[]>;
  countQuarantined(source?: ListingSource): Promise<number>;
  close(): Promise<void>;
}

/** What a batch does, decided from the stored hashes alone (pure; both adapters use it). */
export interface UpsertPlan {
  inserts: ListingRecord[];
  updates: Array<{ before: ListingRecord; after: ListingRecord }>;
  unchanged: number;
}

/**
 * Later duplicates of the same (source, externalId) within one batch win: a page that lists a
 * complaint twice is one record, not two.
 */
export function dedupeBatch(records: ListingRecord[]): ListingRecord[] {
  const byKey = new Map<string, ListingRecord>();
  for (const record of records) {
    const key = listingKey(record.source, record.externalId);
    byKey.delete(key);
    byKey.set(key, record);
  }
  return [...byKey.values()];
}

export function listingKey(source: string, externalId: string): string {
  return `${source}:${externalId}`;
}

/** A record changed when its raw item or its status did (detail enrichment can change status alone). */
export function planUpsert(records: ListingRecord[], existing: Map<string, ListingRecord>): UpsertPlan {
  const plan: UpsertPlan = { inserts: [], updates: [], unchanged: 0 };
  for (const record of dedupeBatch(records)) {
    const before = existing.get(listingKey(record.source, record.externalId));
    if (!before) plan.inserts.push(record);
    else if (before.rawHash !== record.rawHash || before.status !== record.status || !sameRecord(before, record))
      plan.updates.push({ before, after: record });
    else plan.unchanged++;
  }
  return plan;
}

const RECORD_FIELDS: Array<keyof ListingRecord> = [
  'source',
  'externalId',
  'url',
  'enterpriseName',
  'enterpriseId',
  'enterpriseBasis',
  'industry',
  'title',
  'issue',
  'demand',
  'amount',
  'status',
  'rawStatus',
  'createdAt',
  'repliedAt',
  'completedAt',
  'satisfaction',
  'rawHash',
];

function sameRecord(a: ListingRecord, b: ListingRecord): boolean {
  return RECORD_FIELDS.every((field) => a[field] === b[field]);
}

/** Copies only the record's own fields (drops store metadata such as `_id`). */
export function pickRecord(source: Record<string, unknown>): ListingRecord {
  const record = {} as Record<string, unknown>;
  for (const field of RECORD_FIELDS) record[field] = source[field] ?? null;
  return record as unknown as ListingRecord;
}

/** Cursor = base64url of [createdAt, source, externalId] of the last record on the page. */
export function encodeListingCursor(record: Pick<ListingRecord, 'createdAt' | 'source' | 'externalId'>): string {
  return Buffer.from(JSON.stringify([record.createdAt, record.source, record.externalId])).toString('base64url');
}

export function decodeListingCursor(cursor: string): { createdAt: number; source: string; externalId: string } | null {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (!Array.isArray(value) || value.length !== 3) return null;
    const [createdAt, source, externalId] = value as unknown[];
    if (typeof createdAt !== 'number' || typeof source !== 'string' || typeof externalId !== 'string') return null;
    return { createdAt, source, externalId };
  } catch {
    return null;
  }
}
