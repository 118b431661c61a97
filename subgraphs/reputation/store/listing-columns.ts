import type { DatabaseSync } from 'node:sqlite';
import type { ListingRecord, ListingSource, ListingStatus } from '../domain/listing.ts';
import { sourceCode, sourceName } from '../domain/profile.ts';
import { contributionOf, type ListingContribution } from '../domain/statistics.ts';

const REPLIED = 1;
const COMPLETED = 2;

/**
 * What a rebuild needs of every listing, in compact columns (about 30 bytes a listing instead of a
 * JavaScript object each): 10 million listings fit in a few hundred MB, and are grouped per
 * enterprise with a counting sort instead of SQLite sorting the whole table.
 */
export class ListingColumns {
  private size = 0;
  private enterprise = new Int32Array(1024);
  private day = new Int32Array(1024);
  private source = new Uint8Array(1024);
  private flags = new Uint8Array(1024);
  private satisfaction = new Float64Array(1024);
  private delay = new Float64Array(1024);
  private rawName = new Int32Array(1024);
  private industry = new Int32Array(1024);
  private readonly enterpriseIds: string[] = [];
  private readonly enterpriseIndex = new Map<string, number>();
  private readonly names: string[] = [];
  private readonly nameIndex = new Map<string, number>();
  private readonly industries: string[] = [];
  private readonly industryIndex = new Map<string, number>();
  private readonly lastNameOf: number[] = [];
  private readonly lastIndustryOf: number[] = [];
  /** Complaints per (day × 16 + source code): the per-source daily totals. */
  readonly sourceDays = new Map<number, number>();

  static from(records: Iterable<ListingRecord>): ListingColumns {
    const columns = new ListingColumns();
    for (const record of records) columns.add(record, record.enterpriseName, record.industry);
    return columns;
  }

  get length(): number {
    return this.size;
  }

  add(record: Pick<ListingRecord, 'source' | 'enterpriseId' | 'status' | 'createdAt' | 'repliedAt' | 'completedAt' | 'satisfaction'>, rawName: string, industry: string | null): void {
    const c = contributionOf(record as ListingRecord);
    if (this.size === this.enterprise.length) this.grow();
    const i = this.size++;
    const e = intern(this.enterpriseIds, this.enterpriseIndex, record.enterpriseId);
    const source = sourceCode(c.source);
    this.enterprise[i] = e;
    this.day[i] = c.day;
    this.source[i] = source;
    this.flags[i] = (c.replied ? REPLIED : 0) | (c.completed ? COMPLETED : 0);
    this.satisfaction[i] = c.satisfaction ?? Number.NaN;
    this.delay[i] = c.replyDelayMs ?? Number.NaN;
    // An enterprise's listings nearly always repeat its last name and industry: comparing with those
    // is cheaper than hashing every row's fresh string into the intern tables.
    const lastName = this.lastNameOf[e];
    this.rawName[i] = lastName !== undefined && this.names[lastName] === rawName ? lastName : (this.lastNameOf[e] = intern(this.names, this.nameIndex, rawName));
    const lastIndustry = this.lastIndustryOf[e];
    this.industry[i] =
      industry === null ? -1 : lastIndustry !== undefined && this.industries[lastIndustry] === industry ? lastIndustry : (this.lastIndustryOf[e] = intern(this.industries, this.industryIndex, industry));
    const sourceDay = c.day * 16 + source;
    this.sourceDays.set(sourceDay, (this.sourceDays.get(sourceDay) ?? 0) + 1);
  }

  /** The contribution of row `i` (externalId is not kept: no rollup needs it). */
  contribution(i: number, enterpriseId: string): ListingContribution {
    const flags = this.flags[i];
    return {
      enterpriseId,
      source: sourceName(this.source[i]),
      externalId: '',
      day: this.day[i],
      replied: (flags & REPLIED) !== 0,
      completed: (flags & COMPLETED) !== 0,
      replyDelayMs: Number.isNaN(this.delay[i]) ? null : this.delay[i],
      satisfaction: Number.isNaN(this.satisfaction[i]) ? null : this.satisfaction[i],
    };
  }

  /** Row numbers per enterprise (a counting sort), enterprises in id order so rows are written in key order. */
  groupByEnterprise(): Array<{ enterpriseId: string; rows: Int32Array }> {
    const counts = new Int32Array(this.enterpriseIds.length + 1);
    for (let i = 0; i < this.size; i++) counts[this.enterprise[i] + 1]++;
    for (let e = 1; e < counts.length; e++) counts[e] += counts[e - 1];
    const starts = counts.slice();
    const order = new Int32Array(this.size);
    for (let i = 0; i < this.size; i++) order[starts[this.enterprise[i]]++] = i;
    return this.enterpriseIds
      .map((enterpriseId, e) => ({ enterpriseId, rows: order.subarray(counts[e], counts[e + 1]) }))
      .sort((a, b) => (a.enterpriseId < b.enterpriseId ? -1 : a.enterpriseId > b.enterpriseId ? 1 : 0));
  }

  /** How often each raw published name occurs among the rows. */
  namesOf(rows: Int32Array): Map<string, number> {
    return tallyOf(rows, this.rawName, this.names);
  }

  industriesOf(rows: Int32Array): Map<string, number> {
    return tallyOf(rows, this.industry, this.industries);
  }

  private grow(): void {
    const capacity = this.enterprise.length * 2;
    const grown = <T extends Int32Array | Uint8Array | Float64Array>(array: T): T => {
      const next = new (array.constructor as new (n: number) => T)(capacity);
      next.set(array);
      return next;
    };
    this.enterprise = grown(this.enterprise);
    this.day = grown(this.day);
    this.source = grown(this.source);
    this.flags = grown(this.flags);
    this.satisfaction = grown(this.satisfaction);
    this.delay = grown(this.delay);
    this.rawName = grown(this.rawName);
    this.industry = grown(this.industry);
  }
}

function intern(values: string[], index: Map<string, number>, value: string): number {
  let i = index.get(value);
  if (i === undefined) {
    i = values.length;
    values.push(value);
    index.set(value, i);
  }
  return i;
}

function tallyOf(rows: Int32Array, column: Int32Array, values: readonly string[]): Map<string, number> {
  const tally = new Map<string, number>();
  for (const i of rows) {
    if (column[i] < 0) continue;
    const value = values[column[i]];
    tally.set(value, (tally.get(value) ?? 0) + 1);
  }
  return tally;
}

/**
 * Which shard of a parallel rebuild an enterprise belongs to, computed by SQLite itself so rows of
 * other shards are skipped before they become JavaScript values. Every listing of an enterprise
 * lands in the same shard; the last characters of ids (hex digests, digits) spread them evenly.
 */
const SHARD_OF_ENTERPRISE = '(unicode(substr(enterprise_id, -1)) + 7 * unicode(substr(enterprise_id, -2, 1)) + 31 * length(enterprise_id))';

/**
 * Reads ingestion's `listings` table once in storage order: no ORDER BY (sorting 10M rows is most
 * of what a grouped scan costs) and rows as arrays (cheaper than an object per row). With `shard`,
 * only the listings of that shard's enterprises.
 */
export function scanListings(
  db: DatabaseSync,
  onPhase: (phase: string, ms: number) => void = () => {},
  shard?: { shard: number; shards: number },
): ListingColumns {
  const started = performance.now();
  const columns = new ListingColumns();
  const statement = db.prepare(
    `SELECT enterprise_id, enterprise_name, industry, source, status, created_at, replied_at, completed_at, satisfaction FROM listings
     ${shard ? `WHERE ${SHARD_OF_ENTERPRISE} % ${Math.trunc(shard.shards)} = ${Math.trunc(shard.shard)}` : ''}`,
  );
  statement.setReturnArrays(true);
  for (const row of statement.iterate() as Iterable<unknown[]>) {
    columns.add(
      {
        enterpriseId: row[0] as string,
        source: row[3] as ListingSource,
        status: row[4] as ListingStatus,
        createdAt: Number(row[5]),
        repliedAt: row[6] === null ? null : Number(row[6]),
        completedAt: row[7] === null ? null : Number(row[7]),
        satisfaction: row[8] === null ? null : Number(row[8]),
      },
      row[1] as string,
      row[2] as string | null,
    );
  }
  onPhase(`read ${columns.length.toLocaleString('en')} listings in storage order`, performance.now() - started);
  return columns;
}
