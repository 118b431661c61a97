import { type ContributionMoves, netListingChanges, type ValueCounts } from '../domain/change-netting.ts';
import type { ListingChange } from '../domain/listing.ts';
import {
  applyToYear,
  profileWindows,
  type RangeFigures,
  shiftWindows,
  windowsWithMovedDelays,
  type YearProfile,
} from '../domain/profile.ts';
import type { ListingContribution } from '../domain/statistics.ts';
import { yearOfDay } from '../domain/windows.ts';
import { decodeCounts, encodeCounts, topOf } from './rollups-sqlite-enterprise-counts.ts';
import { decodeWindows, encodeWindows, encodeYear } from './rollups-sqlite-profile-codec.ts';
import type { RollupTables, SummaryRow, YearRow } from './rollups-sqlite-tables.ts';

/**
 * The write path of the SQLite rollups: applies a batch of listing changes, netted by the domain
 * (domain/change-netting.ts), to each touched enterprise's years, summary row and windows. Runs
 * inside the caller's transaction.
 */
export function createChangeApplier(t: RollupTables): (changes: ListingChange[]) => void {
  /**
   * Applies a batch's net name and industry counts to an enterprise's summary row, recomputes its
   * top name and industry and its listing count (every listing carries one published name, so the
   * name counts sum to it), and stores `windows` with them. An enterprise left without listings is
   * removed.
   */
  function writeSummary(
    enterpriseId: string,
    row: SummaryRow | undefined,
    delta: { names: ValueCounts; industries: ValueCounts },
    windows: Uint8Array | null,
  ): void {
    const names = decodeCounts(row?.name_counts ?? '[]');
    const industries = decodeCounts(row?.industry_counts ?? '[]');
    for (const [name, n] of delta.names) {
      const before = names.get(name) ?? 0;
      names.set(name, before + n);
      if (before <= 0 && before + n > 0) t.insertAlias.run(enterpriseId, name);
      else if (before > 0 && before + n <= 0) t.deleteAlias.run(enterpriseId, name);
    }
    for (const [industry, n] of delta.industries) industries.set(industry, (industries.get(industry) ?? 0) + n);
    for (const counts of [names, industries]) for (const [value, n] of counts) if (n <= 0) counts.delete(value);
    const listings = [...names.values()].reduce((a, b) => a + b, 0);
    if (listings <= 0) {
      t.deleteEnterprise.run(enterpriseId);
      t.deleteAliases.run(enterpriseId);
      return;
    }
    t.upsertEnterprise.run(
      enterpriseId,
      topOf(names) ?? enterpriseId,
      topOf(industries),
      listings,
      encodeCounts(names),
      encodeCounts(industries),
      windows,
    );
  }

  /**
   * Applies an enterprise's moved contributions to its years and returns its windows after them,
   * encoded (null while no day is materialised). Counts move by the contributions themselves, so
   * only the years they fall in are read, unless a median moved or the enterprise has no windows
   * yet: then its whole profile is.
   */
  function applyMoves(
    enterpriseId: string,
    moves: ContributionMoves,
    windowsBefore: RangeFigures[] | null,
    today: number | null,
  ): Uint8Array | null {
    const { removed, added } = moves;
    const touched = new Map<number, ContributionMoves>();
    const touch = (c: ListingContribution) => {
      const year = yearOfDay(c.day);
      let entry = touched.get(year);
      if (!entry) {
        entry = { removed: [], added: [] };
        touched.set(year, entry);
      }
      return entry;
    };
    for (const c of removed) touch(c).removed.push(c);
    for (const c of added) touch(c).added.push(c);
    const wholeProfile =
      today !== null && (windowsBefore === null || windowsWithMovedDelays(removed, added, today).length > 0);
    const touchedYears = [...touched.keys()];
    const rows = wholeProfile
      ? t.selectYears.all(enterpriseId)
      : t.selectYearsIn.all(enterpriseId, Math.min(...touchedYears), Math.max(...touchedYears));
    const years = new Map<number, YearProfile>(
      (rows as unknown as YearRow[]).map((row) => [Number(row.year), t.decodeRow(row)]),
    );
    for (const [year, delta] of touched) {
      const next = applyToYear(year, years.get(year) ?? null, delta.removed, delta.added);
      if (next) {
        t.upsertYear.run(enterpriseId, year, encodeYear(next.buckets, next.delays));
        years.set(year, next);
      } else {
        t.deleteYear.run(enterpriseId, year);
        years.delete(year);
      }
    }
    if (today === null) return null;
    const profile = wholeProfile ? [...years.values()].sort((a, b) => a.year - b.year) : null;
    // Without windows before, the whole profile was read (wholeProfile): `profile` is never null there.
    return encodeWindows(
      windowsBefore
        ? shiftWindows(windowsBefore, removed, added, today, profile)
        : profileWindows(profile ?? [], today),
    );
  }

  return function applyChanges(changes: ListingChange[]): void {
    t.local.version++;
    const { moved, sourceDays, counts } = netListingChanges(changes);
    for (const { source, day, n } of sourceDays) {
      t.upsertSourceDay.run(source, day, n);
      if (n < 0) t.pruneSourceDay.run(source, day);
    }
    const today = t.asOfDay();
    const touched = new Set([...moved.keys(), ...counts.keys()]);
    for (const enterpriseId of touched) {
      const row = t.selectSummary.get(enterpriseId) as SummaryRow | undefined;
      const moves = moved.get(enterpriseId);
      const stored = row?.windows ?? null;
      const windows = moves ? applyMoves(enterpriseId, moves, stored ? decodeWindows(stored) : null, today) : stored;
      const delta = counts.get(enterpriseId);
      if (delta) writeSummary(enterpriseId, row, delta, windows);
      else if (row && windows) t.updateWindows.run(windows, enterpriseId);
    }
    t.logChanges.run(JSON.stringify([...touched]));
    t.pruneLog.run();
  };
}
