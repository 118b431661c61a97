/**
 * One complaint as a public listing publishes it, normalised across sources. This is the unit the
 * ingestion pipeline stores and the statistics count. Times are epoch milliseconds (UTC).
 */
export const ListingSource = {
  BlackCat: 'blackcat',
  Samr12315: '12315',
  Jutousu: 'jutousu',
  Weiquan: 'weiquan',
} as const;
export type ListingSource = (typeof ListingSource)[keyof typeof ListingSource];

/** Stored rollups name a source by its position in this list: append only, never reorder. */
export const LISTING_SOURCE_CODES: readonly ListingSource[] = ['blackcat', '12315', 'jutousu', 'weiquan'];

/** One status vocabulary over every source; the source's own code is kept in `rawStatus`. */
export const ListingStatus = {
  Pending: 'PENDING',
  InProgress: 'IN_PROGRESS',
  Replied: 'REPLIED',
  Completed: 'COMPLETED',
  Closed: 'CLOSED',
  Unknown: 'UNKNOWN',
} as const;
export type ListingStatus = (typeof ListingStatus)[keyof typeof ListingStatus];

export interface ListingRecord {
  source: ListingSource;
  externalId: string;
  url: string | null;
  enterpriseName: string;
  enterpriseId: string;
  /** How sure the enterprise resolution is: CREDIT_CODE, ALIAS or NAME (see platform/enterprise/identity.ts). */
  enterpriseBasis: string;
  industry: string | null;
  title: string | null;
  issue: string | null;
  demand: string | null;
  /** Amount in CNY, null when not published. */
  amount: number | null;
  status: ListingStatus;
  rawStatus: string;
  createdAt: number;
  repliedAt: number | null;
  completedAt: number | null;
  /** 1..5 when the complainant rated the handling, else null. */
  satisfaction: number | null;
  /** sha256 of the raw item as fetched: an unchanged hash means nothing to update. */
  rawHash: string;
}

/** What a write did to one record; statistics roll up from these, never from a scan. */
export interface ListingChange {
  before: ListingRecord | null;
  after: ListingRecord;
}
