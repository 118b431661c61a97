import type { DatabaseSync, SQLInputValue } from 'node:sqlite';
import { migrate, transaction } from '../../../platform/store/sqlite.ts';
import { cleanDisplayName } from '../../../platform/enterprise/identity.ts';
import type { ListingChange, ListingRecord } from '../domain/listing.ts';
import { descending, metricValue, type RankingMetric, type RankPosition } from '../domain/rankings.ts';
import {
  addCounts,
  computeStats,
  contributionOf,
  countsOf,
  HOUR_MS,
  exactMedian,
  materialiseWindows,
  medianPositions,
  zeroCounts,
  type Counts,
  type DayCounts,
  type ListingContribution,
  type ReputationStats,
} from '../domain/statistics.ts';
import { REPUTATION_WINDOWS, cstDay, rollingWindow, type DayRange, type ReputationWindow } from '../domain/windows.ts';
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
];

/** The materialised column each metric orders by (never user text: safe to splice into SQL). */
const METRIC_COLUMN: Record<RankingMetric, string> = {
  WILSON_SCORE: 'wilson',
  REPLY_RATE: 'reply_rate',
  COMPLETION_RATE: 'completion_rate',
  COMPLAINTS: 'complaints',
  MEDIAN_REPLY_HOURS: 'median_reply_hours',
  SATISFACTION: 'sat_mean',
};

const METRIC_INDEX: Record<RankingMetric, string> = {
  WILSON_SCORE: 'rep_stats_window_wilson',
  REPLY_RATE: 'rep_stats_window_reply',
  COMPLETION_RATE: 'rep_stats_window_completion',
  COMPLAINTS: 'rep_stats_window_complaints',
  MEDIAN_REPLY_HOURS: 'rep_stats_window_median',
  SATISFACTION: 'rep_stats_window_satisfaction',
};

interface WindowRow {
  window: string;
  enterprise_id: string;
  industry: string | null;
  complaints: number;
  replied: number;
  completed: number;
  sat_sum: number;
  sat_count: number;
  median_reply_hours: number | null;
  reply_sample: number;
  name?: string;
}

interface CountRow {
  complaints: number;
  replied: number;
  completed: number;
  sat_sum: number;
  sat_count: number;
}

function countsFromRow(row: CountRow | undefined): Counts {
  if (!row) return zeroCounts();
  return {
    complaints: Number(row.complaints ?? 0),
    replied: Number(row.replied ?? 0),
    completed: Number(row.completed ?? 0),
    satisfactionSum: Number(row.sat_sum ?? 0),
    satisfactionCount: Number(row.sat_count ?? 0),
  };
}

function statsFromWindowRow(row: WindowRow): ReputationStats {
  const stats = computeStats(countsFromRow(row), null, 0);
  return {
    ...stats,
    medianReplyHours: row.median_reply_hours,
    replyDelaySampleSize: Number(row.reply_sample),
  };
}

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
  /** Re-materialises every rolling window as of the CST day of `asOf`. */
  refreshWindows(asOf: number): void;
  /** The CST day the materialised windows end on, null before the first refresh. */
  asOfDay(): number | null;
  /** The listings counted for an enterprise and range, from the reply-delay and daily tables. */
  countedDays(enterpriseId: string, range: DayRange): Array<{ day: number; source: string; complaints: number }>;
}

/** Writes through any rollups object on one connection, shared so every cache on it sees them. */
const writeCounters = new WeakMap<DatabaseSync, { version: number }>();
function writesOn(db: DatabaseSync): { version: number } {
  let counter = writeCounters.get(db);
  if (!counter) writeCounters.set(db, (counter = { version: 0 }));
  return counter;
}

export function createSqliteRollups(db: DatabaseSync): SqliteRollups {
  migrate(db, STATS_COMPONENT, STATS_MIGRATIONS);

  const upsertDaily = db.prepare(
    `INSERT INTO rep_stats_daily (enterprise_id, day, source, complaints, replied, completed, sat_sum, sat_count)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (enterprise_id, day, source) DO UPDATE SET
       complaints = complaints + excluded.complaints, replied = replied + excluded.replied,
       completed = completed + excluded.completed, sat_sum = sat_sum + excluded.sat_sum,
       sat_count = sat_count + excluded.sat_count`,
  );
  const pruneDaily = db.prepare('DELETE FROM rep_stats_daily WHERE enterprise_id = ? AND day = ? AND source = ? AND complaints <= 0');
  const upsertSourceDay = db.prepare(
    `INSERT INTO rep_stats_source_daily (source, day, complaints) VALUES (?, ?, ?)
     ON CONFLICT (source, day) DO UPDATE SET complaints = complaints + excluded.complaints`,
  );
  const pruneSourceDay = db.prepare('DELETE FROM rep_stats_source_daily WHERE source = ? AND day = ? AND complaints <= 0');
  const upsertDelay = db.prepare(
    `INSERT INTO rep_stats_reply_delays (source, external_id, enterprise_id, day, reply_ms) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (source, external_id) DO UPDATE SET enterprise_id = excluded.enterprise_id, day = excluded.day, reply_ms = excluded.reply_ms`,
  );
  const deleteDelay = db.prepare('DELETE FROM rep_stats_reply_delays WHERE source = ? AND external_id = ?');
  const tallyName = db.prepare(
    `INSERT INTO rep_enterprise_names (enterprise_id, name, listings) VALUES (?, ?, ?)
     ON CONFLICT (enterprise_id, name) DO UPDATE SET listings = listings + excluded.listings`,
  );
  const pruneNames = db.prepare('DELETE FROM rep_enterprise_names WHERE enterprise_id = ? AND listings <= 0');
  const tallyIndustry = db.prepare(
    `INSERT INTO rep_enterprise_industries (enterprise_id, industry, listings) VALUES (?, ?, ?)
     ON CONFLICT (enterprise_id, industry) DO UPDATE SET listings = listings + excluded.listings`,
  );
  const pruneIndustries = db.prepare('DELETE FROM rep_enterprise_industries WHERE enterprise_id = ? AND listings <= 0');
  const topName = db.prepare(
    'SELECT name FROM rep_enterprise_names WHERE enterprise_id = ? ORDER BY listings DESC, name ASC LIMIT 1',
  );
  const topIndustry = db.prepare(
    'SELECT industry FROM rep_enterprise_industries WHERE enterprise_id = ? ORDER BY listings DESC, industry ASC LIMIT 1',
  );
  const sumListings = db.prepare('SELECT COALESCE(SUM(complaints), 0) AS n FROM rep_stats_daily WHERE enterprise_id = ?');
  const upsertEnterprise = db.prepare(
    `INSERT INTO rep_enterprises (enterprise_id, name, industry, listings) VALUES (?, ?, ?, ?)
     ON CONFLICT (enterprise_id) DO UPDATE SET name = excluded.name, industry = excluded.industry, listings = excluded.listings`,
  );
  const deleteEnterprise = db.prepare('DELETE FROM rep_enterprises WHERE enterprise_id = ?');
  const deleteEnterpriseWindows = db.prepare(
    `DELETE FROM rep_stats_window WHERE window IN (${REPUTATION_WINDOWS.map((w) => `'${w}'`).join(', ')}) AND enterprise_id = ?`,
  );
  const dailyOfEnterprise = db.prepare(
    'SELECT day, source, complaints, replied, completed, sat_sum, sat_count FROM rep_stats_daily WHERE enterprise_id = ?',
  );
  const delaysSince = db.prepare(
    'SELECT day, reply_ms FROM rep_stats_reply_delays WHERE enterprise_id = ? AND day >= ? AND day <= ? ORDER BY reply_ms',
  );
  const delayCountUpTo = db.prepare('SELECT COUNT(*) AS n FROM rep_stats_reply_delays WHERE enterprise_id = ? AND day <= ?');
  const delaysAtUpTo = db.prepare(
    'SELECT reply_ms FROM rep_stats_reply_delays INDEXED BY rep_stats_reply_delays_order WHERE enterprise_id = ? AND day <= ? ORDER BY reply_ms LIMIT ? OFFSET ?',
  );
  const upsertWindow = db.prepare(
    `INSERT INTO rep_stats_window (window, enterprise_id, industry, complaints, replied, completed, sat_sum, sat_count,
       reply_rate, completion_rate, wilson, median_reply_hours, reply_sample, sat_mean)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (window, enterprise_id) DO UPDATE SET industry = excluded.industry, complaints = excluded.complaints,
       replied = excluded.replied, completed = excluded.completed, sat_sum = excluded.sat_sum, sat_count = excluded.sat_count,
       reply_rate = excluded.reply_rate, completion_rate = excluded.completion_rate, wilson = excluded.wilson,
       median_reply_hours = excluded.median_reply_hours, reply_sample = excluded.reply_sample, sat_mean = excluded.sat_mean`,
  );
  const readState = db.prepare("SELECT value FROM rep_stats_state WHERE key = 'as_of_day'");
  const writeState = db.prepare(
    "INSERT INTO rep_stats_state (key, value) VALUES ('as_of_day', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
  );

  // Counts of qualifying enterprises are cached until the data changes: by this connection (the
  // local version, bumped by every write path) or by another one (SQLite's data_version).
  const local = writesOn(db);
  const dataVersion = db.prepare('PRAGMA data_version');
  const countCache = new Map<string, number>();
  let countCacheKey = '';
  const cachedCount = (key: string, compute: () => number): number => {
    const version = `${(dataVersion.get() as { data_version: number }).data_version}:${local.version}`;
    if (version !== countCacheKey) {
      countCache.clear();
      countCacheKey = version;
    }
    let value = countCache.get(key);
    if (value === undefined) countCache.set(key, (value = compute()));
    return value;
  };

  const asOfDay = (): number | null => {
    const row = readState.get() as { value: string } | undefined;
    return row ? Number(row.value) : null;
  };

  /** ALL_TIME median by order-statistic reads on the (enterprise, reply_ms) index: no full fetch. */
  function allTimeMedian(enterpriseId: string, toDay: number) {
    const n = Number((delayCountUpTo.get(enterpriseId, toDay) as { n: number }).n);
    const positions = medianPositions(n);
    const values = positions.length
      ? (delaysAtUpTo.all(enterpriseId, toDay, positions.length, positions[0]) as Array<{ reply_ms: number }>).map((d) => Number(d.reply_ms))
      : [];
    return { median: values.length ? values.reduce((a, b) => a + b, 0) / values.length : null, sample: n };
  }

  /**
   * Recomputes an enterprise's summary (top name and industry, listing count) from its tallies.
   * Returns its industry, or undefined when it no longer has any listing (it is then removed).
   */
  function refreshSummary(enterpriseId: string): string | null | undefined {
    const listings = Number((sumListings.get(enterpriseId) as { n: number }).n);
    if (listings <= 0) {
      deleteEnterprise.run(enterpriseId);
      deleteEnterpriseWindows.run(enterpriseId);
      return undefined;
    }
    pruneNames.run(enterpriseId);
    pruneIndustries.run(enterpriseId);
    const name = (topName.get(enterpriseId) as { name: string } | undefined)?.name ?? enterpriseId;
    const industry = (topIndustry.get(enterpriseId) as { industry: string } | undefined)?.industry ?? null;
    upsertEnterprise.run(enterpriseId, name, industry, listings);
    return industry;
  }

  function writeWindow(window: string, enterpriseId: string, industry: string | null, counts: Counts, stats: ReputationStats): void {
    upsertWindow.run(
      window, enterpriseId, industry, counts.complaints, counts.replied, counts.completed, counts.satisfactionSum,
      counts.satisfactionCount, stats.replyRate, stats.completionRate, stats.wilsonScore, stats.medianReplyHours,
      stats.replyDelaySampleSize, stats.satisfactionMean,
    );
  }

  function recentDelaysOf(enterpriseId: string, today: number) {
    const longest = rollingWindow('LAST_365_DAYS', today * 86_400_000);
    return (delaysSince.all(enterpriseId, longest.fromDay, today) as Array<{ day: number; reply_ms: number }>).map((d) => ({ day: Number(d.day), replyMs: Number(d.reply_ms) }));
  }

  /** Recomputes all five materialised windows of an enterprise from its daily buckets and delays. */
  function materialiseEnterprise(enterpriseId: string, industry: string | null, today: number): void {
    const daily = (dailyOfEnterprise.all(enterpriseId) as unknown as Array<CountRow & { day: number }>).map((row) => ({ day: Number(row.day), ...countsFromRow(row) }));
    for (const { window, counts, stats } of materialiseWindows(daily, recentDelaysOf(enterpriseId, today), allTimeMedian(enterpriseId, today), today)) {
      writeWindow(window, enterpriseId, industry, counts, stats);
    }
  }

  /** Recomputes an enterprise's summary and its materialised windows from its rollups. */
  function refreshEnterprise(enterpriseId: string, today: number | null): void {
    const industry = refreshSummary(enterpriseId);
    if (industry !== undefined && today !== null) materialiseEnterprise(enterpriseId, industry, today);
  }

  // Naming every window lets SQLite use the (window, enterprise_id) primary key instead of a scan.
  const windowsOfEnterprise = db.prepare(
    `SELECT * FROM rep_stats_window WHERE window IN (${REPUTATION_WINDOWS.map((w) => `'${w}'`).join(', ')}) AND enterprise_id = ?`,
  );

  /**
   * Updates the materialised windows of one enterprise by the net count changes per day, and
   * re-reads medians only for windows whose reply delays changed. Rates and scores are recomputed
   * from the new counts with the same functions a full refresh uses, so both give identical rows.
   */
  function patchWindows(enterpriseId: string, today: number, dayDeltas: Map<number, Counts>, delayDays: Set<number>): void {
    const enterprise = selectEnterprise.get(enterpriseId) as { industry: string | null } | undefined;
    if (!enterprise) return; // it lost its last listing: refreshSummary removed it and its windows
    const industry = enterprise.industry;
    const rows = windowsOfEnterprise.all(enterpriseId) as unknown as WindowRow[];
    if (rows.length !== REPUTATION_WINDOWS.length || rows.some((row) => row.industry !== industry)) {
      materialiseEnterprise(enterpriseId, industry, today);
      return;
    }
    let recent: Array<{ day: number; replyMs: number }> | undefined;
    for (const row of rows) {
      const range = rollingWindow(row.window as ReputationWindow, today * 86_400_000);
      let counts = countsFromRow(row);
      let changed = false;
      for (const [day, delta] of dayDeltas) {
        if (day >= range.fromDay && day <= range.toDay) {
          counts = addCounts(counts, delta);
          changed = true;
        }
      }
      let median: number | null = row.median_reply_hours === null ? null : row.median_reply_hours * HOUR_MS;
      let sample = Number(row.reply_sample);
      if ([...delayDays].some((day) => day >= range.fromDay && day <= range.toDay)) {
        changed = true;
        if (row.window === 'ALL_TIME') {
          ({ median, sample } = allTimeMedian(enterpriseId, today));
        } else {
          recent ??= recentDelaysOf(enterpriseId, today);
          const values = recent.filter((d) => d.day >= range.fromDay && d.day <= range.toDay).map((d) => d.replyMs);
          median = exactMedian(values);
          sample = values.length;
        }
      }
      if (!changed) continue;
      const stats = computeStats(counts, median, sample);
      // Re-use the stored hours when the median did not move: hours → ms → hours could round differently.
      if (median !== null && row.median_reply_hours !== null && median === row.median_reply_hours * HOUR_MS && sample === Number(row.reply_sample)) {
        stats.medianReplyHours = row.median_reply_hours;
      }
      writeWindow(row.window, enterpriseId, industry, counts, stats);
    }
  }

  function applyChanges(changes: ListingChange[]): void {
    local.version++;
    // Net every change first: a status change nets to one bucket update, and a name, industry or
    // delay that did not change costs nothing.
    const daily = new Map<string, { enterpriseId: string; day: number; source: string; counts: Counts }>();
    const sourceDays = new Map<string, { source: string; day: number; n: number }>();
    const names = new Map<string, number>();
    const industries = new Map<string, number>();
    const delays = new Map<string, { source: string; externalId: string; after: ListingContribution | null; before: ListingContribution | null }>();
    const add = (c: ListingContribution, record: ListingRecord, sign: 1 | -1) => {
      const key = `${c.enterpriseId}\u0000${c.day}\u0000${c.source}`;
      const entry = daily.get(key) ?? { enterpriseId: c.enterpriseId, day: c.day, source: c.source, counts: zeroCounts() };
      entry.counts = addCounts(entry.counts, countsOf(c, sign));
      daily.set(key, entry);
      const sourceKey = `${c.source}\u0000${c.day}`;
      const sourceDay = sourceDays.get(sourceKey) ?? { source: c.source, day: c.day, n: 0 };
      sourceDay.n += sign;
      sourceDays.set(sourceKey, sourceDay);
      const nameKey = `${c.enterpriseId}\u0000${cleanDisplayName(record.enterpriseName)}`;
      names.set(nameKey, (names.get(nameKey) ?? 0) + sign);
      if (record.industry) {
        const industryKey = `${c.enterpriseId}\u0000${record.industry}`;
        industries.set(industryKey, (industries.get(industryKey) ?? 0) + sign);
      }
      const delayKey = `${c.source}\u0000${c.externalId}`;
      const delay = delays.get(delayKey) ?? { source: c.source, externalId: c.externalId, before: null, after: null };
      if (sign < 0) delay.before ??= c;
      else delay.after = c;
      delays.set(delayKey, delay);
    };
    for (const change of changes) {
      if (change.before) add(contributionOf(change.before), change.before, -1);
      add(contributionOf(change.after), change.after, 1);
    }

    const today = asOfDay();
    const summaryDirty = new Set<string>();
    const dayDeltas = new Map<string, Map<number, Counts>>();
    const delayDays = new Map<string, Set<number>>();
    const markDelay = (c: ListingContribution) => {
      const days = delayDays.get(c.enterpriseId) ?? new Set<number>();
      days.add(c.day);
      delayDays.set(c.enterpriseId, days);
    };

    for (const { enterpriseId, day, source, counts } of daily.values()) {
      if (counts.complaints === 0 && counts.replied === 0 && counts.completed === 0 && counts.satisfactionSum === 0 && counts.satisfactionCount === 0) continue;
      upsertDaily.run(enterpriseId, day, source, counts.complaints, counts.replied, counts.completed, counts.satisfactionSum, counts.satisfactionCount);
      if (counts.complaints < 0) pruneDaily.run(enterpriseId, day, source);
      if (counts.complaints !== 0) summaryDirty.add(enterpriseId);
      const perDay = dayDeltas.get(enterpriseId) ?? new Map<number, Counts>();
      perDay.set(day, addCounts(perDay.get(day) ?? zeroCounts(), counts));
      dayDeltas.set(enterpriseId, perDay);
    }
    for (const { source, day, n } of sourceDays.values()) {
      if (n === 0) continue;
      upsertSourceDay.run(source, day, n);
      if (n < 0) pruneSourceDay.run(source, day);
    }
    for (const { source, externalId, before, after } of delays.values()) {
      const was = before?.replyDelayMs ?? null;
      const now = after?.replyDelayMs ?? null;
      if (was === now && (was === null || (before!.day === after!.day && before!.enterpriseId === after!.enterpriseId))) continue;
      if (now === null) deleteDelay.run(source, externalId);
      else upsertDelay.run(source, externalId, after!.enterpriseId, after!.day, now);
      if (was !== null) markDelay(before!);
      if (now !== null) markDelay(after!);
    }
    for (const [key, n] of names) {
      if (n === 0) continue;
      const [enterpriseId, name] = key.split('\u0000');
      tallyName.run(enterpriseId, name, n);
      summaryDirty.add(enterpriseId);
    }
    for (const [key, n] of industries) {
      if (n === 0) continue;
      const [enterpriseId, industry] = key.split('\u0000');
      tallyIndustry.run(enterpriseId, industry, n);
      summaryDirty.add(enterpriseId);
    }
    for (const enterpriseId of summaryDirty) refreshSummary(enterpriseId);
    if (today === null) return;
    for (const enterpriseId of new Set([...dayDeltas.keys(), ...delayDays.keys(), ...summaryDirty])) {
      patchWindows(enterpriseId, today, dayDeltas.get(enterpriseId) ?? new Map(), delayDays.get(enterpriseId) ?? new Set());
    }
  }

  function refreshWindows(asOf: number): void {
    local.version++;
    const today = cstDay(asOf);
    writeState.run(String(today));
    db.exec('DELETE FROM rep_stats_window');
    const ids = db.prepare('SELECT enterprise_id FROM rep_enterprises').all() as Array<{ enterprise_id: string }>;
    for (const { enterprise_id } of ids) refreshEnterprise(enterprise_id, today);
  }

  const insertDaily = db.prepare(
    'INSERT INTO rep_stats_daily (enterprise_id, day, source, complaints, replied, completed, sat_sum, sat_count) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insertDelay = db.prepare('INSERT INTO rep_stats_reply_delays (source, external_id, enterprise_id, day, reply_ms) VALUES (?, ?, ?, ?, ?)');
  const insertName = db.prepare('INSERT INTO rep_enterprise_names (enterprise_id, name, listings) VALUES (?, ?, ?)');
  const insertIndustry = db.prepare('INSERT INTO rep_enterprise_industries (enterprise_id, industry, listings) VALUES (?, ?, ?)');

  /** The most frequent key, ties to the smallest string: the same rule as the topName/topIndustry queries. */
  function topOf(tally: Map<string, number>): string | null {
    let best: string | null = null;
    let bestCount = 0;
    for (const [key, count] of tally) {
      if (count > bestCount || (count === bestCount && best !== null && key < best)) {
        best = key;
        bestCount = count;
      }
    }
    return best;
  }

  /**
   * Rebuilds every rollup in ONE pass over the raw listings in enterprise order (the ingestion
   * index on (enterprise_id, created_at) delivers them so, without a sort): each enterprise's
   * buckets, delays, tallies, summary and windows are computed in memory with the same domain
   * functions as the incremental path, and written in key order.
   */
  function rebuildFrom(table: string, today: number, onPhase: RebuildPhaseListener): void {
    local.version++;
    let mark = performance.now();
    for (const t of ['rep_stats_daily', 'rep_stats_reply_delays', 'rep_stats_source_daily', 'rep_enterprise_names', 'rep_enterprise_industries', 'rep_enterprises', 'rep_stats_window']) {
      db.exec(`DELETE FROM ${t}`);
    }
    writeState.run(String(today));
    // Bulk loading into a bare table and indexing once is faster than keeping eight indexes current
    // row by row; the index definitions are read back from the schema, so they cannot drift.
    const secondaryIndexes = db
      .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ('rep_stats_reply_delays', 'rep_stats_window')")
      .all() as Array<{ name: string; sql: string }>;
    for (const index of secondaryIndexes) db.exec(`DROP INDEX ${index.name}`);
    onPhase('clear previous rollups', performance.now() - mark);
    mark = performance.now();
    const longest = rollingWindow('LAST_365_DAYS', today * 86_400_000);
    const sourceDays = new Map<string, number>();
    let current: string | null = null;
    let daily = new Map<string, DayCounts & { source: string }>();
    let delays: Array<{ source: string; externalId: string; day: number; replyMs: number }> = [];
    let rawNames = new Map<string, number>();
    let industries = new Map<string, number>();
    let listings = 0;

    const flush = () => {
      if (current === null || listings === 0) return;
      const enterpriseId = current;
      const names = new Map<string, number>();
      for (const [raw, n] of rawNames) {
        const name = cleanDisplayName(raw);
        names.set(name, (names.get(name) ?? 0) + n);
      }
      const buckets = [...daily.values()].sort((x, y) => x.day - y.day || (x.source < y.source ? -1 : x.source > y.source ? 1 : 0));
      for (const b of buckets) insertDaily.run(enterpriseId, b.day, b.source, b.complaints, b.replied, b.completed, b.satisfactionSum, b.satisfactionCount);
      for (const d of delays) insertDelay.run(d.source, d.externalId, enterpriseId, d.day, d.replyMs);
      for (const [name, n] of names) insertName.run(enterpriseId, name, n);
      for (const [industry, n] of industries) insertIndustry.run(enterpriseId, industry, n);
      const industry = topOf(industries);
      upsertEnterprise.run(enterpriseId, topOf(names) ?? enterpriseId, industry, listings);
      delays.sort((x, y) => x.replyMs - y.replyMs);
      const upToToday = delays.filter((d) => d.day <= today).map((d) => d.replyMs);
      const recent = delays.filter((d) => d.day >= longest.fromDay && d.day <= today);
      const allTime = { median: exactMedian(upToToday), sample: upToToday.length };
      for (const { window, counts, stats } of materialiseWindows(buckets, recent, allTime, today)) writeWindow(window, enterpriseId, industry, counts, stats);
    };

    const rows = db.prepare(
      `SELECT source, external_id, enterprise_id, enterprise_name, industry, status, created_at, replied_at, completed_at, satisfaction
       FROM ${table} NOT INDEXED ORDER BY enterprise_id`,
    );
    for (const row of rows.iterate() as Iterable<Record<string, string | number | null>>) {
      const enterpriseId = row.enterprise_id as string;
      if (enterpriseId !== current) {
        flush();
        current = enterpriseId;
        daily = new Map();
        delays = [];
        rawNames = new Map();
        industries = new Map();
        listings = 0;
      }
      const record = {
        source: row.source,
        externalId: row.external_id,
        enterpriseId,
        status: row.status,
        createdAt: Number(row.created_at),
        repliedAt: row.replied_at === null ? null : Number(row.replied_at),
        completedAt: row.completed_at === null ? null : Number(row.completed_at),
        satisfaction: row.satisfaction === null ? null : Number(row.satisfaction),
      } as ListingRecord;
      const c = contributionOf(record);
      const key = `${c.day}\u0000${c.source}`;
      let bucket = daily.get(key);
      if (!bucket) daily.set(key, (bucket = { day: c.day, source: c.source, ...zeroCounts() }));
      const delta = countsOf(c);
      bucket.complaints += delta.complaints;
      bucket.replied += delta.replied;
      bucket.completed += delta.completed;
      bucket.satisfactionSum += delta.satisfactionSum;
      bucket.satisfactionCount += delta.satisfactionCount;
      if (c.replyDelayMs !== null) delays.push({ source: c.source, externalId: c.externalId, day: c.day, replyMs: c.replyDelayMs });
      // Raw names are tallied and cleaned once per distinct spelling at flush: cleaning is the costly part.
      const rawName = row.enterprise_name as string;
      rawNames.set(rawName, (rawNames.get(rawName) ?? 0) + 1);
      if (row.industry) industries.set(row.industry as string, (industries.get(row.industry as string) ?? 0) + 1);
      const sourceDay = `${c.source}\u0000${c.day}`;
      sourceDays.set(sourceDay, (sourceDays.get(sourceDay) ?? 0) + 1);
      listings++;
    }
    flush();
    for (const [key, n] of sourceDays) {
      const [source, day] = key.split('\u0000');
      upsertSourceDay.run(source, Number(day), n);
    }
    onPhase('one pass over the listings (sorted by enterprise): buckets, delays, tallies, summaries and windows', performance.now() - mark);
    mark = performance.now();
    for (const index of secondaryIndexes) db.exec(index.sql);
    onPhase('re-create the reply-delay and ranking indexes', performance.now() - mark);
  }

  function rebuild(asOf: number, records?: Iterable<ListingRecord>, onPhase: RebuildPhaseListener = () => {}): void {
    // A rebuild sorts and groups every listing: a large page cache keeps those sorts off the disk.
    const previousCache = (db.prepare('PRAGMA cache_size').get() as { cache_size: number }).cache_size;
    db.exec('PRAGMA cache_size = -262144');
    try {
      rebuildInTransaction(asOf, records, onPhase);
    } finally {
      db.exec(`PRAGMA cache_size = ${Number(previousCache)}`);
    }
  }

  function rebuildInTransaction(asOf: number, records: Iterable<ListingRecord> | undefined, onPhase: RebuildPhaseListener): void {
    transaction(db, () => {
      if (records) {
        db.exec(`CREATE TEMP TABLE IF NOT EXISTS rep_stats_raw (
          source TEXT NOT NULL, external_id TEXT NOT NULL, enterprise_id TEXT NOT NULL, enterprise_name TEXT NOT NULL,
          industry TEXT, status TEXT NOT NULL, created_at INTEGER NOT NULL, replied_at INTEGER, completed_at INTEGER,
          satisfaction REAL, PRIMARY KEY (source, external_id))`);
        db.exec('CREATE INDEX IF NOT EXISTS temp.rep_stats_raw_enterprise ON rep_stats_raw (enterprise_id)');
        db.exec('DELETE FROM temp.rep_stats_raw');
        const insert = db.prepare(
          `INSERT OR REPLACE INTO temp.rep_stats_raw (source, external_id, enterprise_id, enterprise_name, industry, status,
             created_at, replied_at, completed_at, satisfaction) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        );
        for (const r of records) {
          insert.run(r.source, r.externalId, r.enterpriseId, r.enterpriseName, r.industry, r.status, r.createdAt, r.repliedAt, r.completedAt, r.satisfaction);
        }
        rebuildFrom('temp.rep_stats_raw', cstDay(asOf), onPhase);
        db.exec('DELETE FROM temp.rep_stats_raw');
      } else {
        rebuildFrom('listings', cstDay(asOf), onPhase);
      }
    });
  }

  const selectEnterprise = db.prepare('SELECT enterprise_id, name, industry, listings FROM rep_enterprises WHERE enterprise_id = ?');
  const selectAliases = db.prepare('SELECT name FROM rep_enterprise_names WHERE enterprise_id = ? AND listings > 0 ORDER BY name');
  const searchNames = db.prepare(
    `SELECT DISTINCT e.enterprise_id, e.name, e.industry, e.listings FROM rep_enterprise_names n
     JOIN rep_enterprises e ON e.enterprise_id = n.enterprise_id
     WHERE n.name LIKE ? ESCAPE '\\' ORDER BY e.listings DESC, e.enterprise_id LIMIT ?`,
  );
  const summary = (row: { enterprise_id: string; name: string; industry: string | null; listings: number }): EnterpriseSummary => ({
    id: row.enterprise_id,
    name: row.name,
    industry: row.industry,
    listings: Number(row.listings),
    aliases: (selectAliases.all(row.enterprise_id) as Array<{ name: string }>).map((r) => r.name),
  });

  const dailyInRange = db.prepare(
    `SELECT source, SUM(complaints) AS complaints, SUM(replied) AS replied, SUM(completed) AS completed,
       SUM(sat_sum) AS sat_sum, SUM(sat_count) AS sat_count
     FROM rep_stats_daily WHERE enterprise_id = ? AND day BETWEEN ? AND ? GROUP BY source ORDER BY source`,
  );
  const delaysInRange = db.prepare(
    'SELECT source, reply_ms FROM rep_stats_reply_delays WHERE enterprise_id = ? AND day BETWEEN ? AND ? ORDER BY reply_ms',
  );
  const windowRowOf = db.prepare('SELECT * FROM rep_stats_window WHERE window = ? AND enterprise_id = ?');
  const daysOfEnterprise = db.prepare(
    'SELECT day, source, complaints FROM rep_stats_daily WHERE enterprise_id = ? AND day BETWEEN ? AND ? ORDER BY day, source',
  );
  const sourcesInRange = db.prepare(
    'SELECT DISTINCT source FROM rep_stats_source_daily WHERE day BETWEEN ? AND ? AND complaints > 0 ORDER BY source',
  );

  const statements = new Map<string, ReturnType<DatabaseSync['prepare']>>();
  const cached = (sql: string) => {
    let statement = statements.get(sql);
    if (!statement) statements.set(sql, (statement = db.prepare(sql)));
    return statement;
  };

  /** SQL pieces of one ranking; the column comes from METRIC_COLUMN, never from the caller. */
  function rankingSql(metric: RankingMetric, descendingOrder: boolean) {
    const column = `w.${METRIC_COLUMN[metric]}`;
    const index = METRIC_INDEX[metric];
    const where = `w.window = ? AND w.industry = ? AND w.complaints >= ? AND ${column} IS NOT NULL`;
    return {
      where,
      order: `${column} ${descendingOrder ? 'DESC' : 'ASC'}, w.enterprise_id ASC`,
      count: `SELECT COUNT(*) AS total FROM rep_stats_window w INDEXED BY ${index} WHERE ${where}`,
      // Ahead = strictly better in listing order; equal = same value (the enterprise itself included).
      // Two range counts on the metric's covering index, not a pass over the whole industry.
      ahead: `SELECT COUNT(*) AS n FROM rep_stats_window w INDEXED BY ${index} WHERE ${where} AND ${column} ${descendingOrder ? '>' : '<'} ?`,
      equal: `SELECT COUNT(*) AS n FROM rep_stats_window w INDEXED BY ${index} WHERE ${where} AND ${column} = ?`,
    };
  }

  function qualifying(metric: RankingMetric, descendingOrder: boolean, params: SQLInputValue[]): number {
    const sql = rankingSql(metric, descendingOrder).count;
    return cachedCount(`${sql}\u0000${params.join('\u0000')}`, () => Number((cached(sql).get(...params) as { total: number }).total));
  }

  function standing(metric: RankingMetric, descendingOrder: boolean, value: number, params: SQLInputValue[]) {
    const sql = rankingSql(metric, descendingOrder);
    const ahead = cached(sql.ahead).get(...params, value) as { n: number };
    const equal = cached(sql.equal).get(...params, value) as { n: number };
    return { ahead: Number(ahead.n), equal: Number(equal.n) };
  }

  const reader: RollupReader = {
    async ensureCurrent(now) {
      if (asOfDay() !== cstDay(now)) transaction(db, () => refreshWindows(now));
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
        const rows = db.prepare(`SELECT enterprise_id, name, industry, listings FROM rep_enterprises WHERE enterprise_id IN (${marks})`).all(...chunk) as Array<Parameters<typeof summary>[0]>;
        for (const row of rows) found.set(row.enterprise_id, { id: row.enterprise_id, name: row.name, industry: row.industry, listings: Number(row.listings), aliases: [] });
        const aliases = db
          .prepare(`SELECT enterprise_id, name FROM rep_enterprise_names WHERE enterprise_id IN (${marks}) AND listings > 0 ORDER BY enterprise_id, name`)
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
      const perSource = dailyInRange.all(enterpriseId, range.fromDay, range.toDay) as unknown as Array<CountRow & { source: string }>;
      const delays = delaysInRange.all(enterpriseId, range.fromDay, range.toDay) as Array<{ source: string; reply_ms: number }>;
      const all = delays.map((d) => Number(d.reply_ms));
      let total = zeroCounts();
      const bySource = perSource.map((row) => {
        const counts = countsFromRow(row);
        total = addCounts(total, counts);
        const own = delays.filter((d) => d.source === row.source).map((d) => Number(d.reply_ms));
        return { source: row.source, stats: computeStats(counts, exactMedian(own), own.length) };
      });
      return { total: computeStats(total, exactMedian(all), all.length), bySource };
    },
    async rank(enterpriseId, window, metric, minComplaints): Promise<RankPosition | null> {
      const row = windowRowOf.get(window, enterpriseId) as WindowRow | undefined;
      if (!row || row.industry === null || Number(row.complaints) < minComplaints) return null;
      const value = metricValue(statsFromWindowRow(row), metric);
      if (value === null) return null;
      const desc = descending(metric, 'BEST_FIRST');
      const params: SQLInputValue[] = [window, row.industry, minComplaints];
      const total = qualifying(metric, desc, params);
      const { ahead, equal } = standing(metric, desc, value, params);
      return { position: ahead + 1, outOf: total, tie: equal > 1 };
    },
    async rankings(request): Promise<RankingPage> {
      const desc = descending(request.metric, request.order);
      const sql = rankingSql(request.metric, desc);
      const params: SQLInputValue[] = [request.window, request.industry, request.minComplaints];
      const total = qualifying(request.metric, desc, params);
      // One row past the page tells whether the last row's value continues onto the next page.
      const rows = cached(
        // Walking the metric's own index in order stops after the page; the planner would rather
        // range-scan complaints and sort every qualifying row of the industry.
        `SELECT w.*, e.name FROM rep_stats_window w INDEXED BY ${METRIC_INDEX[request.metric]}
         JOIN rep_enterprises e ON e.enterprise_id = w.enterprise_id
         WHERE ${sql.where} ORDER BY ${sql.order} LIMIT ? OFFSET ?`,
      ).all(...params, request.limit + 1, request.offset) as unknown as WindowRow[];
      const values = rows.map((r) => metricValue(statsFromWindowRow(r), request.metric) as number);
      const page: RankingPage['rows'] = [];
      let position = 0;
      for (let i = 0; i < Math.min(rows.length, request.limit); i++) {
        let tie: boolean;
        if (i === 0 && request.offset === 0) {
          // Nothing ranks ahead of the very first row; it ties only with the row after it.
          position = 1;
          tie = rows.length > 1 && values[0] === values[1];
        } else if (i === 0) {
          // The first row of a later page may continue a tie from earlier pages: count, never assume.
          const first = standing(request.metric, desc, values[0], params);
          position = first.ahead + 1;
          tie = first.equal > 1;
        } else {
          position = values[i] === values[i - 1] ? position : request.offset + i + 1;
          tie = values[i] === values[i - 1] || (i + 1 < rows.length && values[i] === values[i + 1]);
        }
        page.push({
          enterpriseId: rows[i].enterprise_id,
          name: rows[i].name ?? rows[i].enterprise_id,
          industry: rows[i].industry,
          stats: statsFromWindowRow(rows[i]),
          position,
          tie,
        });
      }
      return { rows: page, total, asOfDay: asOfDay() ?? 0 };
    },
    async periodStats(industry, range, minComplaints): Promise<PeriodRow[]> {
      const rows = db
        .prepare(
          `SELECT d.enterprise_id, e.name, SUM(d.complaints) AS complaints, SUM(d.replied) AS replied, SUM(d.completed) AS completed,
             SUM(d.sat_sum) AS sat_sum, SUM(d.sat_count) AS sat_count
           FROM rep_enterprises e JOIN rep_stats_daily d ON d.enterprise_id = e.enterprise_id AND d.day BETWEEN ? AND ?
           WHERE e.industry = ? GROUP BY d.enterprise_id HAVING SUM(d.complaints) >= ? ORDER BY d.enterprise_id`,
        )
        .all(range.fromDay, range.toDay, industry, Math.max(minComplaints, 1)) as unknown as Array<CountRow & { enterprise_id: string; name: string }>;
      return rows.map((row) => {
        const delays = (delaysInRange.all(row.enterprise_id, range.fromDay, range.toDay) as Array<{ reply_ms: number }>).map((d) => Number(d.reply_ms));
        return { enterpriseId: row.enterprise_id, name: row.name, stats: computeStats(countsFromRow(row), exactMedian(delays), delays.length) };
      });
    },
    async industryStats(industry, range) {
      const counts = db
        .prepare(
          `SELECT SUM(d.complaints) AS complaints, SUM(d.replied) AS replied, SUM(d.completed) AS completed,
             SUM(d.sat_sum) AS sat_sum, SUM(d.sat_count) AS sat_count
           FROM rep_enterprises e JOIN rep_stats_daily d ON d.enterprise_id = e.enterprise_id AND d.day BETWEEN ? AND ?
           WHERE e.industry = ?`,
        )
        .get(range.fromDay, range.toDay, industry) as unknown as CountRow;
      const delays = (
        db
          .prepare(
            `SELECT r.reply_ms FROM rep_enterprises e JOIN rep_stats_reply_delays r ON r.enterprise_id = e.enterprise_id
             AND r.day BETWEEN ? AND ? WHERE e.industry = ? ORDER BY r.reply_ms`,
          )
          .all(range.fromDay, range.toDay, industry) as Array<{ reply_ms: number }>
      ).map((d) => Number(d.reply_ms));
      return computeStats(countsFromRow(counts), exactMedian(delays), delays.length);
    },
    async sourcesIn(range) {
      return (sourcesInRange.all(range.fromDay, range.toDay) as Array<{ source: string }>).map((r) => r.source);
    },
  };

  return {
    ...reader,
    applyChanges,
    applyChangesInTransaction: (changes) => transaction(db, () => applyChanges(changes)),
    rebuild,
    refreshWindows,
    asOfDay,
    countedDays: (enterpriseId, range) =>
      (daysOfEnterprise.all(enterpriseId, range.fromDay, range.toDay) as Array<{ day: number; source: string; complaints: number }>).map((r) => ({
        day: Number(r.day),
        source: r.source,
        complaints: Number(r.complaints),
      })),
  };
}
