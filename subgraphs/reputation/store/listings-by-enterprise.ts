import type { DatabaseSync } from 'node:sqlite';
import type { ListingRecord, ListingSource, ListingStatus } from '../domain/listing.ts';
import { contributionOf, type ListingContribution } from '../domain/statistics.ts';

/** What a statistics rebuild needs of one enterprise's listings. */
export interface EnterpriseListings {
  enterpriseId: string;
  contributions: ListingContribution[];
  /** How many of its listings carry each raw published name. */
  names: Map<string, number>;
  /** How many of its listings carry each industry (listings without one are not counted). */
  industries: Map<string, number>;
}

/** Enterprise ids from `from` (inclusive) to `to` (exclusive); null leaves that side open. */
export interface EnterpriseRange {
  from: string | null;
  to: string | null;
}

export const ALL_ENTERPRISES: EnterpriseRange = { from: null, to: null };

/**
 * The listings table's covering index `listings_by_enterprise` (listings-sqlite.ts) holds exactly
 * these columns in (enterprise_id, created_at) order, so this query is an index walk: no sort, no
 * table lookup, and each enterprise's listings arrive together.
 */
const COLUMNS = 'enterprise_id, created_at, source, status, replied_at, completed_at, satisfaction, industry, enterprise_name';

/**
 * Streams the listings of the enterprises in `range`, one enterprise at a time, in id order.
 * Memory holds one enterprise, whatever the table's size.
 */
export function* readListingsByEnterprise(db: DatabaseSync, range: EnterpriseRange = ALL_ENTERPRISES): Generator<EnterpriseListings> {
  const conditions: string[] = [];
  const params: string[] = [];
  if (range.from !== null) (conditions.push('enterprise_id >= ?'), params.push(range.from));
  if (range.to !== null) (conditions.push('enterprise_id < ?'), params.push(range.to));
  const statement = db.prepare(
    `SELECT ${COLUMNS} FROM listings ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''} ORDER BY enterprise_id, created_at`,
  );
  statement.setReturnArrays(true);
  let current = null as EnterpriseListings | null;
  for (const row of statement.iterate(...params) as Iterable<unknown[]>) {
    const enterpriseId = row[0] as string;
    if (current?.enterpriseId !== enterpriseId) {
      if (current) yield current;
      current = { enterpriseId, contributions: [], names: new Map(), industries: new Map() };
    }
    current.contributions.push(
      contributionOf({
        enterpriseId,
        source: row[2] as ListingSource,
        externalId: '',
        status: row[3] as ListingStatus,
        createdAt: Number(row[1]),
        repliedAt: row[4] === null ? null : Number(row[4]),
        completedAt: row[5] === null ? null : Number(row[5]),
        satisfaction: row[6] === null ? null : Number(row[6]),
      }),
    );
    tally(current.names, row[8] as string);
    if (row[7] !== null) tally(current.industries, row[7] as string);
  }
  if (current) yield current;
}

/** The same grouping over records in memory (records given to a rebuild directly), in id order. */
export function groupListingsByEnterprise(records: Iterable<ListingRecord>): EnterpriseListings[] {
  const byId = new Map<string, EnterpriseListings>();
  for (const record of records) {
    let group = byId.get(record.enterpriseId);
    if (!group) byId.set(record.enterpriseId, (group = { enterpriseId: record.enterpriseId, contributions: [], names: new Map(), industries: new Map() }));
    group.contributions.push(contributionOf(record));
    tally(group.names, record.enterpriseName);
    if (record.industry !== null) tally(group.industries, record.industry);
  }
  return [...byId.values()].sort((a, b) => (a.enterpriseId < b.enterpriseId ? -1 : a.enterpriseId > b.enterpriseId ? 1 : 0));
}

function tally(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

/**
 * Splits the enterprises into at most `parts` consecutive ranges holding about as many listings
 * each, for rebuild threads. Every enterprise falls in exactly one range: a boundary is an
 * enterprise id, never a position inside one enterprise's listings. Each boundary skips a
 * range's worth of index entries from the previous one, so finding all of them reads the
 * index about once.
 */
export function enterpriseRanges(db: DatabaseSync, parts: number): EnterpriseRange[] {
  const total = Number((db.prepare('SELECT count(*) AS n FROM listings').get() as { n: number }).n);
  const step = Math.ceil(total / Math.max(1, parts));
  const boundaries: string[] = [];
  const first = db.prepare('SELECT enterprise_id FROM listings ORDER BY enterprise_id LIMIT 1 OFFSET ?');
  const next = db.prepare('SELECT enterprise_id FROM listings WHERE enterprise_id > ? ORDER BY enterprise_id LIMIT 1 OFFSET ?');
  for (let k = 1; k < parts && step > 0; k++) {
    const previous = boundaries.at(-1);
    const row = (previous === undefined ? first.get(step) : next.get(previous, step - 1)) as { enterprise_id: string } | undefined;
    if (!row) break;
    boundaries.push(row.enterprise_id);
  }
  return [null, ...boundaries].map((from, k) => ({ from, to: boundaries[k] ?? null }));
}
