import { cleanDisplayName } from '../../../platform/enterprise/identity.ts';
import { applyToYear, profileWindows, type YearProfile } from '../domain/profile.ts';
import type { ListingContribution } from '../domain/statistics.ts';
import { yearOfDay } from '../domain/windows.ts';
import type { EnterpriseListings } from './listings-sqlite-by-enterprise.ts';
import { topOf } from './rollups-sqlite-enterprise-counts.ts';
import { encodeWindows, encodeYear } from './rollups-sqlite-profile-codec.ts';

/**
 * What a rebuild computes for each enterprise, ready to insert: shared by the rebuild in the
 * calling thread and by the worker threads of the parallel rebuild (rollups-sqlite-rebuild-worker.ts), so both
 * write identical rows. No I/O here.
 */

/** Every row a rebuild writes for one enterprise. Plain data: it crosses from worker threads. */
export interface EnterpriseRollup {
  enterpriseId: string;
  name: string;
  industry: string | null;
  listings: number;
  names: Array<[string, number]>;
  industries: Array<[string, number]>;
  years: Array<[number, Uint8Array]>;
  /** The rolling windows, encoded (encodeWindows). */
  windows: Uint8Array;
}

/**
 * Everything a rebuild writes for one enterprise, as of CST day `today`. Each year's buckets are
 * added to `sourceDays` (complaints per day × 16 + source code): the per-source daily totals.
 */
export function enterpriseRollup(
  listings: EnterpriseListings,
  today: number,
  sourceDays: Map<number, number>,
): EnterpriseRollup {
  const perYear = new Map<number, ListingContribution[]>();
  for (const c of listings.contributions) {
    const year = yearOfDay(c.day);
    const list = perYear.get(year);
    if (list) list.push(c);
    else perYear.set(year, [c]);
  }
  const profile: YearProfile[] = [];
  const years: Array<[number, Uint8Array]> = [];
  for (const [year, contributions] of [...perYear].sort(([a], [b]) => a - b)) {
    const built = applyToYear(year, null, [], contributions);
    if (!built) continue;
    years.push([year, encodeYear(built.buckets, built.delays)]);
    profile.push(built);
    for (const b of built.buckets) {
      const key = b.day * 16 + b.source;
      sourceDays.set(key, (sourceDays.get(key) ?? 0) + b.complaints);
    }
  }
  const names = new Map<string, number>();
  for (const [raw, n] of listings.names) {
    const name = cleanDisplayName(raw);
    names.set(name, (names.get(name) ?? 0) + n);
  }
  return {
    enterpriseId: listings.enterpriseId,
    name: topOf(names) ?? listings.enterpriseId,
    industry: topOf(listings.industries),
    listings: listings.contributions.length,
    names: [...names],
    industries: [...listings.industries],
    years,
    windows: encodeWindows(profileWindows(profile, today)),
  };
}
