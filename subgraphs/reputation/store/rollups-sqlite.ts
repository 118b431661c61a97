import { availableParallelism } from 'node:os';
import type { DatabaseSync } from 'node:sqlite';
import { migrate, transaction } from '../../../platform/store/sqlite.ts';
import { inTransaction } from '../../../platform/store/transaction.ts';
import { runWorkers } from '../../../platform/workers.ts';
import { cleanDisplayName } from '../../../platform/enterprise/identity.ts';
import { netListingChanges, type ContributionMoves } from '../domain/change-netting.ts';
import { LISTING_SOURCE_CODES, type ListingChange, type ListingRecord } from '../domain/listing.ts';
import {
  applyToYear,
  figuresInRange,
  profileWindows,
  shiftWindows,
  sourceName,
  sourcesInRange,
  windowsWithMovedDelays,
  type YearProfile,
  type RangeFigures,
} from '../domain/profile.ts';
import { RankingIndex, type RankableRow } from '../domain/ranking-index.ts';
import type { RankPosition } from '../domain/rankings.ts';
import { computeStats, contributionOf, type ListingContribution } from '../domain/statistics.ts';
import { REPUTATION_WINDOWS, cstDay, yearOfDay, type DayRange } from '../domain/windows.ts';
import { decodeCounts, encodeCounts, topOf, type ValueCounts } from './rollups-sqlite-enterprise-counts.ts';
import { LISTINGS_COMPONENT, LISTINGS_MIGRATIONS } from './listings-sqlite.ts';
import {
  enterpriseRanges,
  groupListingsByEnterprise,
  readListingsByEnterprise,
  type EnterpriseListings,
} from './listings-sqlite-by-enterprise.ts';
import type { RebuildRangeMessage, RebuildRangeRequest } from './rollups-sqlite-rebuild-worker.ts';
import type { WindowRollMessage, WindowRollRequest } from './rollups-sqlite-day-roll-worker.ts';
import { enterpriseRollup, type EnterpriseRollup } from './rollups-sqlite-enterprise-rollup.ts';
import { decodeWindows, decodeYear, encodeWindows, encodeYear, sameBytes } from './rollups-sqlite-profile-codec.ts';
import type {
  EnterpriseRangeStats,
  EnterpriseSummary,
  PeriodRow,
  RankingPage,
  RankingRequest,
  RollupReader,
} from './rollups.ts';

export const STATS_COMPONENT = 'reputation.stats';

/** Append only: each entry is one schema version of the `reputation.stats` component. */
export const STATS_MIGRATIONS: readonly string[] = [
  `CREATE TABLE rep_stats_daily (
     enterprise_id TEXT NOT NULL,
     day INTEGER NOT NULL,
     source TEXT NOT NULL,
     complaints INTEGER NOT NULL,
     replied INTEGER NOT NULL,
     completed INTEGER NOT NULL,
     sat_sum REAL NOT NULL,
     sat_count INTEGER NOT NULL,
     PRIMARY KEY (enterprise_id, day, source)
   ) WITHOUT ROWID;
   CREATE TABLE rep_stats_reply_delays (
     source TEXT NOT NULL,
     external_id TEXT NOT NULL,
     enterprise_id TEXT NOT NULL,
     day INTEGER NOT NULL,
     reply_ms INTEGER NOT NULL,
     PRIMARY KEY (source, external_id)
   ) WITHOUT ROWID;
   CREATE INDEX rep_stats_reply_delays_window ON rep_stats_reply_delays (enterprise_id, day, reply_ms);
   CREATE INDEX rep_stats_reply_delays_order ON rep_stats_reply_delays (enterprise_id, reply_ms);
   CREATE TABLE rep_stats_source_daily (
     source TEXT NOT NULL,
     day INTEGER NOT NULL,
     complaints INTEGER NOT NULL,
     PRIMARY KEY (source, day)
   ) WITHOUT ROWID;
   CREATE TABLE rep_enterprise_names (
     enterprise_id TEXT NOT NULL,
     name TEXT NOT NULL,
     listings INTEGER NOT NULL,
     PRIMARY KEY (enterprise_id, name)
   ) WITHOUT ROWID;
   CREATE INDEX rep_enterprise_names_name ON rep_enterprise_names (name);
   CREATE TABLE rep_enterprise_industries (
     enterprise_id TEXT NOT NULL,
     industry TEXT NOT NULL,
     listings INTEGER NOT NULL,
     PRIMARY KEY (enterprise_id, industry)
   ) WITHOUT ROWID;
   CREATE TABLE rep_enterprises (
     enterprise_id TEXT PRIMARY KEY,
     name TEXT NOT NULL,
     industry TEXT,
     listings INTEGER NOT NULL
   ) WITHOUT ROWID;
   CREATE TABLE rep_stats_window (
     window TEXT NOT NULL,
     enterprise_id TEXT NOT NULL,
     industry TEXT,
     complaints INTEGER NOT NULL,
     replied INTEGER NOT NULL,
     completed INTEGER NOT NULL,
     sat_sum REAL NOT NULL,
     sat_count INTEGER NOT NULL,
     reply_rate REAL NOT NULL,
     completion_rate REAL NOT NULL,
     wilson REAL NOT NULL,
     median_reply_hours REAL,
     reply_sample INTEGER NOT NULL,
     sat_mean REAL,
     PRIMARY KEY (window, enterprise_id)
   ) WITHOUT ROWID;
   CREATE INDEX rep_stats_window_wilson ON rep_stats_window (window, industry, wilson, enterprise_id);
   CREATE INDEX rep_stats_window_reply ON rep_stats_window (window, industry, reply_rate, enterprise_id);
   CREATE INDEX rep_stats_window_completion ON rep_stats_window (window, industry, completion_rate, enterprise_id);
   CREATE INDEX rep_stats_window_complaints ON rep_stats_window (window, industry, complaints, enterprise_id);
   CREATE INDEX rep_stats_window_median ON rep_stats_window (window, industry, median_reply_hours, enterprise_id);
   CREATE INDEX rep_stats_window_satisfaction ON rep_stats_window (window, industry, sat_mean, enterprise_id);
   CREATE TABLE rep_stats_state (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;`,
  // Month lists and industry totals select an industry's enterprises.
  'CREATE INDEX rep_enterprises_industry ON rep_enterprises (industry, enterprise_id);',
  // The ALL_TIME median walks this index to the middle: with `day` in it, the walk never leaves the index.
  `DROP INDEX rep_stats_reply_delays_order;
   CREATE INDEX rep_stats_reply_delays_order ON rep_stats_reply_delays (enterprise_id, reply_ms, day);`,
  // With complaints in them, the metric indexes answer "how many qualify / rank ahead" without
  // touching the table: counts over an industry of thousands stay index-only range scans.
  `DROP INDEX rep_stats_window_wilson;
   DROP INDEX rep_stats_window_reply;
   DROP INDEX rep_stats_window_completion;
   DROP INDEX rep_stats_window_complaints;
   DROP INDEX rep_stats_window_median;
   DROP INDEX rep_stats_window_satisfaction;
   CREATE INDEX rep_stats_window_wilson ON rep_stats_window (window, industry, wilson, enterprise_id, complaints);
   CREATE INDEX rep_stats_window_reply ON rep_stats_window (window, industry, reply_rate, enterprise_id, complaints);
   CREATE INDEX rep_stats_window_completion ON rep_stats_window (window, industry, completion_rate, enterprise_id, complaints);
   CREATE INDEX rep_stats_window_complaints ON rep_stats_window (window, industry, complaints, enterprise_id);
   CREATE INDEX rep_stats_window_median ON rep_stats_window (window, industry, median_reply_hours, enterprise_id, complaints);
   CREATE INDEX rep_stats_window_satisfaction ON rep_stats_window (window, industry, sat_mean, enterprise_id, complaints);`,
  // One row per (enterprise, CST year) holding its daily buckets and sorted reply delays in one
  // blob (rollups-sqlite-profile-codec.ts) replaces a row per bucket and per delay (~1.6 rows per listing at 10M
  // listings): a rebuild writes ~30x fewer rows and a batch rewrites one row per enterprise
  // instead of updating four B-trees per listing. Window rows lose their six metric indexes.
  // The rollups are derived data: they are cleared here and rebuilt from the listings on open.
  `DROP TABLE rep_stats_daily;
   DROP TABLE rep_stats_reply_delays;
   CREATE TABLE rep_stats_years (
     enterprise_id TEXT NOT NULL,
     year INTEGER NOT NULL,
     profile BLOB NOT NULL
   );
   -- A rowid table plus a small key index, not WITHOUT ROWID: rows of a few KB would sit in the
   -- interior pages of a WITHOUT ROWID tree and cut its fan-out to a handful.
   CREATE UNIQUE INDEX rep_stats_years_key ON rep_stats_years (enterprise_id, year);
   -- Keyed by enterprise first: an update reads an enterprise's five windows from one leaf.
   DROP TABLE rep_stats_window;
   CREATE TABLE rep_stats_window (
     window TEXT NOT NULL,
     enterprise_id TEXT NOT NULL,
     industry TEXT,
     complaints INTEGER NOT NULL,
     replied INTEGER NOT NULL,
     completed INTEGER NOT NULL,
     sat_sum REAL NOT NULL,
     sat_count INTEGER NOT NULL,
     reply_rate REAL NOT NULL,
     completion_rate REAL NOT NULL,
     wilson REAL NOT NULL,
     median_reply_hours REAL,
     reply_sample INTEGER NOT NULL,
     sat_mean REAL,
     PRIMARY KEY (enterprise_id, window)
   ) WITHOUT ROWID;
   -- Rankings are served from memory (domain/ranking-index.ts): metric indexes here cost most of
   -- the pages every statistics update wrote. Readers follow writers, in this process or another,
   -- through this log of enterprises whose rows changed; a NULL entry means "reload everything".
   CREATE TABLE rep_stats_window_log (seq INTEGER PRIMARY KEY AUTOINCREMENT, enterprise_id TEXT);
   INSERT INTO rep_stats_window_log (enterprise_id) VALUES (NULL);
   DELETE FROM rep_stats_source_daily;
   DELETE FROM rep_enterprise_names;
   DELETE FROM rep_enterprise_industries;
   DELETE FROM rep_enterprises;
   DELETE FROM rep_stats_state;
   INSERT INTO rep_stats_state (key, value) VALUES ('rebuild_required', '1');`,
  // An enterprise's name and industry counts move into its own row (JSON arrays of [value, count]
  // pairs, sorted by value): a batch of new complaints then rewrites one summary page per
  // enterprise instead of three (about a quarter of the pages such a batch wrote at 10M
  // listings). The names stay listed, without counts, as aliases for search.
  `ALTER TABLE rep_enterprises ADD COLUMN name_counts TEXT NOT NULL DEFAULT '[]';
   ALTER TABLE rep_enterprises ADD COLUMN industry_counts TEXT NOT NULL DEFAULT '[]';
   UPDATE rep_enterprises SET
     name_counts = (SELECT json_group_array(json_array(name, listings)) FROM
       (SELECT name, listings FROM rep_enterprise_names n WHERE n.enterprise_id = rep_enterprises.enterprise_id AND listings > 0 ORDER BY name)),
     industry_counts = (SELECT json_group_array(json_array(industry, listings)) FROM
       (SELECT industry, listings FROM rep_enterprise_industries i WHERE i.enterprise_id = rep_enterprises.enterprise_id AND listings > 0 ORDER BY industry));
   CREATE TABLE rep_enterprise_aliases (
     enterprise_id TEXT NOT NULL,
     name TEXT NOT NULL,
     PRIMARY KEY (enterprise_id, name)
   ) WITHOUT ROWID;
   INSERT INTO rep_enterprise_aliases (enterprise_id, name) SELECT enterprise_id, name FROM rep_enterprise_names WHERE listings > 0;
   CREATE INDEX rep_enterprise_aliases_name ON rep_enterprise_aliases (name);
   DROP TABLE rep_enterprise_names;
   DROP TABLE rep_enterprise_industries;`,
  // An enterprise's five rolling windows move into its summary row, as one blob of counts and
  // medians (rollups-sqlite-profile-codec.ts): a batch then writes one page per enterprise for its summary and
  // windows instead of two, and one row instead of six. Rankings take the industry from the
  // summary, so a change of industry no longer rewrites windows. The windows are materialised
  // again from the years (kept) on the next read: forgetting the day makes it refresh them.
  `ALTER TABLE rep_enterprises ADD COLUMN windows BLOB;
   DROP TABLE rep_stats_window;
   DELETE FROM rep_stats_state WHERE key = 'as_of_day';
   INSERT INTO rep_stats_window_log (enterprise_id) VALUES (NULL);`,
];

/** Past a handful of reading threads, the one thread that writes every row becomes the limit. */
const MAX_REBUILD_WORKERS = 8;

/**
 * From this many enterprises the day roll runs on worker threads: below it, rolling in this thread
 * is quicker than starting them (10,000 enterprises rolled in 0.7 s here, in this thread).
 */
const OFF_THREAD_ROLL_FROM = 5_000;

export interface SqliteRollupOptions {
  /** From this many enterprises `ensureCurrent` rolls the day on worker threads (default OFF_THREAD_ROLL_FROM). */
  offThreadRollFrom?: number;
  /** Told when the roll on worker threads failed and the day is rolled in this thread instead. */
  onRollFallback?: (error: unknown) => void;
}

/** Log entries kept: a reader further behind than this reloads every ranking instead. */
const WINDOW_LOG_KEPT = 200_000;

/** Told how long each rebuild phase took (the benchmark reports where the cost goes). */
export type RebuildPhaseListener = (phase: string, ms: number) => void;

export interface SqliteRollups extends RollupReader {
  /** Applies a write's changes. Call it INSIDE the caller's transaction (ingestion's `onChanges`). */
  applyChanges(changes: ListingChange[]): void;
  /** Same, in a transaction of its own (seeding, tests). */
  applyChangesInTransaction(changes: ListingChange[]): void;
  /**
   * Recomputes every rollup from raw listings, in one transaction: from `records` when given,
   * else from the ingestion `listings` table in the same database.
   */
  rebuild(asOf: number, records?: Iterable<ListingRecord>, onPhase?: RebuildPhaseListener): void;
  /** The rebuild from the `listings` table on worker threads (one per core, at most 8, unless told); see the function. */
  rebuildFromListings(asOf: number, options?: { workers?: number; onPhase?: RebuildPhaseListener }): Promise<void>;
  /** Re-materialises every rolling window as of the CST day of `asOf`, in this thread (call it inside a transaction). */
  refreshWindows(asOf: number): void;
  /**
   * The same day roll without blocking this thread for it: worker threads recompute the windows
   * from a snapshot, and one short transaction writes them (see the function). `onSnapshot` runs
   * once every worker holds its snapshot (tests write through it to race the roll).
   */
  rollWindows(asOf: number, options?: { workers?: number; onSnapshot?: () => void }): Promise<void>;
  /** The CST day the materialised windows end on, null before the first refresh. */
  asOfDay(): number | null;
}

/** Writes through any rollups object on one connection, shared so every cache on it sees them. */
const writeCounters = new WeakMap<DatabaseSync, { version: number }>();
function writesOn(db: DatabaseSync): { version: number } {
  let counter = writeCounters.get(db);
  if (!counter) writeCounters.set(db, (counter = { version: 0 }));
  return counter;
}

interface YearRow {
  year: number;
  profile: Uint8Array;
}

export function createSqliteRollups(db: DatabaseSync, options: SqliteRollupOptions = {}): SqliteRollups {
  migrate(db, STATS_COMPONENT, STATS_MIGRATIONS);
  // Rebuilds read the listings through their covering index: an existing listings table is brought
  // to its current schema first, whichever store opened the database.
  const listingsTable =
    db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'listings'").get() !== undefined;
  if (listingsTable) migrate(db, LISTINGS_COMPONENT, LISTINGS_MIGRATIONS);

  const selectYears = db.prepare('SELECT year, profile FROM rep_stats_years WHERE enterprise_id = ? ORDER BY year');
  const selectYearsIn = db.prepare(
    'SELECT year, profile FROM rep_stats_years WHERE enterprise_id = ? AND year BETWEEN ? AND ? ORDER BY year',
  );
  const upsertYear = db.prepare(
    `INSERT INTO rep_stats_years (enterprise_id, year, profile) VALUES (?, ?, ?)
     ON CONFLICT (enterprise_id, year) DO UPDATE SET profile = excluded.profile`,
  );
  const deleteYear = db.prepare('DELETE FROM rep_stats_years WHERE enterprise_id = ? AND year = ?');
  const upsertSourceDay = db.prepare(
    `INSERT INTO rep_stats_source_daily (source, day, complaints) VALUES (?, ?, ?)
     ON CONFLICT (source, day) DO UPDATE SET complaints = complaints + excluded.complaints`,
  );
  const pruneSourceDay = db.prepare(
    'DELETE FROM rep_stats_source_daily WHERE source = ? AND day = ? AND complaints <= 0',
  );
  const selectSummary = db.prepare(
    'SELECT name_counts, industry_counts, windows FROM rep_enterprises WHERE enterprise_id = ?',
  );
  const upsertEnterprise = db.prepare(
    `INSERT INTO rep_enterprises (enterprise_id, name, industry, listings, name_counts, industry_counts, windows) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (enterprise_id) DO UPDATE SET name = excluded.name, industry = excluded.industry, listings = excluded.listings,
       name_counts = excluded.name_counts, industry_counts = excluded.industry_counts, windows = excluded.windows`,
  );
  const updateWindows = db.prepare('UPDATE rep_enterprises SET windows = ? WHERE enterprise_id = ?');
  const selectAllWindows = db.prepare('SELECT enterprise_id, windows FROM rep_enterprises');
  const insertAlias = db.prepare('INSERT OR IGNORE INTO rep_enterprise_aliases (enterprise_id, name) VALUES (?, ?)');
  const deleteAlias = db.prepare('DELETE FROM rep_enterprise_aliases WHERE enterprise_id = ? AND name = ?');
  const deleteAliases = db.prepare('DELETE FROM rep_enterprise_aliases WHERE enterprise_id = ?');
  const deleteEnterprise = db.prepare('DELETE FROM rep_enterprises WHERE enterprise_id = ?');
  const readState = db.prepare("SELECT value FROM rep_stats_state WHERE key = 'as_of_day'");
  const writeState = db.prepare(
    "INSERT INTO rep_stats_state (key, value) VALUES ('as_of_day', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
  );

  const local = writesOn(db);
  const dataVersion = db.prepare('PRAGMA data_version');
  /** Changes when anything wrote to the database: this connection (local version) or another one. */
  const writeVersion = () => `${(dataVersion.get() as { data_version: number }).data_version}:${local.version}`;
  const logChange = db.prepare('INSERT INTO rep_stats_window_log (enterprise_id) VALUES (?)');
  const logChanges = db.prepare('INSERT INTO rep_stats_window_log (enterprise_id) SELECT value FROM json_each(?)');
  const pruneLog = db.prepare(
    `DELETE FROM rep_stats_window_log WHERE seq <= (SELECT MAX(seq) FROM rep_stats_window_log) - ${WINDOW_LOG_KEPT}`,
  );

  const asOfDay = (): number | null => {
    const row = readState.get() as { value: string } | undefined;
    return row ? Number(row.value) : null;
  };

  const decodeRow = (row: YearRow): YearProfile => ({ year: Number(row.year), ...decodeYear(row.profile) });
  const profileOf = (enterpriseId: string): YearProfile[] =>
    (selectYears.all(enterpriseId) as unknown as YearRow[]).map(decodeRow);
  const profileIn = (enterpriseId: string, range: DayRange): YearProfile[] =>
    (selectYearsIn.all(enterpriseId, yearOfDay(range.fromDay), yearOfDay(range.toDay)) as unknown as YearRow[]).map(
      decodeRow,
    );

  interface SummaryRow {
    name_counts: string;
    industry_counts: string;
    windows: Uint8Array | null;
  }

  /**
   * Applies a batch's net name and industry counts to an enterprise's summary row, recomputes its
   * top name and industry and its listing count (every listing carries one published name, so the
   * name counts sum to it), and stores `windows` with them. An enterprise left without listings is removed.
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
      if (before <= 0 && before + n > 0) insertAlias.run(enterpriseId, name);
      else if (before > 0 && before + n <= 0) deleteAlias.run(enterpriseId, name);
    }
    for (const [industry, n] of delta.industries) industries.set(industry, (industries.get(industry) ?? 0) + n);
    for (const counts of [names, industries]) for (const [value, n] of counts) if (n <= 0) counts.delete(value);
    const listings = [...names.values()].reduce((a, b) => a + b, 0);
    if (listings <= 0) {
      deleteEnterprise.run(enterpriseId);
      deleteAliases.run(enterpriseId);
      return;
    }
    upsertEnterprise.run(
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
    const touched = new Map<number, { removed: ListingContribution[]; added: ListingContribution[] }>();
    const touch = (c: ListingContribution) => {
      const year = yearOfDay(c.day);
      let entry = touched.get(year);
      if (!entry) touched.set(year, (entry = { removed: [], added: [] }));
      return entry;
    };
    for (const c of removed) touch(c).removed.push(c);
    for (const c of added) touch(c).added.push(c);
    const wholeProfile =
      today !== null && (windowsBefore === null || windowsWithMovedDelays(removed, added, today).length > 0);
    const touchedYears = [...touched.keys()];
    const rows = wholeProfile
      ? selectYears.all(enterpriseId)
      : selectYearsIn.all(enterpriseId, Math.min(...touchedYears), Math.max(...touchedYears));
    const years = new Map((rows as unknown as YearRow[]).map((row) => [Number(row.year), decodeRow(row)]));
    for (const [year, delta] of touched) {
      const next = applyToYear(year, years.get(year) ?? null, delta.removed, delta.added);
      if (next) {
        upsertYear.run(enterpriseId, year, encodeYear(next.buckets, next.delays));
        years.set(year, next);
      } else {
        deleteYear.run(enterpriseId, year);
        years.delete(year);
      }
    }
    if (today === null) return null;
    const profile = wholeProfile ? [...years.values()].sort((a, b) => a.year - b.year) : null;
    return encodeWindows(
      windowsBefore ? shiftWindows(windowsBefore, removed, added, today, profile) : profileWindows(profile!, today),
    );
  }

  function applyChanges(changes: ListingChange[]): void {
    local.version++;
    const { moved, sourceDays, counts } = netListingChanges(changes);
    for (const { source, day, n } of sourceDays) {
      upsertSourceDay.run(source, day, n);
      if (n < 0) pruneSourceDay.run(source, day);
    }
    const today = asOfDay();
    const touched = new Set([...moved.keys(), ...counts.keys()]);
    for (const enterpriseId of touched) {
      const row = selectSummary.get(enterpriseId) as SummaryRow | undefined;
      const moves = moved.get(enterpriseId);
      const stored = row?.windows ?? null;
      const windows = moves ? applyMoves(enterpriseId, moves, stored ? decodeWindows(stored) : null, today) : stored;
      const delta = counts.get(enterpriseId);
      if (delta) writeSummary(enterpriseId, row, delta, windows);
      else if (row && windows) updateWindows.run(windows, enterpriseId);
    }
    logChanges.run(JSON.stringify([...touched]));
    pruneLog.run();
  }

  /** Re-materialises every enterprise's rolling windows as of the CST day of `asOf`, rewriting only what moved. */
  function refreshWindows(asOf: number): void {
    local.version++;
    const today = cstDay(asOf);
    writeState.run(String(today));
    for (const { enterprise_id, windows } of selectAllWindows.all() as Array<{
      enterprise_id: string;
      windows: Uint8Array | null;
    }>) {
      rematerialise(enterprise_id, windows, today);
    }
    pruneLog.run();
  }

  /** Recomputes an enterprise's windows for `today` from its years; writes and logs them only when they differ from `stored`. */
  function rematerialise(enterpriseId: string, stored: Uint8Array | null, today: number): void {
    const next = encodeWindows(profileWindows(profileOf(enterpriseId), today));
    if (stored && sameBytes(stored, next)) return;
    updateWindows.run(next, enterpriseId);
    logChange.run(enterpriseId);
  }

  /**
   * The day roll off this thread. Worker threads (one range of enterprises each) recompute every
   * window for the new day from a snapshot, while ingestion goes on writing as of the old day.
   * Then one transaction writes their results, except for the enterprises the change log shows
   * written since the snapshot: those are recomputed from their current years. A rebuild since
   * the snapshot voids the results, and the roll is done in this thread.
   */
  async function rollWindows(asOf: number, options: { workers?: number; onSnapshot?: () => void } = {}): Promise<void> {
    const today = cstDay(asOf);
    const path = db.location();
    const workers = Math.max(1, Math.trunc(options.workers ?? Math.min(MAX_REBUILD_WORKERS, availableParallelism())));
    if (path === null) {
      transaction(db, () => refreshWindows(asOf));
      return;
    }
    const rolled = new Map<string, Uint8Array>();
    let snapshotSeq = Infinity;
    let snapshots = 0;
    const requests = enterpriseRanges(db, workers, 'rep_enterprises').map(
      (range): WindowRollRequest => ({ path, range, today }),
    );
    await runWorkers<WindowRollMessage>(
      new URL('./rollups-sqlite-day-roll-worker.ts', import.meta.url),
      requests,
      (message) => {
        if (message.kind === 'snapshot') {
          snapshotSeq = Math.min(snapshotSeq, message.seq);
          if (++snapshots === requests.length) options.onSnapshot?.();
        } else if (message.kind === 'windows') {
          for (const [id, windows] of message.windows) rolled.set(id, windows);
        }
        return message.kind === 'done';
      },
    );
    transaction(db, () => {
      if (asOfDay() === today) return; // rolled meanwhile, by this process or another
      const since = loggedSince.all(snapshotSeq) as Array<{ enterprise_id: string | null }>;
      const firstKept = Number((firstLogged.get() as { seq: number | null }).seq ?? 0);
      // A rebuild since the snapshot, or a log pruned past it (writes since are unknown): redo it here.
      if (since.some((entry) => entry.enterprise_id === null) || firstKept > snapshotSeq + 1) {
        refreshWindows(asOf);
        return;
      }
      local.version++;
      writeState.run(String(today));
      const written = new Set(since.map((entry) => entry.enterprise_id as string));
      for (const [enterpriseId, windows] of rolled) {
        if (written.has(enterpriseId)) continue;
        updateWindows.run(windows, enterpriseId);
        logChange.run(enterpriseId);
      }
      for (const enterpriseId of written) {
        const row = selectSummary.get(enterpriseId) as SummaryRow | undefined;
        if (row) rematerialise(enterpriseId, row.windows, today); // gone since: nothing to roll
      }
      pruneLog.run();
    });
  }

  const insertYear = db.prepare('INSERT INTO rep_stats_years (enterprise_id, year, profile) VALUES (?, ?, ?)');

  function rebuild(asOf: number, records?: Iterable<ListingRecord>, onPhase: RebuildPhaseListener = () => {}): void {
    transaction(db, () =>
      rebuildFrom(records ? groupListingsByEnterprise(records) : readListingsByEnterprise(db), cstDay(asOf), onPhase),
    );
  }

  /** Empties every rollup table (inside the caller's transaction) and marks the change for readers. */
  function clearRollups(today: number): void {
    local.version++;
    for (const t of ['rep_stats_years', 'rep_stats_source_daily', 'rep_enterprise_aliases', 'rep_enterprises']) {
      db.exec(`DELETE FROM ${t}`);
    }
    writeState.run(String(today));
    logChange.run(null);
  }

  function writeRollup(r: EnterpriseRollup): void {
    for (const [year, blob] of r.years) insertYear.run(r.enterpriseId, year, blob);
    for (const [name] of r.names) insertAlias.run(r.enterpriseId, name);
    upsertEnterprise.run(
      r.enterpriseId,
      r.name,
      r.industry,
      r.listings,
      encodeCounts(r.names),
      encodeCounts(r.industries),
      r.windows,
    );
  }

  function writeSourceDays(sourceDays: Iterable<[number, number]>): void {
    for (const [key, n] of sourceDays) upsertSourceDay.run(LISTING_SOURCE_CODES[key % 16], Math.floor(key / 16), n);
  }

  /**
   * Rebuilds every rollup from the listings, enterprise by enterprise in id order (streamed from
   * the listings' covering index, or grouped from given records): each enterprise's years,
   * tallies, summary and windows are computed with the same domain functions as the incremental
   * path and written in key order.
   */
  function rebuildFrom(enterprises: Iterable<EnterpriseListings>, today: number, onPhase: RebuildPhaseListener): void {
    let mark = performance.now();
    clearRollups(today);
    onPhase('clear previous rollups', performance.now() - mark);
    mark = performance.now();
    const sourceDays = new Map<number, number>();
    let listings = 0;
    for (const enterprise of enterprises) {
      listings += enterprise.contributions.length;
      writeRollup(enterpriseRollup(enterprise, today, sourceDays));
    }
    writeSourceDays(sourceDays);
    onPhase(
      `read ${listings.toLocaleString('en')} listings grouped by enterprise; per enterprise: years, tallies, summary and windows, written in key order`,
      performance.now() - mark,
    );
  }

  /**
   * The same rebuild from the listings table with the reading and computing spread over worker
   * threads, one range of enterprises each holding about as many listings (rollups-sqlite-rebuild-worker.ts);
   * this thread only writes, in one transaction, as results arrive. Nothing else may use this
   * connection until it settles.
   */
  async function rebuildFromListings(
    asOf: number,
    options: { workers?: number; onPhase?: RebuildPhaseListener } = {},
  ): Promise<void> {
    const onPhase = options.onPhase ?? (() => {});
    const workers = Math.max(1, Math.trunc(options.workers ?? Math.min(MAX_REBUILD_WORKERS, availableParallelism())));
    const path = db.location();
    if (workers === 1 || path === null) {
      rebuild(asOf, undefined, onPhase);
      return;
    }
    const today = cstDay(asOf);
    let mark = performance.now();
    await inTransaction(db, async () => {
      clearRollups(today);
      onPhase('clear previous rollups', performance.now() - mark);
      mark = performance.now();
      const ranges = enterpriseRanges(db, workers);
      onPhase(`split the enterprises into ${ranges.length} ranges of about equal listings`, performance.now() - mark);
      mark = performance.now();
      let slowest = 0;
      const sourceDays = new Map<number, number>();
      const requests = ranges.map((range): RebuildRangeRequest => ({ path, range, today }));
      await runWorkers<RebuildRangeMessage>(
        new URL('./rollups-sqlite-rebuild-worker.ts', import.meta.url),
        requests,
        (message) => {
          if (message.kind === 'rollups') {
            for (const rollup of message.rollups) writeRollup(rollup);
            return false;
          }
          slowest = Math.max(slowest, message.ms);
          for (const [key, n] of message.sourceDays) sourceDays.set(key, (sourceDays.get(key) ?? 0) + n);
          return true;
        },
      );
      writeSourceDays(sourceDays);
      onPhase(
        `read and compute (${ranges.length} worker threads; slowest ${(slowest / 1000).toFixed(1)} s) and write`,
        performance.now() - mark,
      );
      mark = performance.now();
    });
    onPhase('commit', performance.now() - mark);
  }

  const selectEnterprise = db.prepare(
    'SELECT enterprise_id, name, industry, listings FROM rep_enterprises WHERE enterprise_id = ?',
  );
  const selectAliases = db.prepare('SELECT name FROM rep_enterprise_aliases WHERE enterprise_id = ? ORDER BY name');
  const searchNames = db.prepare(
    `SELECT DISTINCT e.enterprise_id, e.name, e.industry, e.listings FROM rep_enterprise_aliases n
     JOIN rep_enterprises e ON e.enterprise_id = n.enterprise_id
     WHERE n.name LIKE ? ESCAPE '\\' ORDER BY e.listings DESC, e.enterprise_id LIMIT ?`,
  );
  const summary = (row: {
    enterprise_id: string;
    name: string;
    industry: string | null;
    listings: number;
  }): EnterpriseSummary => ({
    id: row.enterprise_id,
    name: row.name,
    industry: row.industry,
    listings: Number(row.listings),
    aliases: (selectAliases.all(row.enterprise_id) as Array<{ name: string }>).map((r) => r.name),
  });

  // An industry's years over a range, grouped per enterprise: month lists and industry totals.
  const industryQuarters = db.prepare(
    `SELECT e.enterprise_id, e.name, q.year, q.profile FROM rep_enterprises e
     JOIN rep_stats_years q ON q.enterprise_id = e.enterprise_id AND q.year BETWEEN ? AND ?
     WHERE e.industry = ? ORDER BY e.enterprise_id, q.year`,
  );
  function industryProfiles(
    industry: string,
    range: DayRange,
  ): Array<{ enterpriseId: string; name: string; profile: YearProfile[] }> {
    const out: Array<{ enterpriseId: string; name: string; profile: YearProfile[] }> = [];
    const rows = industryQuarters.all(yearOfDay(range.fromDay), yearOfDay(range.toDay), industry) as unknown as Array<
      YearRow & { enterprise_id: string; name: string }
    >;
    for (const row of rows) {
      if (out.at(-1)?.enterpriseId !== row.enterprise_id)
        out.push({ enterpriseId: row.enterprise_id, name: row.name, profile: [] });
      out.at(-1)!.profile.push(decodeRow(row));
    }
    return out;
  }
  const sourcesWithComplaints = db.prepare(
    'SELECT DISTINCT source FROM rep_stats_source_daily WHERE day BETWEEN ? AND ? AND complaints > 0 ORDER BY source',
  );

  // Rankings are served from memory (RankingIndex) and follow every writer through the change log.
  const rankingIndex = new RankingIndex();
  let rankingVersion: string | null = null;
  let rankingSeq = 0;
  const lastLogged = db.prepare('SELECT COALESCE(MAX(seq), 0) AS seq FROM rep_stats_window_log');
  const firstLogged = db.prepare('SELECT MIN(seq) AS seq FROM rep_stats_window_log');
  const loggedSince = db.prepare('SELECT seq, enterprise_id FROM rep_stats_window_log WHERE seq > ? ORDER BY seq');
  const countLoggedSince = db.prepare('SELECT count(*) AS n FROM rep_stats_window_log WHERE seq > ?');
  const countEnterprisesLoggedSince = db.prepare(
    'SELECT count(DISTINCT enterprise_id) AS n, count(*) - count(enterprise_id) AS rebuilds FROM rep_stats_window_log WHERE seq > ?',
  );
  // One reading of an enterprise's windows for rankings, whether one enterprise is re-read or all
  // of them are loaded: rates and scores come from computeStats, as on every other path.
  type RankableValues = [string, string, string | null, Uint8Array | null];
  const rankableRows = ([enterpriseId, name, industry, windows]: RankableValues): RankableRow[] =>
    windows === null
      ? []
      : decodeWindows(windows).map((figures, i) => ({
          enterpriseId,
          window: REPUTATION_WINDOWS[i],
          industry,
          name,
          stats: computeStats(figures.counts, figures.median, figures.sample),
        }));
  const RANKABLE = 'SELECT enterprise_id, name, industry, windows FROM rep_enterprises';
  const rankableOf = db.prepare(`${RANKABLE} WHERE enterprise_id = ?`);
  rankableOf.setReturnArrays(true);
  const rankableRowsOfEnterprise = (enterpriseId: string): RankableRow[] => {
    const row = rankableOf.get(enterpriseId) as unknown as RankableValues | undefined;
    return row ? rankableRows(row) : [];
  };

  /** Every enterprise's rows for rankings, read as arrays (100,000 enterprises: objects cost seconds). */
  function allRankableRows(): RankableRow[] {
    const all = db.prepare(RANKABLE);
    all.setReturnArrays(true);
    const out: RankableRow[] = [];
    for (const row of all.iterate() as Iterable<RankableValues>)
      for (const rankable of rankableRows(row)) out.push(rankable);
    return out;
  }

  /**
   * Brings the in-memory rankings up to the database: re-reads the windows of the enterprises
   * logged since the last look, or everything when the log says so (a rebuild) or was pruned past us.
   */
  function syncRankings(): void {
    const version = writeVersion();
    if (version === rankingVersion) return;
    // A rebuild or a day roll changes most enterprises: one load then beats as many single
    // updates, and the count alone decides it, without reading a log of 100,000 entries.
    const threshold = rankingIndex.size / 10;
    let reload = rankingVersion === null;
    if (!reload && Number((countLoggedSince.get(rankingSeq) as { n: number }).n) > threshold) {
      // Many entries, but batches log the same enterprises again and again: count them once.
      const distinct = countEnterprisesLoggedSince.get(rankingSeq) as { n: number; rebuilds: number };
      reload = Number(distinct.n) > threshold || Number(distinct.rebuilds) > 0;
    }
    let logged: Array<{ seq: number; enterprise_id: string | null }> = [];
    if (!reload) {
      logged = loggedSince.all(rankingSeq) as typeof logged;
      const firstKept = Number((firstLogged.get() as { seq: number | null }).seq ?? 0);
      reload =
        logged.some((entry) => entry.enterprise_id === null) || (logged.length > 0 && firstKept > rankingSeq + 1);
    }
    if (reload) {
      rankingSeq = Number((lastLogged.get() as { seq: number }).seq);
      rankingIndex.load(allRankableRows());
    } else {
      for (const enterpriseId of new Set(logged.map((entry) => entry.enterprise_id as string))) {
        rankingIndex.replaceEnterprise(enterpriseId, rankableRowsOfEnterprise(enterpriseId));
      }
      if (logged.length) rankingSeq = Number(logged[logged.length - 1].seq);
    }
    rankingVersion = version;
  }

  let rolling: Promise<void> | null = null;
  const countEnterprises = db.prepare('SELECT count(*) AS n FROM rep_enterprises');
  const sourcesCache = new Map<string, string[]>();
  let sourcesVersion = '';

  const reader: RollupReader = {
    async ensureCurrent(now) {
      const today = cstDay(now);
      if (asOfDay() !== today) {
        const enterprises = Number((countEnterprises.get() as { n: number }).n);
        if (enterprises < (options.offThreadRollFrom ?? OFF_THREAD_ROLL_FROM)) {
          transaction(db, () => refreshWindows(now));
        } else {
          // Callers during a roll wait for it without blocking the process; one roll at a time.
          // Should the worker threads fail (they start from files next to this one), the roll is
          // done in this thread, as for a small store: late, blocking, but right, and reported.
          rolling ??= rollWindows(now)
            .catch((error: unknown) => {
              options.onRollFallback?.(error);
              transaction(db, () => refreshWindows(now));
            })
            .finally(() => (rolling = null));
          await rolling;
        }
        if (asOfDay() !== today) transaction(db, () => refreshWindows(now)); // the roll was for another day
      }
      syncRankings();
    },
    async enterprise(id) {
      const row = selectEnterprise.get(id) as Parameters<typeof summary>[0] | undefined;
      return row ? summary(row) : null;
    },
    async enterprises(ids) {
      // Two queries per chunk (summaries, then aliases) whatever the number of ids.
      const found = new Map<string, EnterpriseSummary>();
      for (let i = 0; i < ids.length; i += 500) {
        const chunk = ids.slice(i, i + 500);
        const marks = chunk.map(() => '?').join(',');
        const rows = db
          .prepare(
            `SELECT enterprise_id, name, industry, listings FROM rep_enterprises WHERE enterprise_id IN (${marks})`,
          )
          .all(...chunk) as Array<Parameters<typeof summary>[0]>;
        for (const row of rows)
          found.set(row.enterprise_id, {
            id: row.enterprise_id,
            name: row.name,
            industry: row.industry,
            listings: Number(row.listings),
            aliases: [],
          });
        const aliases = db
          .prepare(
            `SELECT enterprise_id, name FROM rep_enterprise_aliases WHERE enterprise_id IN (${marks}) ORDER BY enterprise_id, name`,
          )
          .all(...chunk) as Array<{ enterprise_id: string; name: string }>;
        for (const alias of aliases) found.get(alias.enterprise_id)?.aliases.push(alias.name);
      }
      return ids.map((id) => found.get(id) ?? null);
    },
    async searchEnterprises(text, limit) {
      const escaped = cleanDisplayName(text).replace(/[\\%_]/g, (c) => `\\${c}`);
      return (searchNames.all(`%${escaped}%`, limit) as Array<Parameters<typeof summary>[0]>).map(summary);
    },
    async enterpriseStats(enterpriseId, range): Promise<EnterpriseRangeStats> {
      const profile = profileIn(enterpriseId, range);
      const statsOf = (figures: RangeFigures) => computeStats(figures.counts, figures.median, figures.sample);
      return {
        total: statsOf(figuresInRange(profile, range)),
        bySource: sourcesInRange(profile, range).map((code) => ({
          source: sourceName(code),
          stats: statsOf(figuresInRange(profile, range, code)),
        })),
      };
    },
    async rank(enterpriseId, window, metric, minComplaints): Promise<RankPosition | null> {
      syncRankings();
      return rankingIndex.rank(enterpriseId, window, metric, minComplaints);
    },
    async rankings(request): Promise<RankingPage> {
      syncRankings();
      const { rows, total } = rankingIndex.page(request);
      return {
        rows: rows.map(({ row, position, tie }) => ({
          enterpriseId: row.enterpriseId,
          name: row.name,
          industry: row.industry,
          stats: row.stats,
          position,
          tie,
        })),
        total,
        asOfDay: asOfDay() ?? 0,
      };
    },
    async periodStats(industry, range, minComplaints): Promise<PeriodRow[]> {
      const rows: PeriodRow[] = [];
      for (const { enterpriseId, name, profile } of industryProfiles(industry, range)) {
        const figures = figuresInRange(profile, range);
        if (figures.counts.complaints < Math.max(minComplaints, 1)) continue;
        rows.push({ enterpriseId, name, stats: computeStats(figures.counts, figures.median, figures.sample) });
      }
      return rows;
    },
    async industryStats(industry, range) {
      // The industry's years are whole sorted runs: the median is an order statistic over them.
      const figures = figuresInRange(
        industryProfiles(industry, range).flatMap((e) => e.profile),
        range,
      );
      return computeStats(figures.counts, figures.median, figures.sample);
    },
    async sourcesIn(range) {
      // Asked by every ranking's methodology; it changes only when the data does.
      const version = writeVersion();
      if (version !== sourcesVersion) {
        sourcesCache.clear();
        sourcesVersion = version;
      }
      const key = `${range.fromDay}:${range.toDay}`;
      let sources = sourcesCache.get(key);
      if (!sources) {
        sources = (sourcesWithComplaints.all(range.fromDay, range.toDay) as Array<{ source: string }>).map(
          (r) => r.source,
        );
        sourcesCache.set(key, sources);
      }
      return [...sources];
    },
  };

  // A schema migration that replaced the rollup layout left them empty: derive them again now.
  if (db.prepare("SELECT 1 FROM rep_stats_state WHERE key = 'rebuild_required'").get()) {
    const hasListings = listingsTable && db.prepare('SELECT 1 FROM listings LIMIT 1').get();
    transaction(db, () => {
      if (hasListings) rebuildFrom(readListingsByEnterprise(db), cstDay(Date.now()), () => {});
      db.exec("DELETE FROM rep_stats_state WHERE key = 'rebuild_required'");
    });
  }

  return {
    ...reader,
    applyChanges,
    applyChangesInTransaction: (changes) => transaction(db, () => applyChanges(changes)),
    rebuild,
    rebuildFromListings,
    refreshWindows,
    rollWindows,
    asOfDay,
  };
}
