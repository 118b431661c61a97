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

/** What a rebuild reads of each listing: the columns of the covering index after enterprise_id. */
const LISTING_COLUMNS = [
  'created_at',
  'source',
  'status',
  'replied_at',
  'completed_at',
  'satisfaction',
  'industry',
  'enterprise_name',
] as const;

/**
 * Streams the listings of the enterprises in `range`, one enterprise at a time, in id order.
 * Memory holds one enterprise, whatever the table's size.
 *
 * The listings table's covering index `listings_by_enterprise` (listings-sqlite.ts) holds these
 * columns in enterprise order, so SQLite groups along the index: no sort, no table lookup. Each
 * enterprise comes back as ONE row of JSON arrays, one per column, because node:sqlite spends
 * about 1 µs on every row it hands to JavaScript: at 10M listings one row per listing took 23 s
 * to read, one row per enterprise 15 s, JSON.parse included. SQLite writes REALs with 17
 * significant digits, so every number parses back to the same double.
 */
export function* readListingsByEnterprise(
  db: DatabaseSync,
  range: EnterpriseRange = ALL_ENTERPRISES,
): Generator<EnterpriseListings> {
  const { sql, params } = listingsByEnterpriseQuery(range);
  const statement = db.prepare(sql);
  statement.setReturnArrays(true);
  for (const row of statement.iterate(...params) as Iterable<string[]>) {
    const enterpriseId = row[0];
    const [createdAt, source, status, repliedAt, completedAt, satisfaction, industry, name] = row
      .slice(1)
      .map((json) => JSON.parse(json) as unknown[]) as [
      number[],
      ListingSource[],
      ListingStatus[],
      Array<number | null>,
      Array<number | null>,
      Array<number | null>,
      Array<string | null>,
      string[],
    ];
    const listings: EnterpriseListings = {
      enterpriseId,
      contributions: new Array(createdAt.length),
      names: new Map(),
      industries: new Map(),
    };
    for (let i = 0; i < createdAt.length; i++) {
      listings.contributions[i] = contributionOf({
        enterpriseId,
        source: source[i],
        externalId: '',
        status: status[i],
        createdAt: createdAt[i],
        repliedAt: repliedAt[i],
        completedAt: completedAt[i],
        satisfaction: satisfaction[i],
      });
      tally(listings.names, name[i]);
      const industryOf = industry[i];
      if (industryOf !== null) tally(listings.industries, industryOf);
    }
    yield listings;
  }
}

/** The query `readListingsByEnterprise` runs (exported so a test can check its plan). */
export function listingsByEnterpriseQuery(range: EnterpriseRange): { sql: string; params: string[] } {
  const conditions: string[] = [];
  const params: string[] = [];
  if (range.from !== null) {
    conditions.push('enterprise_id >= ?');
    params.push(range.from);
  }
  if (range.to !== null) {
    conditions.push('enterprise_id < ?');
    params.push(range.to);
  }
  const groups = LISTING_COLUMNS.map((column) => `json_group_array(${column})`).join(', ');
  const sql = `SELECT enterprise_id, ${groups} FROM listings
    ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''} GROUP BY enterprise_id ORDER BY enterprise_id`;
  return { sql, params };
}

/** The same grouping over records in memory (records given to a rebuild directly), in id order. */
export function groupListingsByEnterprise(records: Iterable<ListingRecord>): EnterpriseListings[] {
  const byId = new Map<string, EnterpriseListings>();
  for (const record of records) {
    let group = byId.get(record.enterpriseId);
    if (!group) {
      group = { enterpriseId: record.enterpriseId, contributions: [], names: new Map(), industries: new Map() };
      byId.set(record.enterpriseId, group);
    }
    group.contributions.push(contributionOf(record));
    tally(group.names, record.enterpriseName);
    if (record.industry !== null) tally(group.industries, record.industry);
  }
  return [...byId.values()].sort((a, b) =>
    a.enterpriseId < b.enterpriseId ? -1 : a.enterpriseId > b.enterpriseId ? 1 : 0,
  );
}

function tally(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

/**
 * Splits the enterprises into at most `parts` consecutive ranges holding about as many rows of
 * `table` each, for worker threads: `listings` weighs an enterprise by its listings (a rebuild's
 * work), `rep_enterprises` counts enterprises (the day roll's). Every enterprise falls in exactly
 * one range: a boundary is an enterprise id, never a position inside one enterprise's rows. Each
 * boundary skips a range's worth of index entries from the previous one, so finding all of them
 * reads the index about once.
 */
export function enterpriseRanges(
  db: DatabaseSync,
  parts: number,
  table: 'listings' | 'rep_enterprises' = 'listings',
): EnterpriseRange[] {
  const total = Number((db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n);
  const step = Math.ceil(total / Math.max(1, parts));
  const boundaries: string[] = [];
  const first = db.prepare(`SELECT enterprise_id FROM ${table} ORDER BY enterprise_id LIMIT 1 OFFSET ?`);
  const next = db.prepare(
    `SELECT enterprise_id FROM ${table} WHERE enterprise_id > ? ORDER BY enterprise_id LIMIT 1 OFFSET ?`,
  );
  for (let k = 1; k < parts && step > 0; k++) {
    const previous = boundaries.at(-1);
    const row = (previous === undefined ? first.get(step) : next.get(previous, step - 1)) as
      | { enterprise_id: string }
      | undefined;
    if (!row) break;
    boundaries.push(row.enterprise_id);
  }
  return [null, ...boundaries].map((from, k) => ({ from, to: boundaries[k] ?? null }));
}
