import { cleanDisplayName } from '../../../platform/enterprise/identity.ts';
import type { ListingChange, ListingRecord } from './listing.ts';
import { contributionOf, type ListingContribution } from './statistics.ts';

/**
 * Which contributions a batch of listing changes moves, netted before any store is touched: a
 * status change is one contribution out and one in, and a name, industry or source day that did
 * not change costs nothing. Both rollup adapters (SQLite and MongoDB) apply what this returns, so
 * they agree on what a batch changed. Pure: no I/O.
 */

/** How many listings carry each value (a published name or an industry); netted, so a count may be negative. */
export type ValueCounts = Map<string, number>;

/** The contributions an enterprise loses and gains in a batch. */
export interface ContributionMoves {
  removed: ListingContribution[];
  added: ListingContribution[];
}

export interface NettedChanges {
  /** Per enterprise, the contributions that moved (a change whose contribution stayed the same is in neither list). */
  moved: Map<string, ContributionMoves>;
  /** Net complaints per (source, CST day); days that netted to zero are left out. */
  sourceDays: Array<{ source: string; day: number; n: number }>;
  /**
   * Per enterprise, the net change of its name and industry counts; values that netted to zero
   * are left out, and so are enterprises left with no change (a status change nets to nothing).
   */
  counts: Map<string, { names: ValueCounts; industries: ValueCounts }>;
  /**
   * The contribution each listing whose contribution moved has after the batch (its last change
   * wins), keyed by `listingKey`: a store that keeps one row per listing writes this.
   */
  latest: Map<string, ListingContribution>;
}

/** A listing's identity across its changes. */
export function listingKey(c: Pick<ListingContribution, 'source' | 'externalId'>): string {
  return `${c.source}:${c.externalId}`;
}

/** Whether two contributions count the same in every rollup (the listing itself is not compared). */
export function sameContribution(a: ListingContribution, b: ListingContribution): boolean {
  return (
    a.enterpriseId === b.enterpriseId &&
    a.source === b.source &&
    a.day === b.day &&
    a.replied === b.replied &&
    a.completed === b.completed &&
    a.replyDelayMs === b.replyDelayMs &&
    a.satisfaction === b.satisfaction
  );
}

export function netListingChanges(changes: readonly ListingChange[]): NettedChanges {
  const moved = new Map<string, ContributionMoves>();
  const sourceDays = new Map<string, { source: string; day: number; n: number }>();
  const counts = new Map<string, { names: ValueCounts; industries: ValueCounts }>();
  const latest = new Map<string, ListingContribution>();
  const add = (tally: ValueCounts, key: string, n: number) => tally.set(key, (tally.get(key) ?? 0) + n);
  const tally = (c: ListingContribution, record: ListingRecord, sign: 1 | -1) => {
    const sourceKey = `${c.source}\u0000${c.day}`;
    const sourceDay = sourceDays.get(sourceKey) ?? { source: c.source, day: c.day, n: 0 };
    sourceDay.n += sign;
    sourceDays.set(sourceKey, sourceDay);
    let own = counts.get(c.enterpriseId);
    if (!own) {
      own = { names: new Map(), industries: new Map() };
      counts.set(c.enterpriseId, own);
    }
    add(own.names, cleanDisplayName(record.enterpriseName), sign);
    if (record.industry !== null) add(own.industries, record.industry, sign);
  };
  const movesOf = (enterpriseId: string) => {
    let entry = moved.get(enterpriseId);
    if (!entry) {
      entry = { removed: [], added: [] };
      moved.set(enterpriseId, entry);
    }
    return entry;
  };
  for (const change of changes) {
    const after = contributionOf(change.after);
    const before = change.before ? contributionOf(change.before) : null;
    if (change.before && before && sameContribution(before, after)) {
      // Only the name or industry may have changed: the contributions stay as they are.
      if (
        change.before.enterpriseName === change.after.enterpriseName &&
        change.before.industry === change.after.industry
      )
        continue;
    } else {
      if (before) movesOf(before.enterpriseId).removed.push(before);
      movesOf(after.enterpriseId).added.push(after);
      latest.set(listingKey(after), after);
    }
    if (change.before && before) tally(before, change.before, -1);
    tally(after, change.after, 1);
  }
  for (const [enterpriseId, own] of counts) {
    for (const values of [own.names, own.industries])
      for (const [value, n] of values) if (n === 0) values.delete(value);
    if (!own.names.size && !own.industries.size) counts.delete(enterpriseId);
  }
  return { moved, sourceDays: [...sourceDays.values()].filter(({ n }) => n !== 0), counts, latest };
}
